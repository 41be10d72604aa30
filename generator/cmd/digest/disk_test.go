package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildForDisk builds the bundled site with --for-disk: the home page
// links name index.html, the marker says the build is for disk, and
// digest check, which verifies a site to be served, declines it.
func TestBuildForDisk(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	out := filepath.Join(t.TempDir(), "public-disk")
	code, stdout, stderr := runCmd("build", "--site", root, "--out", out, "--for-disk", "--quiet")
	if code != 0 {
		t.Fatalf("build --for-disk: exit %d\n%s%s", code, stdout, stderr)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), `<a href="./rounds/index.html">Rounds</a>`) {
		t.Errorf("the home page built for disk does not link ./rounds/index.html:\n%.1500s", index)
	}
	marker, err := os.ReadFile(filepath.Join(out, ".digest-build"))
	if err != nil || !strings.HasSuffix(string(marker), "\nfor: disk\n") {
		t.Errorf("marker %q (%v); want it to end with for: disk", marker, err)
	}
	code, stdout, stderr = runCmd("check", "--site", root, "--out", out)
	want := "digest check: " + out + " was built for disk (digest build --for-disk), not to be served; check a build made without --for-disk\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("check of a build for disk: exit %d, stdout %q, stderr %q; want exit 1, stderr %q", code, stdout, stderr, want)
	}
	code, _, stderr = runCmd("build", "--help")
	if !strings.Contains(stderr, "[--for-disk]") || !strings.Contains(stderr, "-for-disk") {
		t.Errorf("build --help (exit %d) does not tell of --for-disk:\n%s", code, stderr)
	}
}
