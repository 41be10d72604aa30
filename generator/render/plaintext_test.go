package render

import "testing"

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"# A heading\n\nOne *line*\nand **two**.\n", "A heading\nOne line and two.\n"},
		{"- [a link](https://x.test/) and ![an image](i.png)\n> quoted `code`\n", "a link and an image quoted code\n"},
		{"1. first\n2) second\n\n---\n\n<b>tag</b> kept text\n", "first second\ntag kept text\n"},
		{"", ""},
	} {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
