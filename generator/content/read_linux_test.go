//go:build linux

package content

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

// TestDirFSNamedPipe checks that a named pipe is refused without blocking,
// both when its type is seen first and when it is opened (as it would be
// if it replaced a checked file): DirFS opens without waiting for a writer.
func TestDirFSNamedPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skipf("cannot make a named pipe here: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "a.md"), []byte("a"), 0o644)
	fsys := DirFS(dir)
	done := make(chan string, 2)
	go func() {
		_, err := ReadFile(fsys, "pipe", ArticleFile)
		done <- "ReadFile: " + err.Error()
		_, _, err = readRegular(fsys, "pipe", ArticleFile, -1, nil)
		done <- "opened: " + err.Error()
	}()
	for _, want := range []string{
		"ReadFile: a named pipe (FIFO), not a regular file; only regular files are read",
		"opened: a named pipe (FIFO), not a regular file; only regular files are read",
	} {
		select {
		case got := <-done:
			if got != want {
				t.Errorf("%s; want %s", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("blocked on a named pipe")
		}
	}
	if b, err := ReadFile(fsys, "a.md", ArticleFile); err != nil || string(b) != "a" {
		t.Errorf("ReadFile(a.md) = %q, %v; want a", b, err)
	}
	if _, err := fsys.Open("../x"); err == nil || !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open(../x) = %v; want invalid", err)
	}
	if _, err := fs.Stat(fsys, "gone"); !errors.Is(err, fs.ErrNotExist) || strings.Contains(err.Error(), dir) {
		t.Errorf("Stat(gone) = %v; want not found, naming only the relative path", err)
	}
	os.Remove(filepath.Join(dir, "pipe"))
	if err := fstest.TestFS(fsys, "a.md"); err != nil {
		t.Error(err)
	}
}
