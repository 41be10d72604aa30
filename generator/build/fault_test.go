package build

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"

	"digest/generator/diag"
	"digest/generator/internal/atomicfile"

	"golang.org/x/sys/unix"
)

// fullDisk acts as a disk that fills up: from its step after on, every
// change that takes space (a directory, a file, a write, a link) fails
// with ENOSPC, a write halfway; removals and renames still work, as they
// do on a full disk.
type fullDisk struct {
	disk
	after int64
	n     atomic.Int64
}

func (d *fullDisk) full(op, path string) error {
	if d.n.Add(1) > d.after {
		return &fs.PathError{Op: op, Path: path, Err: syscall.ENOSPC}
	}
	return nil
}

func (d *fullDisk) Mkdir(p string) error {
	if err := d.full("mkdir", p); err != nil {
		return err
	}
	return d.disk.Mkdir(p)
}

func (d *fullDisk) Link(a, b string) error {
	if err := d.full("link", b); err != nil {
		return &os.LinkError{Op: "link", Old: a, New: b, Err: syscall.ENOSPC}
	}
	return d.disk.Link(a, b)
}

func (d *fullDisk) Create(p string) (io.WriteCloser, error) {
	if err := d.full("open", p); err != nil {
		return nil, err
	}
	w, err := d.disk.Create(p)
	if err != nil {
		return nil, err
	}
	return &fullWriter{w, d, p}, nil
}

func (d *fullDisk) CreateNew(p string, perm fs.FileMode) (atomicfile.File, error) {
	if err := d.full("open", p); err != nil {
		return nil, err
	}
	f, err := d.disk.CreateNew(p, perm)
	if err != nil {
		return nil, err
	}
	return &fullFile{f, d, p}, nil
}

// fullFile is a file of a fullDisk opened by CreateNew: its writes fail
// as fullWriter's do.
type fullFile struct {
	atomicfile.File
	d    *fullDisk
	path string
}

func (f *fullFile) Write(p []byte) (int, error) {
	return (&fullWriter{f.File, f.d, f.path}).Write(p)
}

type fullWriter struct {
	io.WriteCloser
	d    *fullDisk
	path string
}

func (w *fullWriter) Write(p []byte) (int, error) {
	if err := w.d.full("write", w.path); err != nil {
		n, _ := w.WriteCloser.Write(p[:len(p)/2])
		return n, err
	}
	return w.WriteCloser.Write(p)
}

// summaryLine is how a build reports many files failing one way, or one.
var summaryLine = regexp.MustCompile(`^(\S*public: write: no space left on device: \d+ files \(the first [^ ]+\)` +
	`|\S*public/[^ ]+: write: no space left on device` +
	`|build: .*no space left on device.*)$`)

// TestFullDisk fails every change that takes space from a step on, for
// every kind of change and many steps: a failed build must leave the old
// output and say so in one line per kind of failure, a build that
// finished must have made the new one, and the next build on a disk with
// room, by the same Builder or a new one, must give a fresh build.
func TestFullDisk(t *testing.T) {
	s := newStateSite(t)
	failed, finished := 0, 0
	changes, points := killChanges[1:shortChanges], int64(2)
	if os.Getenv("DIGEST_KILLS") != "" { // make reliability
		changes, points = killChanges, 8
	}
	for i, c := range changes {
		saved := filepath.Join(t.TempDir(), strconv.Itoa(i))
		s.prepare(t, c, saved)
		steps := diskSteps(t, Options{Site: s.dir})
		for k := range points {
			s.prepare(t, c, saved)
			after := k * steps / points
			what := fmt.Sprintf("%s, the disk full after %d of %d steps", c, after, steps)
			b, err := New(Options{Site: s.dir})
			if err != nil {
				t.Fatal(err)
			}
			b.disk = &fullDisk{disk: osDisk{}, after: after}
			_, err = b.Build(context.Background())
			got, diff := s.which(t, c.to)
			switch {
			case err == nil && got != c.to:
				t.Fatalf("%s: the build succeeded but the output is not the new build: %s", what, diff)
			case err != nil && got != c.from:
				t.Fatalf("%s: the build failed (%v) but the output is not the old build: %s", what, err, diff)
			case err != nil:
				failed++
				kinds := map[string]bool{}
				for _, d := range diag.From(err) {
					if !summaryLine.MatchString(d.Error()) {
						t.Errorf("%s: message %q is not one line for a kind of failure", what, d.Error())
					}
					if kinds[d.Msg] {
						t.Errorf("%s: %q twice", what, d.Msg)
					}
					kinds[d.Msg] = true
				}
			default:
				finished++
			}
			// The disk has room again: the same Builder, as in the
			// preview server, then a new one, as the next command.
			b.disk = osDisk{}
			if _, err := b.Build(context.Background()); err != nil {
				t.Fatalf("%s: the build with room again: %v", what, err)
			}
			if got, diff := s.which(t, c.to); got != c.to {
				t.Fatalf("%s: the same Builder with room again did not make a fresh build: %s", what, diff)
			}
			s.buildState(t, c.to, what+": the next build")
		}
	}
	t.Logf("%d builds failed on a full disk, each leaving the old output; %d finished before it filled", failed, finished)
}

// TestFullTmpfs builds into a small tmpfs that fills up during a build
// that changes every file (another base URL): the old output must stay
// whole, the message must be one line, and once the file system has room
// the next build must give a fresh build. It needs root, to mount.
func TestFullTmpfs(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root on Linux; the full tmpfs test did not run")
	}
	site := writeSite(t, "basic.txtar")
	const other = "https://other.example.org/digest/"
	refs := t.TempDir()
	build(t, Options{Site: site, Out: filepath.Join(refs, "old"), NoCache: true})
	build(t, Options{Site: site, Out: filepath.Join(refs, "new"), NoCache: true, BaseURL: other})
	old, want := files(t, filepath.Join(refs, "old")), files(t, filepath.Join(refs, "new"))

	// Room for the output, its cache file and half the output again: a
	// tmpfs counts every file in pages of 4 KB.
	pages := 0
	filepath.WalkDir(filepath.Join(refs, "old"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				pages += int(fi.Size()+4095) / 4096
			}
		}
		return nil
	})
	mnt := t.TempDir()
	if err := unix.Mount("tmpfs", mnt, "tmpfs", 0, fmt.Sprintf("size=%dk", 4*(pages*3/2+4))); err != nil {
		t.Skipf("cannot mount a tmpfs (%v): the full tmpfs test did not run", err)
	}
	t.Cleanup(func() { unix.Unmount(mnt, 0) })

	out := filepath.Join(mnt, "public")
	run := func(baseURL string) error {
		b, err := New(Options{Site: site, Out: out, BaseURL: baseURL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.Build(context.Background())
		return err
	}
	if err := run(""); err != nil || fmt.Sprint(files(t, out)) != fmt.Sprint(old) {
		t.Fatalf("the first build into a tmpfs of %d pages: %v", pages*3/2+4, err)
	}
	err := run(other)
	if err == nil {
		t.Fatalf("a build of every file fitted in %d pages of tmpfs beside an output of %d", pages*3/2+4, pages)
	}
	for _, d := range diag.From(err) {
		if !summaryLine.MatchString(d.Error()) {
			t.Errorf("message %q is not one line for a kind of failure", d.Error())
		}
	}
	if fmt.Sprint(files(t, out)) != fmt.Sprint(old) {
		t.Fatal("the build that filled the tmpfs changed the output")
	}
	if err := unix.Mount("tmpfs", mnt, "tmpfs", unix.MS_REMOUNT, "size=16m"); err != nil {
		t.Fatalf("remount with room: %v", err)
	}
	if err := run(other); err != nil || fmt.Sprint(files(t, out)) != fmt.Sprint(want) {
		t.Fatalf("the build with room again: %v; or its output is not a fresh build", err)
	}
	entries, _ := os.ReadDir(mnt)
	for _, e := range entries {
		switch e.Name() {
		case "public", ".public.digest-cache", ".public.digest-spare", ".public.digest-lock":
		default:
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
	t.Logf("a tmpfs of %d pages filled up: %v", pages*3/2+4, err)
}

func stateIndex(name string) int {
	for i, st := range siteStates {
		if st.name == name {
			return i
		}
	}
	panic("no state " + name)
}

// diskSteps builds once with opts and returns how many steps on the disk
// the build took, for the tests that fill the disk after each share of them.
func diskSteps(t *testing.T, opts Options) int64 {
	t.Helper()
	count := &fullDisk{disk: osDisk{}, after: 1 << 62}
	b, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	b.disk = count
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return count.n.Load()
}
