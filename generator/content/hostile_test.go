//go:build linux

package content_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"digest/generator/build"
)

// The cases use Linux files (/proc/self/environ, /dev/zero) and named
// pipes, hence the build constraint.
//
// A site as a hostile editor would push it, built by the whole pipeline:
// each case must fail with exactly its messages, within seconds, and leave
// the published site and the content as they were.

var hostileBase = map[string]string{
	"content/site.yaml":     "title: Test digest\nbase_url: https://example.org/\n",
	"content/topics.yaml":   "- id: ceasefire\n  name: Ceasefire\n",
	"content/rounds.yaml":   "- id: round-1\n  name: First round\n  date: 2025-05-16\n  delegations:\n    - side: Ukraine\n      head: Rustem Umerov\n",
	"content/sources.yaml":  "- name: RT\n",
	"content/articles/a.md": "---\ntitle: Talks begin\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\n\nBody text.\n",
	"content/shared.txt":    "shared inside the site\n",
}

const article = "---\ntitle: T\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\n"

// writeTree writes files (slash-separated names) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot describes every entry under dir but skip: its type, and the
// hash of a regular file's bytes or a link's target.
func snapshot(t *testing.T, dir, skip string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == skip || strings.HasPrefix(rel, skip+string(filepath.Separator)) || strings.HasPrefix(rel, ".public") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			out[rel] = fmt.Sprintf("file %x", sha256.Sum256(data))
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			out[rel] = "link " + target
		default:
			out[rel] = d.Type().String()
		}
		return nil
	})
	return out
}

func sameSnapshot(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s is %q; want %q as before", what, k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %s appeared", what, k)
		}
	}
}

// buildSite builds dir into dir/public, failing the test after 20 s.
func buildSite(t *testing.T, dir string) error {
	t.Helper()
	b, err := build.New(build.Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := b.Build(context.Background())
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("build still running after 20 s")
		return nil
	}
}

func TestHostileSite(t *testing.T) {
	deep := article + strings.Repeat("\n", 3)
	for i := range 150 {
		deep += strings.Repeat("  ", i) + "- item\n"
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  []string
	}{
		{"static link to the environment", link("/proc/self/environ", "layouts/static/env.txt"), []string{
			`layouts/static/env.txt: layout: symbolic link to "/proc/self/environ" leads outside the site; only files inside the site are read`}},
		{"static link climbing out", link("../../../../../../../../etc/passwd", "layouts/static/passwd"), []string{
			`layouts/static/passwd: layout: symbolic link to "../../../../../../../../etc/passwd" leads outside the site; only files inside the site are read`}},
		{"static directory linked out", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
			if err := os.Symlink("/etc", filepath.Join(dir, "layouts/static")); err != nil {
				t.Fatal(err)
			}
		}, []string{`layouts/static: layout: symbolic link to "/etc" leads outside the site; only files inside the site are read`}},
		{"article linked to /dev/zero", link("/dev/zero", "content/articles/z.md"), []string{
			`content/articles/z.md: read: symbolic link to "/dev/zero" leads outside the site; only files inside the site are read`}},
		{"registry linked out", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "content/sources.yaml")
			os.Remove(p)
			if err := os.Symlink("/etc/passwd", p); err != nil {
				t.Fatal(err)
			}
		}, []string{`content/sources.yaml: registry: symbolic link to "/etc/passwd" leads outside the site; only files inside the site are read`}},
		{"article named pipe", fifo("content/articles/p.md"), []string{
			`content/articles/p.md: read: a named pipe (FIFO), not a regular file; only regular files are read`}},
		{"layout named pipe", fifo("layouts/home.html"), []string{
			`layouts/home.html: layout: a named pipe (FIFO), not a regular file; only regular files are read`}},
		{"static socket", func(t *testing.T, dir string) {
			// A socket's path must be short: made in a short directory, moved in.
			short, err := os.MkdirTemp("", "s")
			if err != nil {
				t.Fatal(err)
			}
			defer os.RemoveAll(short)
			l, err := net.Listen("unix", filepath.Join(short, "s"))
			if err != nil {
				t.Skipf("cannot make a unix socket: %v", err)
			}
			t.Cleanup(func() { l.Close() })
			os.MkdirAll(filepath.Join(dir, "layouts/static"), 0o755)
			if err := os.Rename(filepath.Join(short, "s"), filepath.Join(dir, "layouts/static/s.sock")); err != nil {
				t.Fatal(err)
			}
		}, []string{`layouts/static/s.sock: layout: a socket, not a regular file; only regular files are read`}},
		{"article too large", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"content/articles/big.md": article + strings.Repeat("word ", 1<<20)})
		}, []string{`content/articles/big.md: read: larger than the 4 MiB limit for an article`}},
		{"static file too large", func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "layouts/static"), 0o755)
			f, err := os.Create(filepath.Join(dir, "layouts/static/big.bin"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := f.Truncate(33 << 20); err != nil { // sparse: no disk used
				t.Fatal(err)
			}
		}, []string{`layouts/static/big.bin: layout: larger than the 32 MiB limit for a static file`}},
		{"articles a plain file", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "content/articles"))
			writeTree(t, dir, map[string]string{"content/articles": "not a directory\n"})
		}, []string{`content/articles: read: not a directory; articles go in content/articles/NAME.md`}},
		{"articles linked out", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "content/articles"))
			if err := os.Symlink("/usr/share", filepath.Join(dir, "content/articles")); err != nil {
				t.Fatal(err)
			}
		}, []string{`content/articles: read: symbolic link to "/usr/share" leads outside the site; only files inside the site are read`}},
		{"deep nesting", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"content/articles/deep.md": deep})
		}, []string{`content/articles/deep.md:110: markdown: lists and block quotes nested more than 100 levels deep; at most 100 are allowed`}},
		{"settings", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"content/site.yaml": "title: T\npage_size: 0\ndomain: evil.example/../../x\n"})
		}, []string{
			`content/site.yaml:2: site: page_size 0: want a whole number from 1 to 1000`,
			`content/site.yaml:3: site: domain "evil.example/../../x": want a bare host name such as briefing.example.org: letters, digits and hyphens in dot-separated labels, without scheme, port or path`,
		}},
		{"misspelt delegation key", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{"content/rounds.yaml": "- id: round-1\n  name: First round\n  date: 2025-05-16\n  delegations:\n    - side: Ukraine\n      hed: Rustem Umerov\n"})
		}, []string{`content/rounds.yaml:6: registry: delegations: unknown key "hed" (known: side, head, note)`}},
		{"front matter", func(t *testing.T, dir string) {
			writeTree(t, dir, map[string]string{
				"content/articles/unclosed.md": "---\ntitle: T\nsource: RT\n\nBody without an end to the front matter.\n",
				"content/articles/twice.md":    "---\ntitle: T\nsource: RT\ndate: 2025-05-16\ntitle: Again\ntopic: ceasefire\n---\n",
				"content/articles/latin1.md":   "---\ntitle: T\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\n\nCaf\xe9\n",
			})
		}, []string{
			`content/articles/latin1.md:8: read: not valid UTF-8 (byte 0xe9 at column 4); save the file as UTF-8`,
			`content/articles/twice.md:5: front matter: key "title" is already set at line 2`,
			`content/articles/unclosed.md:1: front matter: unclosed; the --- at line 1 has no closing --- line`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, hostileBase)
			if err := buildSite(t, dir); err != nil {
				t.Fatalf("first build: %v", err)
			}
			public := snapshot(t, filepath.Join(dir, "public"), "")
			tt.setup(t, dir)
			site := snapshot(t, dir, "public")

			start := time.Now()
			err := buildSite(t, dir)
			if err == nil {
				t.Fatal("build succeeded; want it refused")
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("refused after %v; want within seconds", d)
			}
			sameSnapshot(t, "public", snapshot(t, filepath.Join(dir, "public"), ""), public)
			sameSnapshot(t, "site", snapshot(t, dir, "public"), site)
		})
	}
}

// TestLinksInsideSite checks that links which stay inside the site are
// followed: a static file and an article each linked to a file elsewhere
// in the site are published.
func TestLinksInsideSite(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, hostileBase)
	writeTree(t, dir, map[string]string{"drafts/linked.md": strings.Replace(article, "title: T", "title: Linked article", 1) + "\nLinked body.\n"})
	link("../../content/shared.txt", "layouts/static/shared.txt")(t, dir)
	link("../../drafts/linked.md", "content/articles/linked.md")(t, dir)
	if err := buildSite(t, dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "public/shared.txt")); err != nil || string(b) != hostileBase["content/shared.txt"] {
		t.Errorf("public/shared.txt = %q, %v; want the linked file", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "public/articles/linked/index.html")); err != nil || !strings.Contains(string(b), "Linked body.") {
		t.Errorf("linked article page: %v; want its body", err)
	}
}

func link(target, name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

func fifo(name string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("cannot make a named pipe: %v", err)
		}
	}
}
