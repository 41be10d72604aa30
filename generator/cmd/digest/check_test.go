package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSite writes files (slash-separated names) under dir.
func writeSite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// builtSite is a tiny output served at https://example.github.io/briefing/,
// the base URL of the bundled content/site.yaml.
func builtSite(index string) map[string]string {
	return map[string]string{
		"index.html":  index,
		"404.html":    `<a href="/briefing/">home</a>`,
		"sitemap.xml": `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.github.io/briefing/</loc></url></urlset>`,
		"robots.txt":  "User-agent: *\n",
		".nojekyll":   "",
	}
}

func TestCheckCommand(t *testing.T) {
	good := t.TempDir()
	writeSite(t, good, builtSite(`<a href="/briefing/#top">home</a>`))
	bad := t.TempDir()
	writeSite(t, bad, builtSite(`<a href="/briefing/rounds/">rounds</a><img src="seal.png">`))
	moduleRoot := filepath.Join("..", "..", "..")

	tests := []struct {
		name     string
		args     []string
		code     int
		out, err string // exact stdout; stderr prefix
	}{
		{
			name: "clean",
			args: []string{"--out", good, "--base-url", "https://example.github.io/briefing/"},
			out:  "digest check: " + good + " is ready for https://example.github.io/briefing/\n",
		},
		{
			name: "base URL from the site config",
			args: []string{"--site", moduleRoot, "--out", good},
			out:  "digest check: " + good + " is ready for https://example.github.io/briefing/\n",
		},
		{
			name: "problems",
			args: []string{"--out", bad, "--base-url", "https://example.github.io/briefing/"},
			code: 1,
			out: "index.html: /briefing/rounds/: broken link: no rounds/index.html in the output\n" +
				"index.html: seal.png: missing asset: no seal.png in the output\n",
			err: "digest check: 2 problems in " + bad,
		},
		{
			name: "other base path",
			args: []string{"--out", good, "--base-url", "https://briefing.example.org"},
			code: 1,
			out: "404.html: /briefing/: broken link: no briefing/index.html in the output\n" +
				"index.html: /briefing/#top: broken link: no briefing/index.html in the output\n" +
				"sitemap.xml: https://example.github.io/briefing/: not under the base URL https://briefing.example.org/\n",
			err: "digest check: 3 problems",
		},
		{
			name: "bad base URL",
			args: []string{"--out", good, "--base-url", "/briefing/"},
			code: 1,
			err:  `digest check: base URL "/briefing/": want an absolute http or https URL`,
		},
		{
			name: "no output",
			args: []string{"--out", filepath.Join(good, "none"), "--base-url", "https://example.org/"},
			code: 1,
			err:  "digest check: stat ",
		},
		{name: "unknown flag", args: []string{"--deep"}, code: 2, err: "flag provided but not defined: -deep"},
		{name: "argument", args: []string{"public"}, code: 2, err: `digest check: unexpected argument "public"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"check"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit status %d; want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if got := stdout.String(); got != tt.out {
				t.Errorf("stdout\n%s; want\n%s", got, tt.out)
			}
			if got := stderr.String(); !strings.HasPrefix(got, tt.err) || (tt.err == "") != (got == "") {
				t.Errorf("stderr %q; want it to start with %q", got, tt.err)
			}
		})
	}
}

// TestCheckRecordedBaseURL checks a site built for another base URL than
// its site.yaml names: check takes the one the build recorded, and
// --base-url still overrides it.
func TestCheckRecordedBaseURL(t *testing.T) {
	site := copySite(t, t.TempDir())
	out := filepath.Join(site, "public")
	const base = "https://briefing.example.org/digest/"
	if code, _, stderr := runCmd("build", "--quiet", "--site", site, "--base-url", base); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCmd("check", "--site", site)
	if want := "digest check: " + out + " is ready for " + base + "\n"; code != 0 || stdout != want {
		t.Errorf("check: exit %d, stdout %q, stderr %q; want exit 0, %q", code, stdout, stderr, want)
	}
	code, _, stderr = runCmd("check", "--site", site, "--base-url", "https://example.github.io/briefing/")
	if code != 1 || !strings.Contains(stderr, "problems in "+out+" (base URL https://example.github.io/briefing/)") {
		t.Errorf("check --base-url: exit %d, stderr %q; want the given base URL used, and problems", code, stderr)
	}
}
