// Package watch reports changes to the files under a set of root directories
// (a site's content/ and layouts/) as batches, one batch per burst of changes,
// so that a caller rebuilds once for a save or a `git checkout` touching
// hundreds of files.
//
// # Contract
//
//   - Creating, writing, renaming and removing a file all count; a change of
//     attributes alone (chmod) does not.
//   - Directories created under a root are watched as they appear, and the
//     files already inside them when the watch starts are reported too.
//   - Editor temporary, swap and backup files are ignored (see Ignored), so
//     an atomic save (write a hidden temporary file, then rename it over the
//     article) reports the article once, under its own name.
//   - Changes are coalesced: a batch is sent once no change has arrived for
//     Options.Quiet, or Options.MaxWait after the first change of the batch,
//     whichever comes first. While the receiver is busy, new changes are
//     merged into the batch waiting to be sent.
//   - When changes may have been lost (the kernel's event queue overflowed,
//     a new directory could not be watched, the watcher failed) the batch is
//     marked Full: the caller should rebuild everything.
//   - With Options.Poll the roots are walked every Options.Interval and
//     files compared by size and modification time, for file systems that
//     send no change events (network mounts, some container volumes).
//
// A root that does not exist yet is watched for from its parent directory
// and picked up when it is created (event mode) or on the next walk (poll
// mode).
//
// A Watcher has no global state; several may run at once.
package watch

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Options configure a Watcher. The zero value watches with file system
// events and the default timings.
type Options struct {
	// Poll walks the roots every Interval instead of using file system
	// events.
	Poll bool
	// Interval between walks in poll mode; default 500ms.
	Interval time.Duration
	// Quiet is how long no change must arrive before a batch is sent;
	// default 15ms. An editor's save (a temporary file renamed over the
	// article) and each step of a checkout come faster than this; a long
	// burst is still cut at MaxWait.
	Quiet time.Duration
	// MaxWait bounds how long a batch is held back while changes keep
	// arriving; default 500ms.
	MaxWait time.Duration
}

// Default timings.
const (
	DefaultInterval = 500 * time.Millisecond
	DefaultQuiet    = 15 * time.Millisecond
	DefaultMaxWait  = 500 * time.Millisecond
)

// Batch is a set of changes to rebuild for.
type Batch struct {
	// Paths are the changed files and directories, cleaned, sorted and
	// without duplicates, as they were named under the roots given to New.
	Paths []string
	// Full reports that changes may have been missed; rebuild everything.
	Full bool
	// Err is the watcher error that made the batch Full, if any.
	Err error
}

// change is one raw change seen by a source, before coalescing.
type change struct {
	path string
	full bool  // changes may have been lost
	err  error // the cause when full
}

// source produces raw changes until it is closed.
type source interface {
	changes() <-chan change
	close() error
}

// Watcher watches a set of roots and sends batches of changes on Events.
type Watcher struct {
	opts    Options
	src     source
	events  chan Batch
	stop    chan struct{}
	done    chan struct{}
	closing sync.Once
	err     error
}

// New starts watching the directories roots and everything under them.
func New(roots []string, opts Options) (*Watcher, error) {
	if len(roots) == 0 {
		return nil, errors.New("watch: no roots")
	}
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = DefaultMaxWait
	}
	if opts.MaxWait < opts.Quiet {
		opts.MaxWait = opts.Quiet
	}
	clean := make([]string, len(roots))
	for i, r := range roots {
		clean[i] = filepath.Clean(r)
	}
	var src source
	var err error
	if opts.Poll {
		src, err = newPoller(clean, opts.Interval)
	} else {
		src, err = newNotifier(clean)
	}
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	w := &Watcher{
		opts:   opts,
		src:    src,
		events: make(chan Batch),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go w.coalesce()
	return w, nil
}

// Events returns the channel batches are sent on. It is closed by Close.
func (w *Watcher) Events() <-chan Batch { return w.events }

// Close stops watching, drops any batch not yet received and closes the
// Events channel. It is safe to call more than once.
func (w *Watcher) Close() error {
	w.closing.Do(func() {
		close(w.stop)
		w.err = w.src.close()
		<-w.done
	})
	return w.err
}

// coalesce gathers raw changes into batches and sends each once changes
// have been quiet for opts.Quiet, or opts.MaxWait after its first change.
//
// While the receiver is busy the batch on offer is a snapshot of the
// pending changes, taken again at most once per quiet period, so that a
// flood of changes (a checkout of thousands of files during a rebuild)
// does not sort the growing set once per change. Changes newer than the
// snapshot that was received stay pending for the next batch.
func (w *Watcher) coalesce() {
	defer close(w.done)
	defer close(w.events)

	var (
		pending  = newPendingBatch()
		quiet    = stoppedTimer()
		deadline = stoppedTimer()
		ready    bool      // the pending changes may be sent
		snap     *Batch    // the batch on offer; nil when it must be taken again
		snapSeq  uint64    // the last change in snap
		snapTime time.Time // when snap was taken
	)
	defer quiet.Stop()
	defer deadline.Stop()
	in := w.src.changes()
	for {
		var out chan Batch
		var next Batch
		if ready {
			if snap == nil {
				b, seq := pending.batch()
				snap, snapSeq, snapTime = &b, seq, time.Now()
			}
			out, next = w.events, *snap
		}
		select {
		case <-w.stop:
			return
		case c, ok := <-in:
			if !ok {
				in = nil
				continue
			}
			if pending.empty() {
				deadline.Reset(w.opts.MaxWait)
			}
			pending.add(c)
			quiet.Reset(w.opts.Quiet)
			if snap != nil && time.Since(snapTime) >= w.opts.Quiet {
				snap = nil
			}
		case <-quiet.C:
			ready, snap = !pending.empty(), nil
		case <-deadline.C:
			ready, snap = !pending.empty(), nil
		case out <- next:
			pending.drop(snapSeq)
			ready, snap = false, nil
			quiet.Stop()
			deadline.Stop()
			if !pending.empty() {
				// Changes newer than the batch sent start the next one.
				quiet.Reset(w.opts.Quiet)
				deadline.Reset(w.opts.MaxWait)
			}
		}
	}
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

// pendingBatch accumulates the changes not yet received. Each change is
// numbered, so that sending a snapshot drops only the changes it holds.
type pendingBatch struct {
	seq     uint64            // number of the last change added
	paths   map[string]uint64 // changed path -> number of its last change
	full    bool
	fullSeq uint64 // number of the last change that made the batch full
	err     error
}

func newPendingBatch() *pendingBatch {
	return &pendingBatch{paths: make(map[string]uint64)}
}

func (p *pendingBatch) empty() bool { return len(p.paths) == 0 && !p.full }

func (p *pendingBatch) add(c change) {
	p.seq++
	if c.path != "" {
		p.paths[c.path] = p.seq
	}
	if c.full {
		if !p.full {
			p.err = c.err
		}
		p.full, p.fullSeq = true, p.seq
	}
}

// batch returns the pending changes as a Batch and the number of the last
// change it holds.
func (p *pendingBatch) batch() (Batch, uint64) {
	b := Batch{Full: p.full, Err: p.err}
	b.Paths = make([]string, 0, len(p.paths))
	for path := range p.paths {
		b.Paths = append(b.Paths, path)
	}
	slices.Sort(b.Paths)
	return b, p.seq
}

// drop forgets the changes numbered up to seq.
func (p *pendingBatch) drop(seq uint64) {
	for path, n := range p.paths {
		if n <= seq {
			delete(p.paths, path)
		}
	}
	if p.full && p.fullSeq <= seq {
		p.full, p.err = false, nil
	}
}
