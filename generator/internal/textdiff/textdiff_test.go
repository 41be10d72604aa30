package textdiff

import "testing"

func TestFirst(t *testing.T) {
	for _, c := range []struct{ got, want, diff string }{
		{"a\nb", "a\nb", ""},
		{"a\nb", "a\nc", "line 2:\n got: b\nwant: c"},
		{"a", "a\nb", "line 2:\n got: \nwant: b"},
		{"x\nb", "a", "line 1:\n got: x\nwant: a"},
	} {
		if got := First(c.got, c.want); got != c.diff {
			t.Errorf("First(%q, %q) = %q; want %q", c.got, c.want, got, c.diff)
		}
	}
}
