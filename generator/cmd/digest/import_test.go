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
	for _, f := range []string{"site.yaml", "topics.yaml", "rounds.yaml", "sources.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "content", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "content", f), data)
	}
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

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
