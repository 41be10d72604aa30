// Package external reads HTML pages by running the digest-html program,
// so that a program using it does not link go-trafilatura (see package
// htmlpage for why).
//
// Contract:
//   - Program.Read gives what extract.Read gives for the same arguments,
//     the same page or the same error text, or an error naming
//     digest-html when the program cannot be run, fails or times out.
//   - The pages go to a few long-lived digest-html processes (digest-html
//     --serve), started as needed, so the extraction library's start-up
//     is paid once per process, not once per page. At most the Program's
//     limit of pages are read at once; a reading waits for a free process
//     or for its context. A process that fails, times out or whose
//     reading is cancelled is killed and replaced by the next reading.
//   - Close ends the processes; a Program is not used after it.
//   - Find looks for the program beside the running executable, then on
//     PATH; it changes nothing.
package external

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"digest/generator/htmlpage"
)

// Name is the program's name, without the executable suffix.
const Name = "digest-html"

// Timeout is how long one page may take by default, the program's
// start-up included: the slowest page of the extraction benchmark takes
// well under a second.
const Timeout = 30 * time.Second

// ErrNotFound is Find's error when the program is neither beside the
// running executable nor on PATH.
var ErrNotFound = errors.New("HTML pages need the " + Name + " program beside digest (make build builds both)")

// Request is one page sent to digest-html --serve.
type Request struct {
	URL         string
	ContentType string
	Page        []byte
}

// Answer is digest-html --serve's answer to one Request: the page read,
// or why it could not be.
type Answer struct {
	Page  *htmlpage.Page `json:",omitempty"`
	Error string         `json:",omitempty"`
}

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

// Program runs digest-html processes and hands them pages.
type Program struct {
	path    string
	timeout time.Duration
	slots   chan struct{} // one per page being read

	mu     sync.Mutex
	idle   []*process
	closed bool
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

// Read has a digest-html process read page; pageURL and contentType are
// as for htmlpage.Parse. A page the program refuses gives its reason as
// the error, as extract.Read words it. Read is safe for concurrent use.
func (p *Program) Read(ctx context.Context, page []byte, pageURL, contentType string) (*htmlpage.Page, error) {
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	proc, err := p.take()
	if err != nil {
		return nil, err
	}
	type result struct {
		ans Answer
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		r.err = proc.ask(Request{URL: pageURL, ContentType: contentType, Page: page}, &r.ans)
		done <- r
	}()
	timer := time.NewTimer(p.timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, proc.fail(r.err)
		}
		p.put(proc)
		if r.ans.Error != "" {
			return nil, errors.New(r.ans.Error)
		}
		if r.ans.Page == nil {
			return nil, fmt.Errorf("%s: empty answer", Name)
		}
		return r.ans.Page, nil
	case <-timer.C:
		proc.kill()
		<-done
		proc.cmd.Wait()
		return nil, fmt.Errorf("%s: no answer after %v; page not read", Name, p.timeout)
	case <-ctx.Done():
		proc.kill()
		<-done
		proc.cmd.Wait()
		return nil, ctx.Err()
	}
}

// Close ends the idle processes: their input ends and they exit.
func (p *Program) Close() error {
	p.mu.Lock()
	idle := p.idle
	p.idle, p.closed = nil, true
	p.mu.Unlock()
	var first error
	for _, proc := range idle {
		proc.in.Close()
		if err := proc.cmd.Wait(); err != nil && first == nil {
			first = fmt.Errorf("%s: %v", Name, err)
		}
	}
	return first
}

// take returns an idle process, or starts one.
func (p *Program) take() (*process, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		proc := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return proc, nil
	}
	closed := p.closed
	p.mu.Unlock()
	if closed {
		return nil, fmt.Errorf("%s: read after Close", Name)
	}
	return start(p.path)
}

// put makes proc idle again, or ends it when the Program is closed.
func (p *Program) put(proc *process) {
	p.mu.Lock()
	if !p.closed {
		p.idle = append(p.idle, proc)
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	proc.in.Close()
	proc.cmd.Wait()
}

// process is one digest-html --serve.
type process struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	enc    *json.Encoder
	dec    *json.Decoder
	stderr *tail
}

func start(path string) (*process, error) {
	cmd := exec.Command(path, "--serve")
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("%s failed: %v", Name, err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("%s failed: %v", Name, err)
	}
	stderr := &tail{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s failed: %v", Name, err)
	}
	return &process{cmd: cmd, in: in, enc: json.NewEncoder(in), dec: json.NewDecoder(bufio.NewReader(out)), stderr: stderr}, nil
}

// ask sends req and reads the answer into ans.
func (proc *process) ask(req Request, ans *Answer) error {
	if err := proc.enc.Encode(req); err != nil {
		return err
	}
	return proc.dec.Decode(ans)
}

// fail kills the process after err talking to it and returns the error
// to report, with what it said on standard error.
func (proc *process) fail(err error) error {
	proc.kill()
	werr := proc.cmd.Wait()
	if werr != nil {
		err = werr
	} else if err == io.EOF {
		err = errors.New("exited before answering")
	}
	if msg := proc.stderr.String(); msg != "" {
		return fmt.Errorf("%s failed: %v: %s", Name, err, msg)
	}
	return fmt.Errorf("%s failed: %v", Name, err)
}

// kill ends the process at once, which ends a pending ask.
func (proc *process) kill() {
	proc.in.Close()
	if proc.cmd.Process != nil {
		proc.cmd.Process.Kill()
	}
}

// tail keeps the last few kilobytes a process writes on standard error.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if n := len(t.buf); n > 4096 {
		t.buf = append(t.buf[:0], t.buf[n-4096:]...)
	}
	return len(b), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(bytes.ToValidUTF8(t.buf, nil)))
}
