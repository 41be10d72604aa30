// Package atomicfile replaces a file whole or not at all. The importer
// writes articles with it, the fetcher inbox pages and their sidecars, and
// the build its cache file.
//
// Contract of Write and WriteFunc:
//   - The bytes go into a new temporary file in the directory of the file,
//     so that the rename that puts it in place never crosses file systems.
//     Its name comes from Options.Pattern with a random part, and it is
//     created exclusively: when the name is taken another is drawn, so two
//     writers, in one process or in two, never share a temporary file.
//   - The file gets the permission bits of the regular file it replaces, or
//     Options.Perm when there is none (0644 by default), exactly: the
//     umask does not reduce them. The temporary file has them from the
//     start, as it holds nothing the file will not hold.
//   - With Options.Sync the data is flushed to the disk before the rename,
//     so that a crash of the system leaves the old bytes or the new ones,
//     never an empty or partial file in the place of the old one. The
//     directory is not synced: after a crash the rename itself may be
//     undone, leaving the old file. Without Sync a crash of the system
//     (not of the process) may leave the file empty or partial.
//   - On any error the file is as it was (or still absent) and the
//     temporary file is removed; only a process killed between creating
//     and renaming it leaves it, under a name its caller can match with
//     Options.Pattern to remove it on its next run.
//   - An error is an *fs.PathError with Op "write" and Path the file
//     written (never the temporary file), whose Err is the cause.
//
// Every change goes through an FS, so that a test can fail or stop any
// of them; OS is the real file system. Reads (the mode of the file
// replaced) go to the file system directly.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FS is every change a write makes to the file system.
type FS interface {
	// CreateNew creates the file path open for writing, with exactly
	// the permission bits perm, or fails with an error matching
	// fs.ErrExist when path exists.
	CreateNew(path string, perm fs.FileMode) (File, error)
	// Rename renames oldpath to newpath, replacing newpath.
	Rename(oldpath, newpath string) error
	// Remove removes the file path.
	Remove(path string) error
}

// File is a file open for writing.
type File interface {
	io.Writer
	Sync() error
	Close() error
}

// OS is the real file system.
type OS struct{}

// CreateNew creates path with O_EXCL, then sets its permission bits, which
// the umask has reduced.
func (OS) CreateNew(path string, perm fs.FileMode) (File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return f, nil
}

// Rename is os.Rename.
func (OS) Rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }

// Remove is os.Remove.
func (OS) Remove(path string) error { return os.Remove(path) }

// Options say how a file is written. The zero value writes a file of mode
// 0644 (or the old file's), not synced, through ".NAME.tmp-*".
type Options struct {
	// Perm is the permission bits of a file that does not exist yet; 0
	// means 0644. A file that exists keeps its own.
	Perm fs.FileMode
	// Sync flushes the data to the disk before the rename.
	Sync bool
	// Pattern names the temporary file as os.CreateTemp's pattern does:
	// its last "*" is replaced by a random string (appended when it has
	// none). It must not hold a path separator. Empty means NAME.tmp-*
	// after a dot, NAME being the file's base name (which gives no second
	// dot to a name that starts with one).
	Pattern string
}

// tries is how many names are drawn before giving up: one is taken only
// when a temporary file of the same pattern exists, and 62 random bits
// make a second one as good as impossible.
const tries = 100

// Write writes data to path through fsys as the package comment says.
func Write(fsys FS, path string, data []byte, o Options) error {
	return WriteFunc(fsys, path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, o)
}

// WriteFunc is Write with the bytes written by write, which must return
// the first error its writer returned. write is called once; when it
// fails or panics, the file is left as it was and the temporary file is
// removed.
func WriteFunc(fsys FS, path string, write func(io.Writer) error, o Options) error {
	fail := func(cause error) error {
		return &fs.PathError{Op: "write", Path: path, Err: bare(cause)}
	}
	prefix, suffix, err := split(path, o.Pattern)
	if err != nil {
		return fail(err)
	}
	perm := o.Perm
	if perm == 0 {
		perm = 0o644
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	var tmp string
	var f File
	for range tries {
		tmp = filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64()>>2, 36)+suffix)
		if f, err = fsys.CreateNew(tmp, perm); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fail(err)
	}
	done := false
	defer func() {
		if !done { // a failure, or a panic in write
			if f != nil {
				f.Close()
			}
			fsys.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return fail(err)
	}
	if o.Sync {
		if err := f.Sync(); err != nil {
			return fail(err)
		}
	}
	cerr := f.Close()
	f = nil
	if cerr != nil {
		return fail(cerr)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fail(err)
	}
	done = true
	return nil
}

// split returns the parts of the temporary file's name around its random
// part.
func split(path, pattern string) (prefix, suffix string, err error) {
	if pattern == "" {
		base := filepath.Base(path)
		if !strings.HasPrefix(base, ".") {
			base = "." + base
		}
		return base + ".tmp-", "", nil
	}
	if strings.ContainsRune(pattern, os.PathSeparator) || strings.ContainsRune(pattern, '/') {
		return "", "", fmt.Errorf("temporary file pattern %q holds a path separator", pattern)
	}
	if i := strings.LastIndexByte(pattern, '*'); i >= 0 {
		return pattern[:i], pattern[i+1:], nil
	}
	return pattern, "", nil
}

// bare is err without the temporary file's name that an *fs.PathError or
// *os.LinkError repeats: the error names the file written instead.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
