package build

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"digest/generator/internal/atomicfile"
)

// disk is every change a build makes to the file system: all its writes,
// links, removals and renames go through one, so that a test can fail any
// of them, or stop the process at any of them, and see what a reader of
// the output would see. Reads go to the file system directly. A disk is
// an atomicfile.FS (CreateNew, Rename, Remove), so that the cache file is
// written through it too.
type disk interface {
	atomicfile.FS
	Mkdir(path string) error                    // mode 0755
	Create(path string) (io.WriteCloser, error) // creates or truncates, mode 0644
	Link(oldpath, newpath string) error
	RemoveAll(path string) error
	// Exchange swaps two paths atomically, or fails changing nothing.
	Exchange(a, b string) error
	Chtimes(path string, t time.Time) error
}

// osDisk is the real file system.
type osDisk struct{}

func (osDisk) Mkdir(p string) error { return os.Mkdir(p, 0o755) }
func (osDisk) Create(p string) (io.WriteCloser, error) {
	return os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
}
func (osDisk) CreateNew(p string, perm fs.FileMode) (atomicfile.File, error) {
	return atomicfile.OS{}.CreateNew(p, perm)
}
func (osDisk) Link(a, b string) error              { return os.Link(a, b) }
func (osDisk) Remove(p string) error               { return os.Remove(p) }
func (osDisk) RemoveAll(p string) error            { return os.RemoveAll(p) }
func (osDisk) Rename(a, b string) error            { return os.Rename(a, b) }
func (osDisk) Exchange(a, b string) error          { return exchange(a, b) }
func (osDisk) Chtimes(p string, t time.Time) error { return os.Chtimes(p, t, t) }

// writeFile writes data to path through d.
func writeFile(d disk, path string, data []byte) error {
	f, err := d.Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// makeDir makes the directory dir through d, and its parents when they
// are missing. Nearly every page has a directory of its own whose parent
// exists, so one mkdir does.
func makeDir(d disk, dir string) error {
	err := d.Mkdir(dir)
	switch {
	case err == nil || errors.Is(err, fs.ErrExist):
		return nil // a file in dir's place fails the write that follows
	case errors.Is(err, fs.ErrNotExist):
		if parent := filepath.Dir(dir); parent != dir {
			if err := makeDir(d, parent); err != nil {
				return err
			}
		}
		if err := d.Mkdir(dir); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		return nil
	}
	return err
}

// removeFile removes the file path and then each directory above it left
// empty, up to root.
func removeFile(d disk, root, path string) error {
	if err := d.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for dir := filepath.Dir(path); dir != root && within(dir, root); dir = filepath.Dir(dir) {
		if d.Remove(dir) != nil {
			break
		}
	}
	return nil
}

// setTime gives a written file the build's fixed modification time, if any.
func setTime(d disk, path string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	return d.Chtimes(path, t)
}
