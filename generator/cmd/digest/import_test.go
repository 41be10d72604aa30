package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCommand checks the exit statuses of digest import: 2 for a
// usage error, 1 when a page cannot be imported, 0 otherwise, with flags
// before or after the paths.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	copyRegistries(t, dir)
	seed, err := os.ReadFile(filepath.Join("..", "..", "..", "content", "inbox", "004_abc6d72f65a6a919.txt"))
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "content", "inbox", "004.txt")
	writeFile(t, page, seed)
	empty := filepath.Join(dir, "content", "inbox", "empty.txt")
	writeFile(t, empty, nil)

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no path", []string{"import", "--site", dir}, 2, "", "no PATH given"},
		{"bad flag", []string{"import", "--sight", dir, page}, 2, "", "flag provided but not defined"},
		{"bad fetch date", []string{"import", "--site", dir, "--fetched-at", "yesterday", page}, 2, "", "want YYYY-MM-DD"},
		{"dry run, flags after the path", []string{"import", page, "--site", dir, "--dry-run"}, 0, "(new, dry run)", ""},
		{"a bad page among good ones", []string{"import", "--site", dir, "--dry-run", page, empty}, 1, "Kremlin Yet to Confirm", "content/inbox/empty.txt: import: file is empty"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				tt.name, code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "articles")); !os.IsNotExist(err) {
		t.Errorf("a dry run wrote content/articles (stat: %v)", err)
	}
}

// copyRegistries copies the bundled site's four registries into dir's
// content/, for tests that import or build there.
func copyRegistries(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"site.yaml", "topics.yaml", "rounds.yaml", "sources.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "content", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "content", f), data)
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestImportEdits runs the editor's case end to end: import a page, edit
// its article by hand, re-import with --force (the edit stays, and the
// line says so and names the backup), then with --force --discard-edits
// (the edit goes, the backup keeps it). --discard-edits alone is refused
// and changes nothing.
func TestImportEdits(t *testing.T) {
	dir := t.TempDir()
	copyRegistries(t, dir)
	seed, err := os.ReadFile(filepath.Join("..", "..", "..", "content", "inbox", "001_ddd55587bb5b04cc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "content", "inbox", "001.txt")
	writeFile(t, page, seed)
	article := filepath.Join(dir, "content", "articles", "ukraine-derailing-peace-talks.md")
	// line checks the line printed for the page: its status (what the
	// analysis made of the page is the importer's tests' business).
	line := func(what, stdout, status string) {
		t.Helper()
		prefix := "content/inbox/001.txt -> content/articles/ukraine-derailing-peace-talks.md (" + status + "): "
		if !strings.HasPrefix(stdout, prefix) || strings.Count(stdout, "\n") != 1 {
			t.Errorf("%s: stdout %q; want one line starting %q", what, stdout, prefix)
		}
	}

	code, stdout, stderr := runCmd("import", "--site", dir, page)
	if code != 0 {
		t.Fatalf("import: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	line("import", stdout, "new")
	orig, _ := os.ReadFile(article)
	edited := strings.Replace(string(orig), "Kiev is derailing", "Kyiv is derailing", 1)
	writeFile(t, article, []byte(edited))

	code, stdout, stderr = runCmd("import", "--site", dir, "--discard-edits", page)
	want := "digest import: --discard-edits needs --force: without it no article is overwritten\n"
	if got, _ := os.ReadFile(article); code != 2 || stdout != "" || stderr != want || string(got) != edited {
		t.Errorf("--discard-edits alone: exit %d, stdout %q, stderr %q, article changed %v; want exit 2, %q, article unchanged",
			code, stdout, stderr, string(got) != edited, want)
	}

	backups := func() []string {
		names, _ := filepath.Glob(filepath.Join(dir, ".import-backups", "*.md"))
		return names
	}
	code, stdout, stderr = runCmd("import", "--site", dir, "--force", page)
	if b := backups(); code != 0 || len(b) != 0 {
		t.Errorf("--force: exit %d, stderr %q, backups %v; want exit 0, no backup", code, stderr, b)
	}
	line("--force", stdout, "unchanged, kept the editor's body")
	if got, _ := os.ReadFile(article); string(got) != edited {
		t.Errorf("--force lost the edit:\n%s", got)
	}

	code, stdout, stderr = runCmd("import", "--site", dir, "--force", "--discard-edits", page)
	b := backups()
	if code != 0 || len(b) != 1 {
		t.Fatalf("--force --discard-edits: exit %d, stdout %q, stderr %q, backups %v", code, stdout, stderr, b)
	}
	backup := ".import-backups/" + filepath.Base(b[0])
	line("--force --discard-edits", stdout, "replaced, discarded the editor's body, backup "+backup)
	if got, _ := os.ReadFile(article); string(got) != string(orig) {
		t.Errorf("--discard-edits: article is not the fresh import:\n%s", got)
	}
	if got, _ := os.ReadFile(b[0]); string(got) != edited {
		t.Errorf("backup %s is not the edited article:\n%s", backup, got)
	}
}
