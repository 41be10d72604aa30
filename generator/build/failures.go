package build

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"

	"digest/generator/diag"
)

// writeFailures collects the files a build could not write, by what went
// wrong, so that a full disk is one line, not one per file. Safe for use
// by several goroutines.
type writeFailures struct {
	mu     sync.Mutex
	byKind map[string][]string // what went wrong -> output files
}

// add records that the output file name could not be written.
func (w *writeFailures) add(name string, err error) {
	kind := err.Error()
	// The path in the error is one in a staging directory, and which
	// call failed matters less than why: a full disk fails mkdir, open,
	// write and link alike. The output name says more.
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		kind = pe.Err.Error()
	case errors.As(err, &le):
		kind = le.Err.Error()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.byKind == nil {
		w.byKind = map[string][]string{}
	}
	w.byKind[kind] = append(w.byKind[kind], name)
}

// list returns one diagnostic per kind of failure: naming the file when
// one failed, counting them and naming the first when more did. out names
// the output.
func (w *writeFailures) list(out string) diag.List {
	w.mu.Lock()
	defer w.mu.Unlock()
	var l diag.List
	for kind, names := range w.byKind {
		sort.Strings(names)
		if len(names) == 1 {
			l.Addf(path.Join(filepath.ToSlash(out), names[0]), 0, "write: %s", kind)
			continue
		}
		l.Add(diag.Diagnostic{File: out, Msg: fmt.Sprintf("write: %s: %d files (the first %s)", kind, len(names), names[0])})
	}
	return l
}
