package diag

import (
	"errors"
	"fmt"
	"testing"
)

func TestListSortsAndFormats(t *testing.T) {
	var l List
	l.Addf("content/b.md", 3, "front matter: title is required")
	l.Addf("content/a.md", 10, "front matter: date %q: want YYYY-MM-DD", "13/05")
	l.Addf("content/a.md", 2, "front matter: source is required")
	l.Addf("content/a.md", 2, "front matter: source is required") // duplicate
	l.Addf("content/topics.yaml", 0, "registry: file is missing")
	l.Add(Diagnostic{Msg: "no file"})
	want := `no file
content/a.md:2: front matter: source is required
content/a.md:10: front matter: date "13/05": want YYYY-MM-DD
content/b.md:3: front matter: title is required
content/topics.yaml: registry: file is missing`
	if got := l.Err().Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (List{}).Err() != nil {
		t.Error("empty list gives an error")
	}
}

func TestFrom(t *testing.T) {
	d := Errorf("x.md", 1, "bad")
	if got := From(fmt.Errorf("wrapped: %w", d)); len(got) != 1 || got[0] != d {
		t.Errorf("From(wrapped Diagnostic) = %v; want [%v]", got, d)
	}
	l := List{d, Errorf("y.md", 2, "worse")}
	if got := From(l); len(got) != 2 {
		t.Errorf("From(List) = %v; want 2 diagnostics", got)
	}
	if got := From(errors.New("plain")); len(got) != 1 || got[0].Error() != "plain" {
		t.Errorf("From(plain) = %v", got)
	}
	if From(nil) != nil {
		t.Error("From(nil) != nil")
	}
}
