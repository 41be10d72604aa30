package serve

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"digest/generator/diag"
)

// reloadScript runs in every served page; see the package comment.
//
//go:embed reload.js
var reloadScript string

// maxErrors bounds the errors sent to pages; the rest are counted.
const maxErrors = 50

// state is what pages learn of the server, as JSON.
type state struct {
	// Build identifies the last successful build. It differs between
	// runs of the server, so pages reload after a restart.
	Build string `json:"build"`
	// Errors of the last build when it failed; empty when it succeeded.
	Errors []problem `json:"errors"`
	// More counts the errors left out of Errors.
	More int `json:"more,omitempty"`
}

// problem is one diagnostic as pages see it.
type problem struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Msg  string `json:"msg"`
}

// live holds the state pages are told about and wakes the event streams
// when it changes.
type live struct {
	mu      sync.Mutex
	run     string // distinguishes this run of the server
	builds  int    // successful builds so far
	state   state
	changed chan struct{} // closed and replaced on every change
	done    chan struct{} // closed on shutdown
	once    sync.Once
}

func newLive() *live {
	l := &live{
		run:     strconv.FormatInt(time.Now().UnixNano(), 36),
		changed: make(chan struct{}),
		done:    make(chan struct{}),
	}
	l.state = state{Build: l.run + "-0", Errors: []problem{}}
	return l
}

func (l *live) buildID() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state.Build
}

// current returns the state and a channel closed when it next changes.
func (l *live) current() (state, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state, l.changed
}

func (l *live) set(s state) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state = s
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *live) built() {
	l.mu.Lock()
	l.builds++
	id := l.run + "-" + strconv.Itoa(l.builds)
	l.mu.Unlock()
	l.set(state{Build: id, Errors: []problem{}})
}

func (l *live) failed(err error) {
	s := state{Build: l.buildID(), Errors: []problem{}}
	list := diag.From(err)
	for i, d := range list {
		if i == maxErrors {
			s.More = len(list) - maxErrors
			break
		}
		s.Errors = append(s.Errors, problem{File: d.File, Line: d.Line, Msg: d.Msg})
	}
	if len(s.Errors) == 0 {
		s.Errors = append(s.Errors, problem{Msg: "build failed"})
	}
	l.set(s)
}

// close ends every event stream, so that the server can shut down.
func (l *live) close() { l.once.Do(func() { close(l.done) }) }

// serveEvents streams the state to one page as Server-Sent Events: the
// current state at once, then every change. Comments every 20 seconds keep
// idle connections open through proxies.
func (l *live) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// Reconnect quickly after a restart of the server.
	fmt.Fprint(w, "retry: 500\n\n")

	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		s, changed := l.current()
		data, err := json.Marshal(s)
		if err != nil {
			return
		}
		if _, err := fmt.Fprintf(w, "event: state\ndata: %s\n\n", data); err != nil {
			return
		}
		flusher.Flush()
		for waiting := true; waiting; {
			select {
			case <-changed:
				waiting = false
			case <-r.Context().Done():
				return
			case <-l.done:
				return
			case <-ping.C:
				if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
					return
				}
				flusher.Flush()
			}
		}
	}
}
