package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// patience bounds every wait for a batch; a passing test never waits this
// long.
const patience = 5 * time.Second

// start watches dir in the mode named by poll and closes the watcher at the
// end of the test.
func start(t *testing.T, poll bool, roots ...string) *Watcher {
	t.Helper()
	w, err := New(roots, Options{Poll: poll, Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// collect receives batches until every path in want has been seen, and
// returns the batches received.
func collect(t *testing.T, w *Watcher, want ...string) []Batch {
	t.Helper()
	missing := make(map[string]bool)
	for _, p := range want {
		missing[p] = true
	}
	var got []Batch
	timeout := time.After(patience)
	for len(missing) > 0 {
		select {
		case b, ok := <-w.Events():
			if !ok {
				t.Fatalf("events closed; still missing %v", keys(missing))
			}
			got = append(got, b)
			for _, p := range b.Paths {
				delete(missing, p)
			}
		case <-timeout:
			t.Fatalf("no batch with %v after %v; got %v", keys(missing), patience, got)
		}
	}
	return got
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// modes runs a test with file system events and with polling.
func modes(t *testing.T, test func(t *testing.T, poll bool)) {
	for _, poll := range []bool{false, true} {
		name := "events"
		if poll {
			name = "poll"
		}
		t.Run(name, func(t *testing.T) { test(t, poll) })
	}
}

func TestCreate(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		w := start(t, poll, dir)
		a := filepath.Join(dir, "a.md")
		write(t, a, "hello")
		collect(t, w, a)
	})
}

func TestWrite(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a := filepath.Join(dir, "a.md")
		write(t, a, "hello")
		w := start(t, poll, dir)
		write(t, a, "hello, world")
		collect(t, w, a)
	})
}

// TestAtomicSave saves the way many editors do: write a hidden temporary
// file, then rename it over the article. The article is reported, the
// temporary file is not.
func TestAtomicSave(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a := filepath.Join(dir, "a.md")
		write(t, a, "old")
		w := start(t, poll, dir)
		tmp := filepath.Join(dir, ".a.md.tmp1234")
		write(t, tmp, "new text")
		if err := os.Rename(tmp, a); err != nil {
			t.Fatal(err)
		}
		for _, b := range collect(t, w, a) {
			if slices.Contains(b.Paths, tmp) {
				t.Errorf("batch %v reports the temporary file", b.Paths)
			}
		}
	})
}

func TestRemove(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a := filepath.Join(dir, "a.md")
		write(t, a, "hello")
		w := start(t, poll, dir)
		if err := os.Remove(a); err != nil {
			t.Fatal(err)
		}
		collect(t, w, a)
	})
}

func TestRenameAway(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		a := filepath.Join(dir, "a.md")
		b := filepath.Join(dir, "b.md")
		write(t, a, "hello")
		w := start(t, poll, dir)
		if err := os.Rename(a, b); err != nil {
			t.Fatal(err)
		}
		collect(t, w, a, b)
	})
}

// TestNewFolder creates a folder, then a file in it: the file is seen
// whether it was written before or after the folder's watch was added.
func TestNewFolder(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		w := start(t, poll, dir)
		sub := filepath.Join(dir, "2025", "05")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		early := filepath.Join(sub, "early.md")
		write(t, early, "written at once")
		collect(t, w, early)
		late := filepath.Join(sub, "late.md")
		write(t, late, "written later")
		collect(t, w, late)
	})
}

// TestRenameFolder moves a folder within the root: both names are
// reported, and files written under the new name are seen.
func TestRenameFolder(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		old := filepath.Join(dir, "2025")
		if err := os.Mkdir(old, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(old, "a.md"), "x")
		w := start(t, poll, dir)
		renamed := filepath.Join(dir, "2026")
		if err := os.Rename(old, renamed); err != nil {
			t.Fatal(err)
		}
		collect(t, w, old, renamed)
		b := filepath.Join(renamed, "b.md")
		write(t, b, "y")
		collect(t, w, b)
	})
}

// TestMissingRoot watches a root that is created after the watcher.
func TestMissingRoot(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		root := filepath.Join(t.TempDir(), "layouts")
		w := start(t, poll, root)
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		a := filepath.Join(root, "article.html")
		write(t, a, "<p>")
		collect(t, w, a)
		b := filepath.Join(root, "list.html")
		write(t, b, "<ul>")
		collect(t, w, b)
	})
}

// TestRootRecreated removes a root and makes it again, as a checkout of
// a commit without layouts/ and back does.
func TestRootRecreated(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		root := filepath.Join(t.TempDir(), "layouts")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		a := filepath.Join(root, "article.html")
		write(t, a, "<p>")
		w := start(t, poll, root)
		if err := os.RemoveAll(root); err != nil {
			t.Fatal(err)
		}
		collect(t, w, a)
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, a, "<p>again")
		collect(t, w, a)
		b := filepath.Join(root, "list.html")
		write(t, b, "<ul>")
		collect(t, w, b)
	})
}

// TestBurst writes 300 files at once, as a git checkout does; they arrive
// in one batch, or very few on a loaded machine.
func TestBurst(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		w := start(t, poll, dir)
		var want []string
		for i := range 300 {
			p := filepath.Join(dir, fmt.Sprintf("a%03d.md", i))
			write(t, p, "text")
			want = append(want, p)
		}
		got := collect(t, w, want...)
		if len(got) > 3 {
			t.Errorf("300 files came in %d batches; want at most 3", len(got))
		}
	})
}

// TestTempFilesIgnored writes editor swap, backup and lock files, then an
// article; no batch up to the article names any of the former.
func TestTempFilesIgnored(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		dir := t.TempDir()
		w := start(t, poll, dir)
		noise := []string{".a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "#a.md#", "4913", ".DS_Store", "a.md.tmp"}
		for _, name := range noise {
			write(t, filepath.Join(dir, name), "x")
		}
		if err := os.Remove(filepath.Join(dir, "4913")); err != nil {
			t.Fatal(err)
		}
		if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, ".git", "index"), "x")
		a := filepath.Join(dir, "a.md")
		write(t, a, "the edit")
		for _, b := range collect(t, w, a) {
			for _, p := range b.Paths {
				if p != a {
					t.Errorf("batch reports %s; want only %s", p, a)
				}
			}
		}
	})
}

func TestIgnored(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"content/articles/a.md", false},
		{"content/site.yaml", false},
		{"layouts/article.html", false},
		{"content/articles/.a.md.swp", true},
		{"content/articles/.a.md.swx", true},
		{"content/articles/a.md.swp", true},
		{"content/articles/a.md~", true},
		{"content/articles/.#a.md", true},
		{"content/articles/#a.md#", true},
		{"content/articles/4913", true},
		{"content/.DS_Store", true},
		{"content/articles/a.md.tmp", true},
		{"content/articles/.a.md.XXXXXX", true},
		{"content/articles/a.md___jb_tmp___", true},
		{"content/articles/sedAb12Cd", true},
		{"content/articles/sedation.md", false},
		{".git", true},
		{"content", false},
		{".", false},
	}
	for _, tt := range tests {
		if got := Ignored(filepath.FromSlash(tt.path)); got != tt.want {
			t.Errorf("Ignored(%q) = %v; want %v", tt.path, got, tt.want)
		}
	}
}

// fakeSource feeds changes to a Watcher by hand.
type fakeSource struct{ ch chan change }

func (f *fakeSource) changes() <-chan change { return f.ch }
func (f *fakeSource) close() error           { return nil }

func newFake(opts Options) (*Watcher, *fakeSource) {
	src := &fakeSource{ch: make(chan change)}
	w := &Watcher{
		opts:   opts,
		src:    src,
		events: make(chan Batch),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go w.coalesce()
	return w, src
}

// TestErrorMakesFullBatch checks that a watcher error (such as an event
// overflow) turns the batch into a full rebuild that carries the error.
func TestErrorMakesFullBatch(t *testing.T) {
	w, src := newFake(Options{Quiet: time.Millisecond, MaxWait: time.Second})
	defer w.Close()
	overflow := errors.New("fsnotify: queue or buffer overflow")
	src.ch <- change{path: "a.md"}
	src.ch <- change{full: true, err: overflow}
	src.ch <- change{path: "a.md"}
	b := <-w.Events()
	if !b.Full || b.Err != overflow || !slices.Equal(b.Paths, []string{"a.md"}) {
		t.Errorf("got %+v; want Full with the overflow error and [a.md]", b)
	}
}

// TestBusyReceiverMerges checks that changes arriving while the receiver
// is busy end up in the one batch it receives next.
func TestBusyReceiverMerges(t *testing.T) {
	w, src := newFake(Options{Quiet: time.Millisecond, MaxWait: time.Millisecond})
	defer w.Close()
	want := []string{"a.md", "b.md", "c.md", "d.md"}
	for _, p := range want {
		src.ch <- change{path: p}
		time.Sleep(5 * time.Millisecond) // past Quiet: the batch is ready
	}
	b := <-w.Events()
	if !slices.Equal(b.Paths, want) {
		t.Errorf("got %v; want %v", b.Paths, want)
	}
}

func TestCloseClosesEvents(t *testing.T) {
	modes(t, func(t *testing.T, poll bool) {
		w, err := New([]string{t.TempDir()}, Options{Poll: poll})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if _, ok := <-w.Events(); ok {
			t.Error("Events still open after Close")
		}
		w.Close() // a second Close is harmless
	})
}

func TestNotADirectory(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	write(t, f, "x")
	if _, err := New([]string{f}, Options{}); err == nil {
		t.Error("New on a file: got nil error; want one")
	}
}

// TestFloodWhileBusy sends 20,000 changes while the receiver is busy, as a
// checkout of a large site during a rebuild does: they all arrive, in one
// or two batches.
func TestFloodWhileBusy(t *testing.T) {
	w, src := newFake(Options{Quiet: time.Millisecond, MaxWait: 5 * time.Millisecond})
	defer w.Close()
	const n = 20000
	for i := range n {
		src.ch <- change{path: fmt.Sprintf("content/articles/a%05d.md", i)}
	}
	seen := make(map[string]bool)
	batches := 0
	for len(seen) < n {
		select {
		case b := <-w.Events():
			batches++
			for _, p := range b.Paths {
				seen[p] = true
			}
		case <-time.After(patience):
			t.Fatalf("got %d of %d paths in %d batches", len(seen), n, batches)
		}
	}
	if batches > 2 {
		t.Errorf("%d changes came in %d batches; want at most 2", n, batches)
	}
}

// TestPendingDropKeepsNewer checks that sending a snapshot of the pending
// changes keeps those that came after it, including a path changed again.
func TestPendingDropKeepsNewer(t *testing.T) {
	p := newPendingBatch()
	p.add(change{path: "a.md"})
	p.add(change{path: "b.md"})
	snap, seq := p.batch()
	p.add(change{path: "a.md"})
	p.add(change{full: true, err: errors.New("overflow")})
	p.drop(seq)
	rest, _ := p.batch()
	if !slices.Equal(snap.Paths, []string{"a.md", "b.md"}) || snap.Full {
		t.Errorf("snapshot %+v; want [a.md b.md], not full", snap)
	}
	if !slices.Equal(rest.Paths, []string{"a.md"}) || !rest.Full {
		t.Errorf("after drop %+v; want [a.md], full", rest)
	}
	_, seq = p.batch()
	p.drop(seq)
	if !p.empty() {
		t.Errorf("after dropping everything: %+v; want empty", p)
	}
}
