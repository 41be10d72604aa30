package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain builds digest-html once and puts it first on PATH, so that the
// tests importing HTML pages run it as the digest binary does (digest
// looks beside itself, then on PATH; the test binary has none beside it).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "digest-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "digest-html"), "digest/generator/cmd/digest-html").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build digest-html: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	os.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestImportHTMLWithoutProgram checks that without digest-html an HTML
// page is refused with what to do, and a text page beside it imported.
func TestImportHTMLWithoutProgram(t *testing.T) {
	dir := t.TempDir()
	copyRegistries(t, dir)
	writeFile(t, filepath.Join(dir, "content", "inbox", "page.html"), []byte("<html><body><article><p>Delegations met in Istanbul.</p></article></body></html>"))
	writeFile(t, filepath.Join(dir, "content", "inbox", "page2.txt"), []byte("Istanbul talks\n\nDelegations from Russia and Ukraine met in Istanbul on 16 May 2025 for their first direct talks in three years.\n"))
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr := runCmd("import", "--site", dir, filepath.Join(dir, "content", "inbox"))
	want := "content/inbox/page.html: import: HTML pages need the digest-html program beside digest (make build builds both)\n"
	if code != 1 || stderr != want {
		t.Errorf("exit %d, stderr %q; want exit 1, %q", code, stderr, want)
	}
	if arts, _ := filepath.Glob(filepath.Join(dir, "content", "articles", "*.md")); len(arts) != 1 || !strings.Contains(stdout, "page2.txt") {
		t.Errorf("wrote %v, stdout %q; want the text page's article", arts, stdout)
	}
}
