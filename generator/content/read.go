package content

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Reading a site's files.
//
// A site is untrusted input: a repository anyone may push to is built and
// published as it stands. So every file the build reads from a site goes
// through the checks here, and a file that fails them is an error naming
// it, never read:
//
//   - only regular files are read: a named pipe would block the build for
//     ever, a device such as /dev/zero would fill memory, a socket or a
//     directory has no bytes to give;
//   - a symbolic link is followed only while it stays inside the site: a
//     link to /proc/self/environ or /etc/passwd would publish the build's
//     environment or the machine's accounts. An absolute link target, or
//     one that climbs out through "..", is refused, as is a chain of more
//     than maxLinks links;
//   - the type is checked before the file is opened (from the directory
//     listing, or with Lstat), and again on the open file;
//   - a file is read through the size limit of its kind (FileKind.Limit),
//     so a file that grows while it is read is stopped too.
//
// Links are seen when the fs.FS can tell them (fs.ReadLinkFS, as os.DirFS
// and DirFS can); a file system without links (embed.FS) needs no check.

// FileKind says what a site file is for, which sets the most bytes it may
// hold.
type FileKind uint8

// The kinds of file a build reads.
const (
	ArticleFile  FileKind = iota // content/articles/*.md
	RegistryFile                 // content/*.yaml
	LayoutFile                   // layouts/*.html
	StaticFile                   // layouts/static/*
)

// Limit is the most bytes a file of this kind may hold: far above any real
// one (an article of 10,000 words is under 100 KB), low enough that a
// build of a hostile site stays within memory.
func (k FileKind) Limit() int64 {
	switch k {
	case StaticFile:
		return 32 << 20
	}
	return 4 << 20
}

// String names the kind in messages: "an article".
func (k FileKind) String() string {
	switch k {
	case ArticleFile:
		return "an article"
	case RegistryFile:
		return "a registry"
	case LayoutFile:
		return "a layout"
	}
	return "a static file"
}

// Errors a refused file's error wraps, for errors.Is.
var (
	ErrOutsideSite = errors.New("outside the site")
	ErrNotRegular  = errors.New("not a regular file")
	ErrTooLarge    = errors.New("over the size limit")
)

// maxLinks is the longest chain of symbolic links followed, as Linux's.
const maxLinks = 40

// readError is a refusal: its message, and the error it is an instance of.
type readError struct {
	msg  string
	kind error
}

func (e *readError) Error() string { return e.msg }
func (e *readError) Unwrap() error { return e.kind }

func outside(target string) error {
	return &readError{fmt.Sprintf("symbolic link to %q leads outside the site; only files inside the site are read", target), ErrOutsideSite}
}

func tooLarge(k FileKind) error {
	return &readError{fmt.Sprintf("larger than the %d MiB limit for %s", k.Limit()>>20, k), ErrTooLarge}
}

// notRegular is the refusal of a file of type mode.
func notRegular(mode fs.FileMode) error {
	what := "an irregular file"
	switch {
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeSymlink != 0:
		what = "a symbolic link"
	}
	return &readError{what + ", not a regular file; only regular files are read", ErrNotRegular}
}

// ReadFile reads the file name (slash-separated, relative to the site
// root) from the site fsys, as a file of kind k, after the checks described
// above. A missing file gives an error for which errors.Is(err,
// fs.ErrNotExist) holds; the other errors do not repeat name.
func ReadFile(fsys fs.FS, name string, k FileKind) ([]byte, error) {
	file, _, err := Resolve(fsys, name)
	if err != nil {
		return nil, err
	}
	data, _, err := readRegular(fsys, file, k, -1, nil)
	return data, err
}

// Resolve returns the path inside fsys that name leads to once every
// symbolic link along it is followed, and the information of what is
// there, which is a regular file or a directory. It refuses a link that
// leads outside the site, and anything else. When fsys cannot tell links
// (it is not an fs.ReadLinkFS), name is taken as it is.
func Resolve(fsys fs.FS, name string) (string, fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return "", nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	lfs, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		fi, err := fs.Stat(fsys, name)
		if err != nil {
			return "", nil, err
		}
		if !fi.Mode().IsRegular() && !fi.IsDir() {
			return "", nil, notRegular(fi.Mode())
		}
		return name, fi, nil
	}
	var done []string // components followed so far: real directories
	todo := strings.Split(name, "/")
	if name == "." {
		todo = nil
	}
	links := 0
	via := "" // the last link target followed, for messages
	var fi fs.FileInfo
	for len(todo) > 0 {
		c := todo[0]
		todo = todo[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			// done holds no links, so ".." takes one component off it.
			if len(done) == 0 {
				return "", nil, outside(via)
			}
			done = done[:len(done)-1]
			fi = nil
			continue
		}
		p := path.Join(append(done, c)...)
		var err error
		if fi, err = lfs.Lstat(p); err != nil {
			return "", nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if links++; links > maxLinks {
				return "", nil, &readError{fmt.Sprintf("more than %d symbolic links in a chain", maxLinks), ErrNotRegular}
			}
			target, err := lfs.ReadLink(p)
			if err != nil {
				return "", nil, err
			}
			if path.IsAbs(target) || strings.HasPrefix(target, `\`) {
				return "", nil, outside(target)
			}
			// The target is read component by component too: a ".." after a
			// link is taken from where the link leads, as the system does.
			todo = append(strings.Split(target, "/"), todo...)
			via = target
			fi = nil
			continue
		}
		done = append(done, c)
		if len(todo) > 0 && !fi.IsDir() {
			return "", nil, &fs.PathError{Op: "open", Path: name, Err: errors.New("not a directory")}
		}
	}
	if fi == nil { // the site root, or a directory reached by ".."
		p := path.Join(done...)
		if p == "" {
			p = "."
		}
		var err error
		if fi, err = fs.Stat(fsys, p); err != nil {
			return "", nil, err
		}
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() {
		return "", nil, notRegular(fi.Mode())
	}
	file := path.Join(done...)
	if file == "" {
		file = "."
	}
	return file, fi, nil
}

// readRegular opens file (a path Resolve returned, or one a directory
// listing of a checked directory showed as a regular file), checks on the
// open file that it is regular and within k's limit, and reads it into
// buf's storage, grown when too small. size is the size expected, or -1.
// It returns the bytes and the open file's information.
func readRegular(fsys fs.FS, file string, k FileKind, size int64, buf []byte) ([]byte, fs.FileInfo, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, notRegular(fi.Mode())
	}
	if fi.Size() > k.Limit() {
		return nil, nil, tooLarge(k)
	}
	if size < 0 {
		size = fi.Size()
	}
	data, err := readAll(f, int(size), k.Limit(), buf)
	if errors.Is(err, ErrTooLarge) {
		err = tooLarge(k)
	}
	return data, fi, err
}

// readAll reads f to its end into buf's storage, sized for size bytes,
// failing with ErrTooLarge past max bytes.
func readAll(f fs.File, size int, max int64, buf []byte) ([]byte, error) {
	buf = slices.Grow(buf[:0], size+512)
	for {
		if int64(len(buf)) > max {
			return nil, ErrTooLarge
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			if int64(len(buf)) > max {
				return nil, ErrTooLarge
			}
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readListed reads a file a directory listing showed with type mode (the
// type bits of fs.DirEntry.Type): a regular file is opened at once, a link
// is resolved first, anything else is refused before it is opened.
func readListed(fsys fs.FS, name string, mode fs.FileMode, k FileKind, buf []byte) ([]byte, fs.FileInfo, string, error) {
	file := name
	switch {
	case mode.Type() == 0:
	case mode&fs.ModeSymlink != 0:
		var err error
		if file, _, err = Resolve(fsys, name); err != nil {
			return nil, nil, "", err
		}
	default:
		return nil, nil, "", notRegular(mode)
	}
	data, fi, err := readRegular(fsys, file, k, -1, buf)
	return data, fi, file, err
}

// ReadListed is ReadFile for a file found by fs.WalkDir or fs.ReadDir in a
// directory already checked with Resolve, whose entry's type it is given:
// it spares a look-up of each component of the path.
func ReadListed(fsys fs.FS, name string, d fs.DirEntry, k FileKind) ([]byte, error) {
	data, _, _, err := readListed(fsys, name, d.Type(), k, nil)
	return data, err
}
