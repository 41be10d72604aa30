package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, 2, "", "usage: digest <command>"},
		{[]string{"frobnicate"}, 2, "", `digest: unknown command "frobnicate"`},
		{[]string{"help"}, 0, "usage: digest <command>", ""},
		{[]string{"--help"}, 0, "commands:", ""},
		{[]string{"version"}, 0, "digest ", ""},
		{[]string{"version", "extra"}, 2, "", "usage: digest version"},
		{[]string{"build", "--no-such-flag"}, 2, "", "flag provided but not defined: -no-such-flag"},
		{[]string{"build", "stray"}, 2, "", `unexpected argument "stray"`},
		{[]string{"serve", "--port", "x"}, 2, "", "invalid value"},
		{[]string{"check", "--nope"}, 2, "", "flag provided but not defined"},
		{[]string{"import", "--nope"}, 2, "", "flag provided but not defined"},
	}
	for _, tt := range tests {
		code, out, errs := runCmd(tt.args...)
		if code != tt.code || !strings.Contains(out, tt.inStdout) || !strings.Contains(errs, tt.inStderr) {
			t.Errorf("digest %s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				strings.Join(tt.args, " "), code, out, errs, tt.code, tt.inStdout, tt.inStderr)
		}
	}
}

// TestBuildCommand builds the bundled site, then a broken copy, and checks
// the exit codes, the messages and that the output survived.
func TestBuildCommand(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	out := filepath.Join(t.TempDir(), "public")
	code, stdout, stderr := runCmd("build", "--site", root, "--out", out, "--base-url", "https://example.github.io/briefing/")
	if code != 0 {
		t.Fatalf("build exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "rendered") {
		t.Errorf("no progress line in %q", stdout)
	}
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}

	// A broken copy of the site: same registries, one bad article.
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content", "articles"), 0o755)
	copyRegistries(t, site)
	os.WriteFile(filepath.Join(site, "content", "articles", "bad.md"), []byte("---\ntitle: Bad\nsource: RT\ndate: 13/05\ntopic: ceasefire\n---\n"), 0o644)
	code, _, stderr = runCmd("build", "--site", site, "--out", out, "--quiet")
	want := "content/articles/bad.md:4: front matter: date \"13/05\": want YYYY-MM-DD or RFC 3339\n" +
		"digest build: failed; nothing was written: " + out + " still holds the previous build, unchanged\n"
	if code != 1 || stderr != want {
		t.Errorf("broken build: exit %d, stderr %q; want exit 1, %q", code, stderr, want)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Equal(after, index) {
		t.Error("the failed build changed public/index.html")
	}
}

// TestBuildWarnings: a build that succeeds still names, on stderr, the
// outlets missing from the sources registry and how many articles have
// fields to review, and exits 0; with --quiet too.
func TestBuildWarnings(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content", "articles"), 0o755)
	copyRegistries(t, site)
	article := "---\ntitle: A\nsource: Nowhere Gazette\ndate: 2025-05-16\ntopic: ceasefire\nreview: [date]\n---\n\nBody.\n"
	os.WriteFile(filepath.Join(site, "content", "articles", "a.md"), []byte(article), 0o644)
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := runCmd("build", "--site", site, "--out", out, "--quiet")
	want := `content/articles/a.md:3: source "Nowhere Gazette" is not in content/sources.yaml (1 article): add it with its affiliation` + "\n" +
		"1 article has fields to review (digest review)\n"
	if code != 0 || stderr != want {
		t.Errorf("build: exit %d, stderr %q; want exit 0, %q", code, stderr, want)
	}
}
