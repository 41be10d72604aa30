package watch

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"time"
)

// poller is the event source for file systems that send no change events:
// it walks the roots every interval and reports every file whose size or
// modification time differs from the previous walk, and every file that
// appeared or disappeared.
type poller struct {
	roots    []string
	interval time.Duration
	last     map[string]stamp
	out      chan change
	stop     chan struct{}
	wg       sync.WaitGroup
}

// stamp is what a walk records of one file. Directories are recorded by
// presence only: their modification time changes with their entries, which
// are reported themselves.
type stamp struct {
	dir  bool
	size int64
	mod  time.Time
}

func newPoller(roots []string, interval time.Duration) (*poller, error) {
	p := &poller{
		roots:    roots,
		interval: interval,
		out:      make(chan change, 256),
		stop:     make(chan struct{}),
	}
	last, err := p.scan()
	if err != nil {
		return nil, err
	}
	p.last = last
	p.wg.Add(1)
	go p.run()
	return p, nil
}

func (p *poller) changes() <-chan change { return p.out }

func (p *poller) close() error {
	close(p.stop)
	p.wg.Wait()
	return nil
}

func (p *poller) run() {
	defer p.wg.Done()
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		cur, err := p.scan()
		if err != nil {
			if !p.send(change{full: true, err: err}) {
				return
			}
			continue
		}
		for path, s := range cur {
			if old, ok := p.last[path]; !ok || old != s {
				if !p.send(change{path: path}) {
					return
				}
			}
		}
		for path := range p.last {
			if _, ok := cur[path]; !ok {
				if !p.send(change{path: path}) {
					return
				}
			}
		}
		p.last = cur
	}
}

// send reports c and returns false once the poller is stopped.
func (p *poller) send(c change) bool {
	select {
	case p.out <- c:
		return true
	case <-p.stop:
		return false
	}
}

// scan walks the roots; a root that does not exist is empty.
func (p *poller) scan() (map[string]stamp, error) {
	files := make(map[string]stamp)
	for _, root := range p.roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if path != root && Ignored(path) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				files[path] = stamp{dir: true}
				return nil
			}
			fi, err := d.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			files[path] = stamp{size: fi.Size(), mod: fi.ModTime()}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}
