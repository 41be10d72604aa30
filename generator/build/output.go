package build

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// sink receives the files of one build.
type sink interface {
	// put stores a file; same says its bytes equal the previous build's.
	put(name string, data []byte, same bool) error
	// has reports whether the previous build's file is still in place.
	has(name string, old fileState) bool
	// keep carries the previous build's file over unchanged.
	keep(name string) error
	// commit makes the build the output and returns how many files of prev
	// it removed.
	commit(prev, next map[string]fileState) (int, error)
	// abort drops everything put so far; the output stays as it was.
	abort()
}

// stagingSink writes a whole build into a directory beside the output and
// swaps it in on commit.
type stagingSink struct {
	out, dir string
	mtime    time.Time // when not zero, the modification time of every file
}

func newStagingSink(out string, mtime time.Time) (*stagingSink, error) {
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("build: output %s: %w", out, errNotDir)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("build: output: %v", err)
	}
	dir, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".staging-")
	if err != nil {
		return nil, fmt.Errorf("build: output: %v", err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("build: output: %v", err)
	}
	return &stagingSink{out: out, dir: dir, mtime: mtime}, nil
}

func (s *stagingSink) path(name string) (string, error) {
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	return p, makeDir(filepath.Dir(p))
}

// makeDir makes the directory d, and its parents when they are missing.
// Nearly every page has a directory of its own whose parent exists, so
// one mkdir does, where os.MkdirAll would first look at d and its parent.
func makeDir(d string) error {
	err := os.Mkdir(d, 0o755)
	switch {
	case err == nil || errors.Is(err, fs.ErrExist):
		return nil // a file in d's place fails the write that follows
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(d, 0o755)
	}
	return err
}

func (s *stagingSink) put(name string, data []byte, same bool) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	return setTime(p, s.mtime)
}

// setTime gives a written file the build's fixed modification time, if any.
func setTime(path string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	return os.Chtimes(path, t, t)
}

func (s *stagingSink) has(name string, old fileState) bool {
	fi, err := os.Lstat(filepath.Join(s.out, filepath.FromSlash(name)))
	return err == nil && fi.Mode().IsRegular() && fi.Size() == old.Size
}

// keep links the previous file into the staging directory; where links are
// not possible it copies it.
func (s *stagingSink) keep(name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	src := filepath.Join(s.out, filepath.FromSlash(name))
	if os.Link(src, p) == nil {
		return setTime(p, s.mtime)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return setTime(p, s.mtime)
}

func (s *stagingSink) commit(prev, next map[string]fileState) (int, error) {
	if err := swapDirs(s.dir, s.out); err != nil {
		os.RemoveAll(s.dir)
		return 0, fmt.Errorf("build: replacing %s: %v", s.out, err)
	}
	removed := 0
	for name := range prev {
		if _, ok := next[name]; !ok {
			removed++
		}
	}
	return removed, nil
}

func (s *stagingSink) abort() { os.RemoveAll(s.dir) }

// swapDirs puts the staging directory in place of out. Where the system
// can exchange two paths atomically it does; otherwise out is moved aside
// first, leaving a moment with no output at all.
func swapDirs(staging, out string) error {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return os.Rename(staging, out)
	}
	if exchange(staging, out) == nil {
		return os.RemoveAll(staging) // staging now holds the old output
	}
	old := staging + ".old"
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(staging, out); err != nil {
		os.Rename(old, out)
		return err
	}
	return os.RemoveAll(old)
}

// patchSink updates an output that holds a known previous build. It keeps
// new and changed files in memory; on commit it replaces each atomically in
// place and removes the files the build no longer has, so a rebuild that
// changed little writes little. When the changes outgrow spillBytes (a
// layout edit re-renders every page) it spills to a staging directory
// instead, links the unchanged files into it on commit, and swaps it in
// like a full build.
type patchSink struct {
	out   string
	mtime time.Time
	trust bool // the output is this process's own: skip checking files are there

	mu      sync.Mutex
	pending map[string][]byte
	size    int
	limit   int             // spill past this many bytes pending
	staging *stagingSink    // after a spill
	placed  map[string]bool // files already in staging
}

// spillBytes is how much changed output a patchSink holds in memory.
const spillBytes = 16 << 20

func newPatchSink(out string, mtime time.Time, trust bool, limit int) *patchSink {
	if limit <= 0 {
		limit = spillBytes
	}
	return &patchSink{out: out, mtime: mtime, trust: trust, limit: limit,
		pending: map[string][]byte{}, placed: map[string]bool{}}
}

func (s *patchSink) put(name string, data []byte, same bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.staging != nil {
		s.placed[name] = true
		return s.staging.put(name, data, same)
	}
	if same {
		return nil
	}
	s.pending[name] = append([]byte(nil), data...)
	s.size += len(data)
	if s.size > s.limit {
		return s.spill()
	}
	return nil
}

// spill moves the pending files into a new staging directory.
func (s *patchSink) spill() error {
	st, err := newStagingSink(s.out, s.mtime)
	if err != nil {
		return err
	}
	s.staging = st
	for name, data := range s.pending {
		if err := st.put(name, data, false); err != nil {
			return err
		}
		s.placed[name] = true
	}
	s.pending, s.size = nil, 0
	return nil
}

func (s *patchSink) has(name string, old fileState) bool {
	if s.trust {
		return true
	}
	fi, err := os.Lstat(filepath.Join(s.out, filepath.FromSlash(name)))
	return err == nil && fi.Mode().IsRegular() && fi.Size() == old.Size
}

func (s *patchSink) keep(string) error { return nil }

func (s *patchSink) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = nil
	if s.staging != nil {
		s.staging.abort()
	}
}

func (s *patchSink) commit(prev, next map[string]fileState) (int, error) {
	var gone []string // files of the last build this one does not have
	for name := range prev {
		if _, ok := next[name]; !ok {
			gone = append(gone, name)
		}
	}
	removed := len(gone)
	if s.staging != nil {
		for name := range next {
			if !s.placed[name] {
				if err := s.staging.keep(name); err != nil {
					s.staging.abort()
					return 0, fmt.Errorf("build: %v", err)
				}
			}
		}
		if _, err := s.staging.commit(prev, next); err != nil {
			return 0, err
		}
		return removed, nil
	}
	for name, data := range s.pending {
		p := filepath.Join(s.out, filepath.FromSlash(name))
		if err := writeAtomic(p, data); err != nil {
			return 0, fmt.Errorf("build: %v", err)
		}
		if err := setTime(p, s.mtime); err != nil {
			return 0, fmt.Errorf("build: %v", err)
		}
	}
	for _, name := range gone {
		p := filepath.Join(s.out, filepath.FromSlash(name))
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return removed, fmt.Errorf("build: %v", err)
		}
		// Drop directories left empty, up to the output root.
		for d := filepath.Dir(p); d != s.out && strings.HasPrefix(d, s.out); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	return removed, nil
}

// writeAtomic writes data to a temporary file beside path and renames it
// over path, so a reader sees the old bytes or the new, never a mix.
func writeAtomic(path string, data []byte) error {
	return writeAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicFunc is writeAtomic with the bytes written by write.
func writeAtomicFunc(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
