package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSearchSpellings checks that content/spellings.yaml reaches the
// search index, and that a broken one fails the build naming its line and
// leaves the site as it was.
func TestSearchSpellings(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	file := filepath.Join(dir, "content", "spellings.yaml")
	if err := os.WriteFile(file, []byte("# more spellings\nbakhmut: [artemivsk]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := read(t, out, "search/index.json")
	if !strings.Contains(before, `["artemivsk","bakhmut"]`) || !strings.Contains(before, `["kiev","kyiv"]`) {
		t.Errorf("search/index.json lacks the file's fold or a default one: %.400s", before)
	}

	if err := os.WriteFile(file, []byte("# more spellings\nbakhmut: [artemivsk]\nkiev: [kyiv]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = b.Build(context.Background())
	const want = `content/spellings.yaml:3: spellings: "kiev" is already a variant of "kyiv"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("broken spellings: %v; want %s", err, want)
	}
	if got := read(t, out, "search/index.json"); got != before {
		t.Error("a failed build changed search/index.json")
	}
}
