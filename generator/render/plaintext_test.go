package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"# A heading\n\nOne *line*\nand **two**.\n", "A heading\nOne line and two.\n"},
		{"- [a link](https://x.test/) and ![an image](i.png)\n> quoted `code`\n", "a link and an image quoted code\n"},
		{"1. first\n2) second\n\n---\n\n<b>tag</b> kept text\n", "first second\ntag kept text\n"},
		{"", ""},
		// The rules of PlainText's comment, at their edges.
		{"![[x](y)](z) [a [b](c) and [no](link", "x a [b and [no](link\n"},
		{"<a <b> </ x> <3 x</b>", " </ x> <3 x\n"},
		{"__a___ \\*b* `c`", "a_ b c\n"},
		{"> > #  x\n####### y\n-x\n- \u00a0z\n12.x\n12. y\n+ z", "x ####### y -x \u00a0z 12.x y z\n"},
		{"Text\n===\nmore\n```go\ncode\n```\n", "Text\nmore\ncode\n"},
	} {
		if got := PlainText(tc.in); got != tc.want {
			t.Errorf("PlainText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzPlainText checks what PlainText promises of any markdown: no
// emphasis or code marks left, valid UTF-8 kept valid, and never more
// text than it was given (and a closing newline).
func FuzzPlainText(f *testing.F) {
	f.Add("# A heading\n\nOne *line*\nand **two**.\n")
	f.Add("![[x](y)](z) [a [b](c) <a <b> </ x> __a___ \\*b* `c`\n> > #  x\n####### y\n- \u00a0z\n12. y")
	f.Fuzz(func(t *testing.T, md string) {
		got := PlainText(md)
		if strings.ContainsAny(got, "*`\\") {
			t.Errorf("PlainText(%q) = %q: marks left", md, got)
		}
		if utf8.ValidString(md) && !utf8.ValidString(got) {
			t.Errorf("PlainText(%q) = %q: not UTF-8", md, got)
		}
		if len(got) > len(md)+1 {
			t.Errorf("PlainText(%q) = %q: longer than the markdown", md, got)
		}
	})
}
