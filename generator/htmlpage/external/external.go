// Package external reads HTML pages by running the digest-html program,
// so that a program using it does not link go-trafilatura (see package
// htmlpage for why).
//
// Contract:
//   - Program.Read gives what extract.Read gives for the same arguments,
//     the same page or the same error text, or an error naming
//     digest-html when the program cannot be run, fails or times out.
//   - At most the Program's limit of pages are read at once; a reading
//     waits for a free slot or for its context.
//   - Find looks for the program beside the running executable, then on
//     PATH; it changes nothing.
package external

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"digest/generator/htmlpage"
)

// Name is the program's name, without the executable suffix.
const Name = "digest-html"

// PageError is the exit status with which digest-html reports a page
// that is not one or has no story; any other failure is the program's.
const PageError = 1

// Timeout is how long one page may take by default: the slowest page of
// the extraction benchmark takes well under a second.
const Timeout = 30 * time.Second

// ErrNotFound is Find's error when the program is neither beside the
// running executable nor on PATH.
var ErrNotFound = errors.New("HTML pages need the " + Name + " program beside digest (make build builds both)")

// Find returns the path of digest-html beside the running executable,
// else the one on PATH, else ErrNotFound.
func Find() (string, error) {
	name := Name
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(Name); err == nil {
		return p, nil
	}
	return "", ErrNotFound
}

// Program runs digest-html, one process per page.
type Program struct {
	path    string
	timeout time.Duration
	slots   chan struct{}
}

// New returns a Program running the executable at path, at most limit
// pages at once (at least one), each for at most timeout (Timeout when
// zero).
func New(path string, limit int, timeout time.Duration) *Program {
	if timeout <= 0 {
		timeout = Timeout
	}
	return &Program{path: path, timeout: timeout, slots: make(chan struct{}, max(limit, 1))}
}

// Read runs the program on page; pageURL and contentType are as for
// htmlpage.Parse. A page the program refuses gives its reason as the
// error, as extract.Read words it.
func (p *Program) Read(ctx context.Context, page []byte, pageURL, contentType string) (*htmlpage.Page, error) {
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.path, "--url", pageURL, "--content-type", contentType)
	cmd.Stdin = bytes.NewReader(page)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%s: no answer after %v; page not read", Name, p.timeout)
	case errors.As(err, &exit) && exit.ExitCode() == PageError:
		msg := strings.TrimSpace(stderr.String())
		return nil, errors.New(strings.TrimPrefix(msg, Name+": "))
	case err != nil:
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("%s failed: %v: %s", Name, err, msg)
		}
		return nil, fmt.Errorf("%s failed: %v", Name, err)
	}
	var out htmlpage.Page
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return nil, fmt.Errorf("%s: unreadable answer: %v", Name, err)
	}
	return &out, nil
}
