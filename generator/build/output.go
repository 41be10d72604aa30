package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// A build never changes the output in place. It makes a complete new tree
// beside the output and swaps it in with one atomic exchange of the two
// directories (renameat2 RENAME_EXCHANGE), so that a reader, or a deploy
// copying the output, sees the previous build or the new one, never a mix,
// however the build ends: failed, cancelled or killed.
//
// The new tree is made one of two ways:
//
//   - stagingSink writes the whole build into a new staging directory,
//     linking the files the output already has with the same bytes. A
//     build that does not know the output takes this way.
//   - spareSink reuses the spare: the build before the last, kept beside
//     the output after the last swap. Only the files that differ between
//     the spare and the new build are written, linked or removed, so a
//     rebuild that changed little writes little, however large the site.
//
// Files the new tree shares with the output are hard links, and a file is
// always replaced by a new one (removed, then written), never rewritten in
// place, so no write can reach the output through a link.

// sink receives the files of one build.
type sink interface {
	// put stores a file; same says its bytes equal the output's file.
	put(name string, data []byte, same bool) error
	// has reports whether the output's file is still the one old records.
	has(name string, old fileState) bool
	// keep carries the output's file over unchanged.
	keep(name string) error
	// commit makes the build, whose files are next, the output, marked
	// with m; prev are the output's files before, gone those of prev that
	// next does not have.
	commit(prev, next map[string]fileState, gone []string, m Marker) (committed, error)
	// abort drops what was written; the output stays as it was.
	abort()
}

// committed says what a commit did.
type committed struct {
	removed int    // files of prev the new output does not have
	swapped bool   // the output was replaced; false when nothing changed
	old     string // where the previous output is now, "" when there was none
}

// source is the output a sink takes unchanged files from.
type source struct {
	out   string
	trust bool // the output is known to hold prev: skip looking
	// damaged is set when a file of prev is not in the output as
	// recorded: the output is then no copy of prev to keep as a spare.
	damaged atomic.Bool
}

func (s *source) has(name string, old fileState) bool {
	if s.trust {
		return true
	}
	fi, err := os.Lstat(filepath.Join(s.out, filepath.FromSlash(name)))
	ok := err == nil && fi.Mode().IsRegular() && fi.Size() == old.Size
	if !ok {
		s.damaged.Store(true)
	}
	return ok
}

// stagingSink writes a whole build into a new directory beside the output
// and swaps it in on commit. The files it keeps from the output are linked
// at commit, in parallel, and only when the build changed something: a
// build that changed nothing leaves the output as it is.
type stagingSink struct {
	src   *source
	d     disk
	dir   string
	mtime time.Time // when not zero, the modification time of every file

	// always says to swap even when nothing changed: the output is
	// not known to hold only the build's files.
	always bool

	mu      sync.Mutex
	written bool     // a file was written
	kept    []string // files to link from the output at commit

	// made holds the directories made in dir, so that the files of one
	// directory (the search index's 10,000s of documents) cost one mkdir.
	made sync.Map
}

// stagingSeq numbers the staging directories of one process.
var stagingSeq atomic.Int64

func newStagingSink(o outputPaths, d disk, src *source, mtime time.Time) (*stagingSink, error) {
	if err := makeDir(d, o.parent); err != nil {
		return nil, fmt.Errorf("build: output %s: %v", o.out, err)
	}
	dir := filepath.Join(o.parent, o.stagingPrefix()+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(stagingSeq.Add(1), 10))
	d.RemoveAll(dir) // a killed run of a process with the same id
	if err := d.Mkdir(dir); err != nil {
		return nil, fmt.Errorf("build: output %s: staging: %v", o.out, err)
	}
	return &stagingSink{src: src, d: d, dir: dir, mtime: mtime}, nil
}

func (s *stagingSink) path(name string) (string, error) {
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	dir := filepath.Dir(p)
	if _, ok := s.made.Load(dir); ok {
		return p, nil
	}
	if err := makeDir(s.d, dir); err != nil {
		return p, err
	}
	s.made.Store(dir, true)
	return p, nil
}

func (s *stagingSink) put(name string, data []byte, same bool) error {
	if same {
		return s.keep(name)
	}
	s.mu.Lock()
	s.written = true
	s.mu.Unlock()
	p, err := s.path(name)
	if err != nil {
		return err
	}
	if err := writeFile(s.d, p, data); err != nil {
		return err
	}
	return setTime(s.d, p, s.mtime)
}

func (s *stagingSink) has(name string, old fileState) bool { return s.src.has(name, old) }

func (s *stagingSink) keep(name string) error {
	s.mu.Lock()
	s.kept = append(s.kept, name)
	s.mu.Unlock()
	return nil
}

// link links the output's file into the staging directory; where links
// are not possible it copies it.
func (s *stagingSink) link(name string) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	src := filepath.Join(s.src.out, filepath.FromSlash(name))
	if s.d.Link(src, p) == nil {
		return nil // the output's file has the build's time already
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := writeFile(s.d, p, data); err != nil {
		return err
	}
	return setTime(s.d, p, s.mtime)
}

func (s *stagingSink) commit(prev, next map[string]fileState, gone []string, m Marker) (committed, error) {
	c := committed{removed: len(gone)}
	if !s.always && !s.written && c.removed == 0 && !s.src.damaged.Load() {
		if old, err := ReadMarker(s.src.out); err == nil && old == m {
			s.abort()
			return c, nil // nothing changed: the output stays
		}
	}
	if err := s.linkKept(); err != nil {
		return committed{}, fmt.Errorf("build: %v", err)
	}
	p := filepath.Join(s.dir, markerName)
	if err := writeFile(s.d, p, m.bytes()); err != nil {
		return committed{}, fmt.Errorf("build: %s: write: %v", markerName, err)
	}
	if err := setTime(s.d, p, s.mtime); err != nil {
		return committed{}, fmt.Errorf("build: %s: write: %v", markerName, err)
	}
	had, err := swapIn(s.d, s.dir, s.src.out)
	if err != nil {
		return committed{}, err
	}
	c.swapped = true
	if had {
		c.old = s.dir // the exchange left the previous output here
	}
	return c, nil
}

func (s *stagingSink) abort() { s.d.RemoveAll(s.dir) }

// linkKept links the kept files, on all cores: a large site keeps
// thousands.
func (s *stagingSink) linkKept() error {
	var next atomic.Int64
	var first atomic.Pointer[error]
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(s.kept) || first.Load() != nil {
					return
				}
				if err := s.link(s.kept[i]); err != nil {
					first.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	wg.Wait()
	if err := first.Load(); err != nil {
		return *err
	}
	return nil
}

// swapIn puts the complete tree dir in place of out and reports whether
// there was an output before, which dir then holds. Where the system can
// exchange two paths atomically it does; otherwise out is moved aside
// first, leaving a moment with no output at all.
func swapIn(d disk, dir, out string) (had bool, err error) {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		if err := d.Rename(dir, out); err != nil {
			return false, fmt.Errorf("build: output %s: %v", out, err)
		}
		return false, nil
	}
	if d.Exchange(dir, out) == nil {
		return true, nil
	}
	old := dir + ".old"
	if err := d.Rename(out, old); err != nil {
		return false, fmt.Errorf("build: replacing %s: %v", out, err)
	}
	if err := d.Rename(dir, out); err != nil {
		if d.Rename(old, out) != nil {
			return false, fmt.Errorf("build: replacing %s: %v; the previous output is at %s", out, err, old)
		}
		return false, fmt.Errorf("build: replacing %s: %v", out, err)
	}
	if err := d.Rename(old, dir); err != nil {
		d.RemoveAll(old)
		return false, nil
	}
	return true, nil
}

// spareSink makes the spare, which holds the build before the output's,
// into the new build by writing only what differs, and swaps it in.
type spareSink struct {
	src   *source
	d     disk
	spare string
	mtime time.Time
	// differs names the files where the spare differs from the output:
	// true when the spare has the file (with other bytes), false when it
	// lacks it.
	differs map[string]bool

	mu     sync.Mutex
	opened bool            // the spare's marker is gone: it is being changed
	placed map[string]bool // files written into the spare by this build
}

func newSpareSink(o outputPaths, d disk, src *source, mtime time.Time, differs map[string]bool) *spareSink {
	return &spareSink{src: src, d: d, spare: o.spare(), mtime: mtime, differs: differs, placed: map[string]bool{}}
}

// open removes the spare's marker before its first change, so that a build
// killed from then on leaves a spare no later build trusts.
func (s *spareSink) open() error {
	if s.opened {
		return nil
	}
	if err := s.d.Remove(filepath.Join(s.spare, markerName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.opened = true
	return nil
}

func (s *spareSink) touched() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opened
}

func (s *spareSink) put(name string, data []byte, same bool) error {
	if same {
		return nil // linked at commit, where the spare differs
	}
	s.mu.Lock()
	err := s.open()
	s.placed[name] = true
	s.mu.Unlock()
	if err != nil {
		return err
	}
	p := filepath.Join(s.spare, filepath.FromSlash(name))
	if err := s.d.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err // the spare's file may be a link to the output's
	}
	if err := makeDir(s.d, filepath.Dir(p)); err != nil {
		return err
	}
	if err := writeFile(s.d, p, data); err != nil {
		return err
	}
	return setTime(s.d, p, s.mtime)
}

func (s *spareSink) has(name string, old fileState) bool { return s.src.has(name, old) }
func (s *spareSink) keep(string) error                   { return nil }

func (s *spareSink) commit(prev, next map[string]fileState, gone []string, m Marker) (committed, error) {
	var removals []string // files of the spare the new build does not have
	for _, name := range gone {
		if has, differs := s.differs[name]; !differs || has {
			removals = append(removals, name)
		}
	}
	var links []string // files of the output the spare lacks or differs in
	for name, has := range s.differs {
		if _, ok := next[name]; ok {
			if !s.placed[name] {
				links = append(links, name)
			}
		} else if _, inPrev := prev[name]; has && !inPrev {
			removals = append(removals, name)
		}
	}
	c := committed{removed: len(gone)}
	if !s.opened && c.removed == 0 && !s.src.damaged.Load() {
		if old, err := ReadMarker(s.src.out); err == nil && old == m {
			return c, nil // the output is the new build already: it stays, and so does the spare
		}
	}
	fail := func(err error) (committed, error) { return committed{}, fmt.Errorf("build: %v", err) }
	if err := s.open(); err != nil {
		return fail(err)
	}
	for _, name := range removals {
		if err := removeFile(s.d, s.spare, filepath.Join(s.spare, filepath.FromSlash(name))); err != nil {
			return fail(err)
		}
	}
	for _, name := range links {
		p := filepath.Join(s.spare, filepath.FromSlash(name))
		if err := s.d.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fail(err)
		}
		if err := makeDir(s.d, filepath.Dir(p)); err != nil {
			return fail(err)
		}
		if err := s.d.Link(filepath.Join(s.src.out, filepath.FromSlash(name)), p); err != nil {
			return fail(err)
		}
	}
	p := filepath.Join(s.spare, markerName)
	if err := writeFile(s.d, p, m.bytes()); err != nil {
		return fail(fmt.Errorf("%s: write: %v", markerName, err))
	}
	if err := setTime(s.d, p, s.mtime); err != nil {
		return fail(fmt.Errorf("%s: write: %v", markerName, err))
	}
	if _, err := swapIn(s.d, s.spare, s.src.out); err != nil {
		return committed{}, err
	}
	c.swapped, c.old = true, s.spare
	return c, nil
}

// abort leaves the spare as it is: when open, its marker is gone and no
// later build trusts it.
func (s *spareSink) abort() {}

// spareDiff names the files where prev, the output that becomes the
// spare, differs from the new output, given the files whose bytes changed
// and those gone: see spareSink.differs.
func spareDiff(prev map[string]fileState, changed, gone []string) map[string]bool {
	d := make(map[string]bool, len(changed)+len(gone))
	for _, name := range changed {
		_, had := prev[name]
		d[name] = had
	}
	for _, name := range gone {
		d[name] = true
	}
	return d
}
