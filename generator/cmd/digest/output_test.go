package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copySite copies the bundled site's registries and articles into a new
// directory with a layouts/ directory of its own, and returns it.
func copySite(t *testing.T, dir string) string {
	t.Helper()
	root := filepath.Join("..", "..", "..")
	site := filepath.Join(dir, "site")
	for _, sub := range []string{"content", filepath.Join("content", "articles")} {
		entries, err := os.ReadDir(filepath.Join(root, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(root, sub, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			writeSite(t, site, map[string]string{filepath.ToSlash(filepath.Join(sub, e.Name())): string(data)})
		}
	}
	writeSite(t, site, map[string]string{"layouts/static/note.txt": "a static file\n", "content/inbox/raw.txt": "a raw page\n"})
	return site
}

// tree lists every file, directory and link under dir with what it holds.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			fmt.Fprintf(&b, "%s -> %s\n", rel, target)
		case d.IsDir():
			fmt.Fprintf(&b, "%s/\n", rel)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%s %x\n", rel, sha256.Sum256(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBuildRefusesOutput gives digest build every output it must refuse
// and checks the exact message, the exit status and that nothing changed.
func TestBuildRefusesOutput(t *testing.T) {
	top := t.TempDir()
	site := copySite(t, top)
	home := filepath.Join(top, "home")
	writeSite(t, home, map[string]string{"notes.txt": "mine\n"})
	t.Setenv("HOME", home)
	foreign := filepath.Join(top, "foreign")
	writeSite(t, foreign, map[string]string{"keep.txt": "not a build\n", "sub/deep.txt": "nor this\n"})
	target := filepath.Join(top, "target")
	writeSite(t, target, map[string]string{"index.html": "elsewhere\n"})
	link := filepath.Join(top, "linked-public")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	toContent := filepath.Join(top, "to-content")
	if err := os.Symlink(filepath.Join(site, "content"), toContent); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(top, "file.txt")
	writeSite(t, top, map[string]string{"file.txt": "a file\n"})

	tests := []struct {
		name, out, msg string
	}{
		{"root", "/", "is the root of the file system; choose another --out"},
		{"home", home, "is the home directory; choose another --out"},
		{"site root", site, "is the site root; choose another --out, such as " + filepath.Join(site, "public")},
		{"parent of the site", top, "contains the site " + site + "; choose another --out, such as " + filepath.Join(site, "public")},
		{"content", filepath.Join(site, "content"), "inside the site's content/ directory; choose another --out"},
		{"articles", filepath.Join(site, "content", "articles"), "inside the site's content/ directory; choose another --out"},
		{"inbox by ..", filepath.Join(site, "public", "..", "content", "inbox"), "inside the site's content/ directory; choose another --out"},
		{"not yet in content", filepath.Join(site, "content", "new"), "inside the site's content/ directory; choose another --out"},
		{"content by a link", filepath.Join(toContent, "articles"), "inside the site's content/ directory; choose another --out"},
		{"layouts", filepath.Join(site, "layouts", "static"), "inside the site's layouts/ directory; choose another --out"},
		{"not a build", foreign, "holds files that digest build did not make (it has no .digest-build file); empty or remove it, or choose another --out"},
		{"symbolic link", link, "is a symbolic link to " + target + "; give its target as --out to build there, or remove the link"},
		{"a file", file, "exists and is not a directory; remove it or choose another --out"},
	}
	before := tree(t, top)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd("build", "--site", site, "--out", tt.out)
			want := "digest build: output " + tt.out + ": " + tt.msg + "\n"
			if code != 1 || stderr != want || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr\n%q; want exit 1, no stdout, stderr\n%q", code, stdout, stderr, want)
			}
			if after := tree(t, top); after != before {
				t.Errorf("the refused build changed files:\n%s\nwant\n%s", after, before)
			}
		})
	}

	// The default output, an empty directory and a digest build's own
	// output are accepted; so is the target of the link.
	for _, out := range []string{"", filepath.Join(top, "empty"), filepath.Join(site, "public"), target + "-built"} {
		if out != "" && strings.HasSuffix(out, "empty") {
			os.Mkdir(out, 0o755)
		}
		args := []string{"build", "--quiet", "--site", site}
		if out != "" {
			args = append(args, "--out", out)
		}
		for range 2 { // the second time the output is a build's
			if code, _, stderr := runCmd(args...); code != 0 {
				t.Errorf("digest %s: exit %d: %s", strings.Join(args, " "), code, stderr)
			}
		}
	}
}

// TestBuildMessageAfterFailure checks what the command says of the output
// when a build fails: unchanged when there was one, nothing otherwise.
func TestBuildMessageAfterFailure(t *testing.T) {
	site := copySite(t, t.TempDir())
	writeSite(t, site, map[string]string{"layouts/topics.html": `{{define "main"}}{{.Nope}}{{end}}`})
	out := filepath.Join(site, "public")
	code, _, stderr := runCmd("build", "--quiet", "--site", site)
	if code != 1 || !strings.HasSuffix(stderr, "\ndigest build: failed; nothing was written\n") {
		t.Errorf("first build: exit %d, stderr %q; want exit 1 and nothing written", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed first build made %s", out)
	}
	os.Remove(filepath.Join(site, "layouts", "topics.html"))
	if code, _, stderr := runCmd("build", "--quiet", "--site", site); code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	before := tree(t, out)
	writeSite(t, site, map[string]string{"layouts/topics.html": `{{define "main"}}{{.Nope}}{{end}}`})
	code, _, stderr = runCmd("build", "--quiet", "--site", site)
	want := "digest build: failed; nothing was written: " + out + " still holds the previous build, unchanged\n"
	if code != 1 || !strings.HasSuffix(stderr, "\n"+want) {
		t.Errorf("second build: exit %d, stderr %q; want exit 1 and ending %q", code, stderr, want)
	}
	if after := tree(t, out); after != before {
		t.Error("the failed build changed the output")
	}
}
