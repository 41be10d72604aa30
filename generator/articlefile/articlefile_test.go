package articlefile

import (
	"strings"
	"testing"
)

const article = `---
title: Ukraine derailing peace talks
source: RT  # signed "Russia Today6 days ago"
date: 2025-07-08  # estimate: after round-2; said on a Tuesday
topics: [peace-terms, ceasefire]
summary: |
  Two lines
  of an editor's own.

# a note before review
review: [date]
---

Kiev is derailing peace efforts.
`

func TestParse(t *testing.T) {
	f, err := Parse("content/articles/x.md", []byte(article))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, fd := range f.Fields {
		keys = append(keys, fd.Key)
	}
	if got, want := strings.Join(keys, " "), "title source date topics summary review"; got != want {
		t.Errorf("keys %q; want %q", got, want)
	}
	tests := []struct {
		key, text, comment string
		line, end          int
	}{
		{"title", "Ukraine derailing peace talks", "", 2, 3},
		{"source", "RT", `signed "Russia Today6 days ago"`, 3, 4},
		{"date", "2025-07-08", "estimate: after round-2; said on a Tuesday", 4, 5},
		{"topics", "peace-terms, ceasefire", "", 5, 6},
		{"review", "date", "", 11, 12},
	}
	for _, tt := range tests {
		fd := f.Field(tt.key)
		if fd == nil {
			t.Errorf("%s: missing", tt.key)
			continue
		}
		if fd.Text() != tt.text || fd.Comment != tt.comment || fd.Line != tt.line || fd.End != tt.end {
			t.Errorf("%s: text %q, comment %q, lines %d-%d; want %q, %q, %d-%d",
				tt.key, fd.Text(), fd.Comment, fd.Line, fd.End, tt.text, tt.comment, tt.line, tt.end)
		}
	}
	if got, want := string(f.Field("summary").Lines([]byte(article))), "summary: |\n  Two lines\n  of an editor's own.\n"; got != want {
		t.Errorf("summary lines %q; want %q", got, want)
	}
	if got, want := article[f.BodyOffset:], "\nKiev is derailing peace efforts.\n"; got != want {
		t.Errorf("body %q; want %q", got, want)
	}
	if got := f.Field("review").List(); len(got) != 1 || got[0] != "date" {
		t.Errorf("review list %q; want [date]", got)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"no front matter", "Just text.\n", "x.md:1: front matter: missing; start the file with a --- line"},
		{"empty file", "", "x.md:1: front matter: missing; start the file with a --- line"},
		{"unclosed", "---\ntitle: A\n", "x.md:1: front matter: no closing --- line"},
		{"toml", "+++\ntitle = 'A'\n+++\n", "x.md:1: front matter: TOML; only YAML front matter between --- lines can be rewritten keeping what was written"},
		{"json", "{\n\"title\": \"A\"\n}\n", "x.md:1: front matter: JSON; only YAML front matter between --- lines can be rewritten keeping what was written"},
		{"duplicate key", "---\ntitle: A\ndate: 2025-05-16\ntitle: B\n---\n", `x.md:4: front matter: key "title" is already used at line 2`},
		{"bad yaml", "---\ntitle: A\ndate: 2\n  x: y\n---\n", "x.md:4: front matter: mapping values are not allowed in this context"},
		{"a list, not keys", "---\n- a\n- b\n---\n", "x.md:2: front matter: want key: value lines"},
	}
	for _, tt := range tests {
		_, err := Parse("x.md", []byte(tt.data))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v; want %q", tt.name, err, tt.want)
		}
	}
}

// FuzzParse: any bytes give fields or an error, never a panic; the body
// offset lies within the file, every field's lines are lines of it, and
// the fields' lines increase.
func FuzzParse(f *testing.F) {
	f.Add([]byte(article))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("\n\n---\na: [1, 2]\nb: {c: d}\n---"))
	f.Add([]byte("+++\ntitle = 'x'\n+++\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("x.md", data)
		if err != nil {
			return
		}
		if file.BodyOffset > len(data) {
			t.Fatalf("body offset %d beyond %d bytes", file.BodyOffset, len(data))
		}
		last := 0
		for _, fd := range file.Fields {
			if fd.Line <= last || fd.End < fd.Line || fd.End > file.CloseLine {
				t.Fatalf("%s: lines %d-%d after %d, closing at %d", fd.Key, fd.Line, fd.End, last, file.CloseLine)
			}
			last = fd.Line
			if lines := fd.Lines(data); !strings.Contains(string(data), strings.TrimSuffix(string(lines), "\n")) {
				t.Fatalf("%s: lines %q are not in the file", fd.Key, lines)
			}
			_ = fd.Text()
			_ = fd.List()
		}
	})
}
