package serve

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"digest/generator/diag"
	"digest/generator/watch"
)

// loop builds a site, then rebuilds it for every batch of changes its
// watcher reports, one build at a time. Changes that arrive during a build
// are merged by the watcher into the next batch.
type loop struct {
	// rebuild builds the site once for a batch of changes (nil for the
	// first build) and says in a few words what it did.
	rebuild func(ctx context.Context, batch *watch.Batch) (summary string, err error)
	site    string // root directory of the site, for shorter paths in the log
	roots   []string
	opts    watch.Options
	log     io.Writer
	// built is called after every build with its error, nil when the
	// build succeeded and its files are on disk. May be nil.
	built func(err error)
}

// run watches, builds once, and rebuilds until ctx is done. It returns nil
// when ctx is done, and an error only when the watcher cannot start.
func (l *loop) run(ctx context.Context) error {
	// The watcher starts before the first build, so that no edit made
	// during that build is missed.
	w, err := watch.New(l.roots, l.opts)
	if err != nil {
		return err
	}
	defer w.Close()
	l.build(ctx, nil)
	for {
		select {
		case <-ctx.Done():
			return nil
		case b, ok := <-w.Events():
			if !ok {
				return nil
			}
			l.build(ctx, &b)
		}
	}
}

// build runs one build for batch (nil for the first) and reports it.
func (l *loop) build(ctx context.Context, batch *watch.Batch) {
	summary, err := l.rebuild(ctx, batch)
	if ctx.Err() != nil {
		return // interrupted: nothing to report
	}
	what := "build"
	if batch != nil {
		what = "rebuild after " + l.describe(*batch)
	}
	if err != nil {
		fmt.Fprintf(l.log, "%s failed:\n", what)
		for _, d := range diag.From(err) {
			fmt.Fprintf(l.log, "  %s\n", d.Error())
		}
	} else {
		fmt.Fprintf(l.log, "%s: %s\n", what, summary)
	}
	if l.built != nil {
		l.built(err)
	}
}

// describe names the changes of a batch for the log: the first path,
// relative to the site, and how many more.
func (l *loop) describe(b watch.Batch) string {
	var s string
	switch len(b.Paths) {
	case 0:
		s = "a change"
	case 1:
		s = l.rel(b.Paths[0])
	default:
		s = fmt.Sprintf("%s and %d more", l.rel(b.Paths[0]), len(b.Paths)-1)
	}
	if b.Full {
		s += " (events may have been lost"
		if b.Err != nil {
			s += ": " + b.Err.Error()
		}
		s += ")"
	}
	return s
}

func (l *loop) rel(path string) string {
	if r, err := filepath.Rel(l.site, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}
