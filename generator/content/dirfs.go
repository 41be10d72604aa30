package content

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// DirFS returns the site in the directory dir as an fs.FS to load and
// render it from. It is os.DirFS but for one thing: it opens files without
// waiting for a writer, so that a named pipe put in place of a file after
// its type was checked does not block the build (ReadFile then refuses it
// on the open file). It tells links (fs.ReadLinkFS), as Resolve needs.
func DirFS(dir string) fs.FS { return siteDir(dir) }

type siteDir string

func (d siteDir) join(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(string(d), filepath.FromSlash(name)), nil
}

// relative names name, not the whole path, in err, as os.DirFS does.
func relative(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return err
}

// Open opens name for reading, without blocking on a named pipe.
func (d siteDir) Open(name string) (fs.File, error) {
	p, err := d.join("open", name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, relative(err, name)
	}
	return f, nil
}

// Stat is fs.StatFS's: it follows links.
func (d siteDir) Stat(name string) (fs.FileInfo, error) {
	p, err := d.join("stat", name)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(p)
	return fi, relative(err, name)
}

// Lstat is fs.ReadLinkFS's: it does not follow a link.
func (d siteDir) Lstat(name string) (fs.FileInfo, error) {
	p, err := d.join("lstat", name)
	if err != nil {
		return nil, err
	}
	fi, err := os.Lstat(p)
	return fi, relative(err, name)
}

// ReadLink returns the target of the link name, as written.
func (d siteDir) ReadLink(name string) (string, error) {
	p, err := d.join("readlink", name)
	if err != nil {
		return "", err
	}
	t, err := os.Readlink(p)
	return filepath.ToSlash(t), relative(err, name)
}

// ReadDir is fs.ReadDirFS's: the entries sorted by name.
func (d siteDir) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := d.join("readdir", name)
	if err != nil {
		return nil, err
	}
	list, err := os.ReadDir(p)
	return list, relative(err, name)
}
