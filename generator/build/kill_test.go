package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"digest/generator/internal/atomicfile"
)

// The kill tests run builds in a child process (this test binary run
// again) and kill it with SIGKILL: at a chosen step of its changes to the
// file system (every write, link, removal and rename goes through the
// build's disk, and the child's disk kills the process at step N, halfway
// through a write when the step is one), or after a chosen time. Each
// surviving output must equal a fresh build of the state before or of
// the state after, and the next build must give a fresh build.
//
// DIGEST_KILLS sets how many kills TestKillLong makes (make reliability);
// without it TestKillLong skips and TestKill makes a few per change.

// childEnv holds the arguments of a child build: site directory, kill
// step (0 for none) and kill delay.
const childEnv = "DIGEST_BUILD_TEST_CHILD"

func TestMain(m *testing.M) {
	if arg := os.Getenv(childEnv); arg != "" {
		os.Exit(runChild(arg))
	}
	os.Exit(m.Run())
}

// runChild builds the site as digest build does, killing itself at a
// step when asked, and prints how many steps the build took.
func runChild(arg string) int {
	parts := strings.Split(arg, "\n")
	if len(parts) != 2 {
		fmt.Fprintln(os.Stderr, "bad child arguments")
		return 2
	}
	step, _ := strconv.ParseInt(parts[1], 10, 64)
	b, err := New(Options{Site: parts[0], Once: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	d := &killDisk{disk: osDisk{}, at: step}
	b.disk = d
	if _, err := b.Build(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("steps %d\n", d.n.Load())
	return 0
}

// killDisk kills the process at its step at (counting from 1).
type killDisk struct {
	disk
	at int64
	n  atomic.Int64
}

// step counts a step and reports whether it is the one to die at.
func (d *killDisk) step() bool { return d.n.Add(1) == d.at }

func (d *killDisk) die() {
	syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {} // nothing more runs
}

func (d *killDisk) do(f func() error) error {
	if d.step() {
		d.die()
	}
	return f()
}

func (d *killDisk) Mkdir(p string) error { return d.do(func() error { return d.disk.Mkdir(p) }) }
func (d *killDisk) Link(a, b string) error {
	return d.do(func() error { return d.disk.Link(a, b) })
}
func (d *killDisk) Remove(p string) error { return d.do(func() error { return d.disk.Remove(p) }) }
func (d *killDisk) RemoveAll(p string) error {
	return d.do(func() error { return d.disk.RemoveAll(p) })
}
func (d *killDisk) Rename(a, b string) error {
	return d.do(func() error { return d.disk.Rename(a, b) })
}
func (d *killDisk) Exchange(a, b string) error {
	return d.do(func() error { return d.disk.Exchange(a, b) })
}
func (d *killDisk) Chtimes(p string, t time.Time) error {
	return d.do(func() error { return d.disk.Chtimes(p, t) })
}
func (d *killDisk) Create(p string) (io.WriteCloser, error) {
	var w io.WriteCloser
	err := d.do(func() (err error) { w, err = d.disk.Create(p); return err })
	if err != nil {
		return nil, err
	}
	return &killWriter{w, d}, nil
}

func (d *killDisk) CreateNew(p string, perm fs.FileMode) (atomicfile.File, error) {
	var f atomicfile.File
	err := d.do(func() (err error) { f, err = d.disk.CreateNew(p, perm); return err })
	if err != nil {
		return nil, err
	}
	return &killFile{f, d}, nil
}

// killFile is a file of a killDisk opened by CreateNew: it dies as
// killWriter does.
type killFile struct {
	atomicfile.File
	d *killDisk
}

func (f *killFile) Write(p []byte) (int, error) { return (&killWriter{f.File, f.d}).Write(p) }

// killWriter dies halfway through the write that is its disk's step.
type killWriter struct {
	io.WriteCloser
	d *killDisk
}

func (w *killWriter) Write(p []byte) (int, error) {
	if w.d.step() {
		w.WriteCloser.Write(p[:len(p)/2])
		w.d.die()
	}
	return w.WriteCloser.Write(p)
}

// child runs a build of site in a child process, killed at step (0 for
// never) or after delay (0 for never). It returns the steps the build
// took when it finished, and whether it was killed.
func child(t *testing.T, site string, step int64, delay time.Duration) (steps int64, killed bool) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+site+"\n"+strconv.FormatInt(step, 10))
	if delay == 0 {
		// One thread: the steps come in the same order every time, so
		// that step N of a counted build is step N of the next.
		cmd.Env = append(cmd.Env, "GOMAXPROCS=1")
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if delay > 0 {
		timer := time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return 0, true
		}
		t.Fatalf("child build: %v\n%s", err, stderr.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	fmt.Sscanf(stdout.String(), "steps %d", &steps)
	return steps, false
}

// change is one build the kill tests interrupt: from state from (-1: no
// output and no cache) to state to, with a spare beside the output (made
// by a build of another state before from) or without.
type change struct {
	from, to int
	spare    bool
}

func (c change) String() string {
	from := "nothing"
	if c.from >= 0 {
		from = siteStates[c.from].name
	}
	s := from + " to " + siteStates[c.to].name
	if c.from >= 0 && !c.spare {
		s += " (no spare)"
	}
	return s
}

// killChanges are the builds the long tests interrupt: cold, a patch, an
// article added, one removed, a layout change, and back, most with a
// spare (the usual rebuild), some without (the first after a cold one).
// The short tests (make test) take the first shortChanges of them.
var killChanges = []change{{-1, 0, false}, {0, 1, true}, {1, 2, true}, {2, 3, true}, {3, 4, true}, {0, 1, false}, {4, 0, true}}

const shortChanges = 5

// beside are what a build keeps of the output, in the site root.
var beside = []string{"public", ".public.digest-cache", ".public.digest-spare"}

// prepare puts the output in state c.from as finished builds leave it,
// the same way each time, then the site in state c.to. The first time it
// builds, and saves what it made in saved; then it copies that back.
func (s *stateSite) prepare(t *testing.T, c change, saved string) {
	t.Helper()
	for _, name := range beside {
		if err := os.RemoveAll(filepath.Join(s.dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(saved); err == nil {
		for _, name := range beside {
			copyTree(t, filepath.Join(saved, name), filepath.Join(s.dir, name))
		}
		s.set(t, c.to)
		return
	}
	if c.from >= 0 {
		if c.spare {
			s.buildState(t, (c.from+1)%len(siteStates), "preparing "+c.String())
		}
		s.buildState(t, c.from, "preparing "+c.String())
	}
	for _, name := range beside {
		copyTree(t, filepath.Join(s.dir, name), filepath.Join(saved, name))
	}
	s.set(t, c.to)
}

// copyTree copies the file or directory src to dst, when src exists.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && p == src {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// afterKill checks the output a killed build left, then that the next
// build repairs it.
func (s *stateSite) afterKill(t *testing.T, c change, what string) (repaired bool) {
	t.Helper()
	got, diff := s.which(t, c.to)
	switch {
	case got == c.to, got == c.from:
	case got == -1 && c.from < 0:
	default:
		t.Fatalf("%s, %s: the output is neither the old build nor the new: %s", c, what, diff)
	}
	res := s.buildState(t, c.to, fmt.Sprintf("the build after %s, %s", c, what))
	return res.Repaired
}

// TestKill kills builds of every kind of change at steps spread over
// the build (the first, the last, one between), and some after a random
// time.
func TestKill(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes; skipped with -short")
	}
	s := newStateSite(t)
	kills, repairs := 0, 0
	for i, c := range killChanges[:shortChanges] {
		saved := filepath.Join(t.TempDir(), strconv.Itoa(i))
		s.prepare(t, c, saved)
		steps, killed := child(t, s.dir, 0, 0)
		if killed || steps == 0 {
			t.Fatalf("%s: the counting build was killed or took no steps", c)
		}
		// Undo the counting build: the output goes back to c.from.
		s.prepare(t, c, saved)
		// The first step, the last, and some between; then one kill
		// after a time.
		const points = 3
		for k := range points {
			step := 1 + int64(k)*(steps-1)/(points-1)
			if _, killed := child(t, s.dir, step, 0); killed {
				kills++
			}
			if s.afterKill(t, c, fmt.Sprintf("killed at step %d of %d", step, steps)) {
				repairs++
			}
			s.prepare(t, c, saved)
		}
		if i%2 == 0 {
			delay := time.Duration(rand.IntN(30_000)) * time.Microsecond
			if _, killed = child(t, s.dir, 0, delay); killed {
				kills++
			}
			s.afterKill(t, c, fmt.Sprintf("killed after %v", delay))
		}
	}
	t.Logf("%d builds killed, each left the old or the new build; %d next builds repaired the output", kills, repairs)
}

// TestKillLong kills DIGEST_KILLS builds at random steps or times in a
// random walk over the states, each build starting from what the last
// one left (killed or not), then kills each change at every step.
func TestKillLong(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DIGEST_KILLS"))
	if n <= 0 {
		t.Skip("set DIGEST_KILLS (make reliability) to kill that many builds")
	}
	s := newStateSite(t)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)

	// Every step of every change.
	total := 0
	var longest int64         // steps of the longest build
	var slowest time.Duration // of a whole child build
	for i, c := range killChanges {
		saved := filepath.Join(t.TempDir(), strconv.Itoa(i))
		s.prepare(t, c, saved)
		t0 := time.Now()
		steps, _ := child(t, s.dir, 0, 0)
		slowest = max(slowest, time.Since(t0))
		longest = max(longest, steps)
		s.prepare(t, c, saved)
		for step := int64(1); step <= steps; step++ {
			if _, killed := child(t, s.dir, step, 0); killed {
				total++
			}
			s.afterKill(t, c, fmt.Sprintf("killed at step %d of %d", step, steps))
			s.prepare(t, c, saved)
		}
	}
	t.Logf("every step: %d builds killed", total)

	// The random walk: the state before each build is whatever the last
	// left, killed builds included; only the output decides.
	cur := -1
	s.prepare(t, change{-1, 0, false}, filepath.Join(t.TempDir(), "walk"))
	stats := map[string]int{}
	for i := range n {
		to := rng.IntN(len(siteStates))
		s.set(t, to)
		var killed bool
		// Kill points run a little past the end of the longest build,
		// so that some builds finish.
		if rng.IntN(3) == 0 {
			delay := time.Duration(rng.Int64N(int64(slowest) * 5 / 4))
			_, killed = child(t, s.dir, 0, delay)
			stats["by time"]++
		} else {
			_, killed = child(t, s.dir, 1+rng.Int64N(longest*5/4), 0)
			stats["at a step"]++
		}
		if killed {
			stats["killed"]++
		}
		got, diff := s.which(t, to)
		switch {
		case got == to:
			stats["left the new build"]++
		case got == cur:
			stats["left the old build"]++
		default:
			t.Fatalf("build %d (%d to %s, killed %v): the output is neither the old build nor the new: %s",
				i, cur, siteStates[to].name, killed, diff)
		}
		if !killed && got != to {
			t.Fatalf("build %d finished but the output is not the new build", i)
		}
		cur = got
	}
	t.Logf("random walk: %d builds, %v", n, stats)
	last := rng.IntN(len(siteStates))
	s.buildState(t, last, "the build after the random walk")
}
