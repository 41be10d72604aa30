package content

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func symlink(target string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
}

// TestReadFile checks what ReadFile reads and what it refuses, with the
// exact message, over a file system with links and special files.
func TestReadFile(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.yaml":         {Data: []byte("a\n")},
		"content/link.yaml":      symlink("a.yaml"),
		"content/chain.yaml":     symlink("link.yaml"),
		"content/sub/up.yaml":    symlink("../a.yaml"),
		"content/dir":            symlink("sub"),
		"content/via-dir.yaml":   symlink("dir/../a.yaml"), // ".." from where dir leads: content/a.yaml
		"content/abs.yaml":       symlink("/etc/passwd"),
		"content/out.yaml":       symlink("../../x"),
		"content/dotdot.yaml":    symlink("sub/../../../x"),
		"content/root":           symlink(".."),
		"content/escape.yaml":    symlink("root/../x"), // root is the site; its ".." is outside
		"content/loop.yaml":      symlink("loop.yaml"),
		"content/dangling.yaml":  symlink("gone.yaml"),
		"content/zero":           {Mode: fs.ModeDevice | fs.ModeCharDevice},
		"content/pipe":           {Mode: fs.ModeNamedPipe},
		"content/sock":           {Mode: fs.ModeSocket},
		"content/big.yaml":       {Data: make([]byte, 4<<20+1)},
		"content/limit.yaml":     {Data: make([]byte, 4<<20)},
		"content/linked-dir/x":   {Data: []byte("x")},
		"layouts/static/big.bin": {Data: make([]byte, 4<<20+1)},
	}
	tests := []struct {
		name string
		kind FileKind
		want string // the bytes read, or "error: " and the message
	}{
		{"content/a.yaml", RegistryFile, "a\n"},
		{"content/link.yaml", RegistryFile, "a\n"},
		{"content/chain.yaml", RegistryFile, "a\n"},
		{"content/sub/up.yaml", RegistryFile, "a\n"},
		{"content/dir/up.yaml", RegistryFile, "a\n"},
		{"content/via-dir.yaml", RegistryFile, "a\n"},
		{"layouts/static/big.bin", StaticFile, strings.Repeat("\x00", 4<<20+1)},
		{"content/limit.yaml", RegistryFile, strings.Repeat("\x00", 4<<20)},
		{"content/abs.yaml", RegistryFile, `error: symbolic link to "/etc/passwd" leads outside the site; only files inside the site are read`},
		{"content/out.yaml", RegistryFile, `error: symbolic link to "../../x" leads outside the site; only files inside the site are read`},
		{"content/dotdot.yaml", RegistryFile, `error: symbolic link to "sub/../../../x" leads outside the site; only files inside the site are read`},
		{"content/escape.yaml", RegistryFile, `error: symbolic link to ".." leads outside the site; only files inside the site are read`},
		{"content/loop.yaml", RegistryFile, `error: more than 40 symbolic links in a chain`},
		{"content/zero", RegistryFile, `error: a device, not a regular file; only regular files are read`},
		{"content/pipe", RegistryFile, `error: a named pipe (FIFO), not a regular file; only regular files are read`},
		{"content/sock", RegistryFile, `error: a socket, not a regular file; only regular files are read`},
		{"content/sub", RegistryFile, `error: a directory, not a regular file; only regular files are read`},
		{"content/big.yaml", RegistryFile, `error: larger than the 4 MiB limit for a registry`},
		{"content/big.yaml", ArticleFile, `error: larger than the 4 MiB limit for an article`},
		{"content/big.yaml", LayoutFile, `error: larger than the 4 MiB limit for a layout`},
	}
	for _, tt := range tests {
		data, err := ReadFile(fsys, tt.name, tt.kind)
		got := string(data)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != tt.want {
			t.Errorf("ReadFile(%s, %v) = %.200q; want %.200q", tt.name, tt.kind, got, tt.want)
		}
	}
	for name, want := range map[string]error{
		"content/abs.yaml": ErrOutsideSite, "content/pipe": ErrNotRegular, "content/big.yaml": ErrTooLarge,
		"content/dangling.yaml": fs.ErrNotExist, "content/none.yaml": fs.ErrNotExist,
	} {
		if _, err := ReadFile(fsys, name, RegistryFile); !errors.Is(err, want) {
			t.Errorf("ReadFile(%s) = %v; want an error that is %v", name, err, want)
		}
	}
}

func TestFileKindLimits(t *testing.T) {
	for k, want := range map[FileKind]string{
		ArticleFile: "4 MiB an article", RegistryFile: "4 MiB a registry", LayoutFile: "4 MiB a layout", StaticFile: "32 MiB a static file",
	} {
		if got := fmt.Sprintf("%d MiB %s", k.Limit()>>20, k); got != want {
			t.Errorf("kind %d: %s; want %s", k, got, want)
		}
	}
}

// TestLoadRefusesLinks checks the loader over a MapFS: a link out of the
// site is refused whether the full Load or a Reload finds it, a link
// inside is followed, and ReadBody reads the file the link led to.
func TestLoadRefusesLinks(t *testing.T) {
	good := "---\ntitle: A\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\nBody.\n"
	fsys := site(map[string]string{"content/drafts/a.md": good})
	fsys["content/drafts/a.md"].ModTime = time.Unix(1, 0) // a cache trusts only a known time
	fsys["content/articles/a.md"] = symlink("../drafts/a.md")
	fsys["content/articles/out.md"] = symlink("/etc/passwd")
	fsys["content/articles/pipe.md"] = &fstest.MapFile{Mode: fs.ModeNamedPipe}
	_, err := Load(fsys)
	want := `content/articles/out.md: read: symbolic link to "/etc/passwd" leads outside the site; only files inside the site are read
content/articles/pipe.md: read: a named pipe (FIFO), not a regular file; only regular files are read`
	if err == nil || err.Error() != want {
		t.Fatalf("Load: %v\nwant:\n%s", err, want)
	}

	delete(fsys, "content/articles/out.md")
	delete(fsys, "content/articles/pipe.md")
	var l Loader
	s, err := l.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a := s.Articles[0]
	if body, err := a.ReadBody(fsys); err != nil || string(body) != "Body.\n" || a.file != "content/drafts/a.md" {
		t.Errorf("ReadBody = %q, %v from %q; want the linked file's body", body, err, a.file)
	}
	// A reload for another file keeps the linked article as it was read.
	if s, err := l.Reload(fsys, []string{"content/articles/other.md"}); err != nil || s.Parsed != 0 || len(s.Articles) != 1 {
		t.Errorf("Reload of an unrelated path: %v, %v; want nothing parsed again", s, err)
	}
	// Replaced by a link out, as a watcher reports it.
	fsys["content/articles/a.md"] = symlink("../../../../etc/passwd")
	if _, err := l.Reload(fsys, []string{"content/articles/a.md"}); err == nil ||
		err.Error() != `content/articles/a.md: read: symbolic link to "../../../../etc/passwd" leads outside the site; only files inside the site are read` {
		t.Errorf("Reload: %v; want the link refused", err)
	}
	// An Article a Loader did not make resolves its path first.
	b := &Article{Path: "content/articles/a.md", Size: 10}
	if _, err := b.ReadBody(fsys); err == nil || !errors.Is(err, ErrOutsideSite) {
		t.Errorf("ReadBody through a link out: %v; want refused", err)
	}
}
