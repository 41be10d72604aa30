// Package diag holds the diagnostics every stage of the digest reports: a
// problem tied to a file and, where known, a line, and a sortable list of
// them so that one run reports every broken file at once, in a stable order.
//
// A Diagnostic prints as "path:line: message" (or "path: message" when the
// line is unknown), with the path relative to the site root and slash
// separated, so messages are the same on every machine.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Diagnostic is one problem found in one file.
type Diagnostic struct {
	File string // slash-separated path relative to the site root
	Line int    // 1-based; 0 when the problem is not tied to a line
	Msg  string // lowercase, starts with the operation: "front matter: ..."
}

// Error formats the diagnostic as "file:line: msg".
func (d Diagnostic) Error() string {
	switch {
	case d.File == "":
		return d.Msg
	case d.Line > 0:
		return fmt.Sprintf("%s:%d: %s", d.File, d.Line, d.Msg)
	default:
		return fmt.Sprintf("%s: %s", d.File, d.Msg)
	}
}

// Errorf returns a Diagnostic for file at line with a formatted message.
func Errorf(file string, line int, format string, args ...any) Diagnostic {
	return Diagnostic{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// List collects diagnostics. The zero value is ready to use.
type List []Diagnostic

// Add appends a diagnostic.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Addf appends a diagnostic built like Errorf.
func (l *List) Addf(file string, line int, format string, args ...any) {
	l.Add(Errorf(file, line, format, args...))
}

// Sort orders the list by file, line, then message, and drops exact
// duplicates.
func (l List) Sort() List {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
	out := l[:0]
	for i, d := range l {
		if i > 0 && d == l[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Err returns the sorted list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l.Sort()
}

// Error joins the diagnostics one per line.
func (l List) Error() string {
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// From extracts the diagnostics carried by err: a List, a single Diagnostic,
// or any other error as one diagnostic without a file.
func From(err error) List {
	if err == nil {
		return nil
	}
	var l List
	if errors.As(err, &l) {
		return l
	}
	var d Diagnostic
	if errors.As(err, &d) {
		return List{d}
	}
	return List{{Msg: err.Error()}}
}
