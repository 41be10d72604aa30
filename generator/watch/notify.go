package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// notifier is the event source backed by fsnotify. fsnotify watches single
// directories, so notifier adds a watch for every directory under the
// roots and for every directory created later.
type notifier struct {
	fsw   *fsnotify.Watcher
	roots []string
	// missing holds the roots that do not exist (yet); their parent
	// directory is watched so their creation is seen.
	missing map[string]bool
	// dirs holds the directories watched, by the name they were added
	// under.
	dirs map[string]bool
	out  chan change
	stop chan struct{}
	wg   sync.WaitGroup
}

func newNotifier(roots []string) (*notifier, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	n := &notifier{
		fsw:     fsw,
		roots:   roots,
		missing: make(map[string]bool),
		dirs:    make(map[string]bool),
		out:     make(chan change, 256),
		stop:    make(chan struct{}),
	}
	for _, root := range roots {
		fi, err := os.Stat(root)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			err = n.awaitRoot(root)
		case err != nil:
		case !fi.IsDir():
			err = fmt.Errorf("%s: not a directory", root)
		default:
			err = n.addTree(root, false)
		}
		if err != nil {
			fsw.Close()
			return nil, err
		}
	}
	n.wg.Add(1)
	go n.run()
	return n, nil
}

func (n *notifier) changes() <-chan change { return n.out }

func (n *notifier) close() error {
	close(n.stop)
	err := n.fsw.Close()
	n.wg.Wait()
	return err
}

// awaitRoot watches the parent of a root that does not exist.
func (n *notifier) awaitRoot(root string) error {
	n.missing[root] = true
	if err := n.fsw.Add(filepath.Dir(root)); err != nil {
		return fmt.Errorf("watch parent of %s: %w", root, err)
	}
	return nil
}

func (n *notifier) run() {
	defer n.wg.Done()
	for {
		select {
		case ev, ok := <-n.fsw.Events:
			if !ok {
				return
			}
			n.handle(ev)
		case err, ok := <-n.fsw.Errors:
			if !ok {
				return
			}
			// fsnotify.ErrEventOverflow or a read error: events
			// may have been lost.
			n.send(change{full: true, err: err})
		}
	}
}

func (n *notifier) handle(ev fsnotify.Event) {
	name := filepath.Clean(ev.Name)
	if n.missing[name] {
		if ev.Has(fsnotify.Create) && isDir(name) {
			delete(n.missing, name)
			n.created(name)
		}
		return
	}
	if !n.inRoots(name) || Ignored(name) {
		return
	}
	if ev.Op == fsnotify.Chmod {
		return
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		n.forget(name)
	}
	if n.isRoot(name) && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
		n.send(change{path: name})
		if err := n.awaitRoot(name); err != nil {
			n.send(change{full: true, err: err})
		}
		return
	}
	if ev.Has(fsnotify.Create) && isDir(name) {
		n.created(name)
		return
	}
	n.send(change{path: name})
}

// created watches a new directory and reports it with the files that were
// written into it before its watch was in place.
func (n *notifier) created(dir string) {
	n.send(change{path: dir})
	if err := n.addTree(dir, true); err != nil {
		n.send(change{full: true, err: err})
	}
}

// addTree watches dir and the directories under it, skipping ignored ones.
// With report, it sends a change for every file it finds.
func (n *notifier) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed while walking; its removal is an event
			}
			return err
		}
		if path != dir && Ignored(path) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			if report {
				n.send(change{path: path})
			}
			return nil
		}
		err = n.fsw.Add(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case errors.Is(err, syscall.ENOSPC):
			return fmt.Errorf("watch %s: %w (the system's limit on watches is reached: raise fs.inotify.max_user_watches, or poll)", path, err)
		case err != nil:
			return fmt.Errorf("watch %s: %w", path, err)
		default:
			n.dirs[path] = true
		}
		if report && path != dir {
			n.send(change{path: path})
		}
		return nil
	})
}

// forget drops the watches of a directory that was renamed or removed,
// and of the directories under it. A directory moved elsewhere under the
// roots is then watched afresh under its new name (see created): inotify
// watches follow the moved directory, but under the old names, and the
// old watch is dropped by fsnotify when the move is reported, which can
// come after the new name was added.
func (n *notifier) forget(dir string) {
	prefix := dir + string(filepath.Separator)
	for d := range n.dirs {
		if d == dir || strings.HasPrefix(d, prefix) {
			n.fsw.Remove(d) // fails when the watch is already gone
			delete(n.dirs, d)
		}
	}
}

func (n *notifier) send(c change) {
	select {
	case n.out <- c:
	case <-n.stop:
	}
}

func (n *notifier) inRoots(path string) bool {
	for _, r := range n.roots {
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (n *notifier) isRoot(path string) bool {
	for _, r := range n.roots {
		if path == r {
			return true
		}
	}
	return false
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
