package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digest/generator/diag"
)

// patience bounds every wait in these tests; a passing test never waits
// this long.
const patience = 5 * time.Second

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testSite writes a small built site and, beside it, a secret file that
// must never be served, with symbolic links to it from inside the site.
func testSite(t *testing.T) (dir string) {
	t.Helper()
	top := t.TempDir()
	dir = filepath.Join(top, "public")
	writeFile(t, filepath.Join(top, "secret.html"), "<p>secret</p>")
	writeFile(t, filepath.Join(top, "private", "key.html"), "<p>secret</p>")
	files := map[string]string{
		"index.html":        "<html><body><h1>Home</h1></body></html>",
		"404.html":          "<html><body><h1>Not here</h1></body></html>",
		"topics/index.html": "<html><body><h1>Topics</h1></body></html>",
		"about.html":        "<html><body><h1>About</h1></body></html>",
		"style.css":         "body { color: black }",
		"feed.xml":          "<rss></rss>",
	}
	for name, text := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), text)
	}
	links := map[string]string{
		"out.html":  filepath.Join("..", "secret.html"),
		"outdir":    filepath.Join(top, "private"),
		"home.html": "index.html",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symbolic links unavailable: %v", err)
		}
	}
	return dir
}

func newTestServer(t *testing.T, base string) *Server {
	t.Helper()
	s, err := New(Options{Dir: testSite(t), BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestServe(t *testing.T) {
	s := newTestServer(t, "http://127.0.0.1:1313/briefing/")
	tests := []struct {
		target   string
		status   int
		location string // for redirects
		body     string // contained in the body
	}{
		{"/", http.StatusFound, "/briefing/", ""},
		{"/briefing", http.StatusFound, "/briefing/", ""},
		{"/briefing/", http.StatusOK, "", "<h1>Home</h1>"},
		{"/briefing/index.html", http.StatusOK, "", "<h1>Home</h1>"},
		{"/briefing/topics", http.StatusFound, "/briefing/topics/", ""},
		{"/briefing/topics?page=2", http.StatusFound, "/briefing/topics/?page=2", ""},
		{"/briefing/topics/", http.StatusOK, "", "<h1>Topics</h1>"},
		{"/briefing/about", http.StatusOK, "", "<h1>About</h1>"},
		{"/briefing/about.html/", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/briefing/style.css", http.StatusOK, "", "color: black"},
		{"/briefing/home.html", http.StatusOK, "", "<h1>Home</h1>"},
		{"/briefing/missing/", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/briefing/missing.html", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/index.html", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/other/", http.StatusNotFound, "", "<h1>Not here</h1>"},
		// Attempts to leave the site.
		{"/briefing/../secret.html", http.StatusBadRequest, "", ""},
		{"/briefing/topics/../../secret.html", http.StatusBadRequest, "", ""},
		{"/briefing/%2e%2e/secret.html", http.StatusBadRequest, "", ""},
		{"/briefing/%2E%2E/secret.html", http.StatusBadRequest, "", ""},
		{"/briefing/topics%2f..%2f..%2fsecret.html", http.StatusBadRequest, "", ""},
		{"/briefing/..%5csecret.html", http.StatusBadRequest, "", ""},
		{"/briefing/..\\secret.html", http.StatusBadRequest, "", ""},
		{"/briefing/./index.html", http.StatusBadRequest, "", ""},
		{"/briefing/out.html", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/briefing/outdir/key.html", http.StatusNotFound, "", "<h1>Not here</h1>"},
		{"/briefing/outdir/", http.StatusNotFound, "", "<h1>Not here</h1>"},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, localRequest("GET", tt.target))
		body := rec.Body.String()
		if rec.Code != tt.status {
			t.Errorf("GET %s: status %d; want %d", tt.target, rec.Code, tt.status)
		}
		if loc := rec.Header().Get("Location"); loc != tt.location {
			t.Errorf("GET %s: Location %q; want %q", tt.target, loc, tt.location)
		}
		if !strings.Contains(body, tt.body) {
			t.Errorf("GET %s: body %q; want it to contain %q", tt.target, body, tt.body)
		}
		if strings.Contains(body, "secret") {
			t.Errorf("GET %s: served the secret file outside the site", tt.target)
		}
	}
}

func TestServeRootBase(t *testing.T) {
	s := newTestServer(t, "https://example.org")
	for target, want := range map[string]int{
		"/":            http.StatusOK,
		"/topics/":     http.StatusOK,
		"/briefing/":   http.StatusNotFound,
		"/../x":        http.StatusBadRequest,
		"/%2e%2e/x":    http.StatusBadRequest,
		"/style.css":   http.StatusOK,
		"/nothing.css": http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, localRequest("GET", target))
		if rec.Code != want {
			t.Errorf("GET %s: status %d; want %d", target, rec.Code, want)
		}
	}
}

// TestTraversalOverTCP sends raw request lines, as a hostile client
// would, past any cleaning an HTTP client might do.
func TestTraversalOverTCP(t *testing.T) {
	ts := httptest.NewServer(newTestServer(t, "http://127.0.0.1:1313/briefing/"))
	defer ts.Close()
	for _, target := range []string{
		"/briefing/../secret.html",
		"/briefing/%2e%2e/secret.html",
		"/briefing/.%2e/secret.html",
		"/briefing/%2e%2e%2fsecret.html",
		"/briefing/out.html",
		"/briefing/outdir/key.html",
	} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(patience))
		_, err = conn.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		bufio.NewReader(resp.Body).WriteTo(&body)
		conn.Close()
		if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d; want 400 or 404", target, resp.StatusCode)
		}
		if strings.Contains(body.String(), "secret") {
			t.Errorf("GET %s: served the secret file outside the site", target)
		}
	}
}

// TestInjectIntoResponseOnly checks that HTML responses carry the reload
// script before </body>, other files do not, and the files on disk stay
// as built.
func TestInjectIntoResponseOnly(t *testing.T) {
	s := newTestServer(t, "/briefing/")
	for target, want := range map[string]bool{
		"/briefing/":          true,
		"/briefing/about":     true,
		"/briefing/nothing/":  true, // the 404 page
		"/briefing/style.css": false,
		"/briefing/feed.xml":  false,
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, localRequest("GET", target))
		body := rec.Body.String()
		got := strings.Contains(body, `<script src="/briefing/__digest/reload.js" data-events="/briefing/__digest/events" data-build="`)
		if got != want {
			t.Errorf("GET %s: script injected %v; want %v; body %q", target, got, want, body)
		}
		if want && !strings.HasSuffix(body, "</script>\n</body></html>") {
			t.Errorf("GET %s: script not right before </body>: %q", target, body)
		}
	}
	data, err := os.ReadFile(filepath.Join(s.dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "script") {
		t.Errorf("index.html on disk changed: %q", data)
	}
}

func TestInject(t *testing.T) {
	tests := []struct{ page, want string }{
		{"<body><p>a</p></body>", "<body><p>a</p>T\n</body>"},
		{"<BODY>a</BODY >", "<BODY>aT\n</BODY >"},
		{"<p>no body", "<p>no bodyT\n"},
		{"<body><pre>&lt;/body></pre></body>", "<body><pre>&lt;/body></pre>T\n</body>"},
		{"", "T\n"},
	}
	for _, tt := range tests {
		if got := string(inject([]byte(tt.page), "T")); got != tt.want {
			t.Errorf("inject(%q) = %q; want %q", tt.page, got, tt.want)
		}
	}
}

func TestNoSiteYet(t *testing.T) {
	s, err := New(Options{Dir: filepath.Join(t.TempDir(), "none"), BaseURL: "/b/"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, localRequest("GET", "/b/"))
	if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "__digest/reload.js") {
		t.Errorf("got %d %q; want 404 with the reload script", rec.Code, rec.Body.String())
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := newTestServer(t, "/")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, localRequest("POST", "/"))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d; want %d", rec.Code, http.StatusMethodNotAllowed)
	}
}

func TestListenPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	ln, err := Listen(addr)
	if err == nil {
		ln.Close()
		t.Fatalf("Listen(%s) on a busy port: got nil error", addr)
	}
	want := "listen " + addr + ": address already in use; choose another with --port"
	if err.Error() != want {
		t.Errorf("got %q; want %q", err, want)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.1.2.3": true, "::1": true, "localhost": true,
		"0.0.0.0": false, "::": false, "192.168.1.10": false, "": false, "example.org": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v; want %v", host, got, want)
		}
	}
}

// events reads the state events of one stream.
type events struct {
	t    *testing.T
	resp *http.Response
	sc   *bufio.Scanner
}

func openEvents(t *testing.T, url string) *events {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q; want text/event-stream", ct)
	}
	return &events{t: t, resp: resp, sc: bufio.NewScanner(resp.Body)}
}

func (e *events) next() state {
	e.t.Helper()
	for e.sc.Scan() {
		data, ok := strings.CutPrefix(e.sc.Text(), "data: ")
		if !ok {
			continue
		}
		var s state
		if err := json.Unmarshal([]byte(data), &s); err != nil {
			e.t.Fatal(err)
		}
		return s
	}
	e.t.Fatalf("event stream ended: %v", e.sc.Err())
	return state{}
}

// TestEvents follows the state pages see through a failed build, a fixed
// one, and a restart of the server.
func TestEvents(t *testing.T) {
	s := newTestServer(t, "/briefing/")
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close) // after the event stream's cleanup closes it
	ev := openEvents(t, ts.URL+"/briefing/__digest/events")

	first := ev.next()
	if first.Build == "" || len(first.Errors) != 0 {
		t.Fatalf("first state %+v; want a build id and no errors", first)
	}

	var list diag.List
	list.Addf("content/articles/a.md", 3, "front matter: date %q: want YYYY-MM-DD", "13/05")
	list.Addf("content/topics.yaml", 0, "<script>alert(1)</script>")
	s.Failed(list)
	failed := ev.next()
	want := []problem{
		{File: "content/articles/a.md", Line: 3, Msg: `front matter: date "13/05": want YYYY-MM-DD`},
		{File: "content/topics.yaml", Msg: "<script>alert(1)</script>"},
	}
	if failed.Build != first.Build || !equalProblems(failed.Errors, want) {
		t.Errorf("after Failed: got %+v; want build %s with %+v", failed, first.Build, want)
	}

	s.Built()
	fixed := ev.next()
	if fixed.Build == first.Build || len(fixed.Errors) != 0 {
		t.Errorf("after Built: got %+v; want a new build id and no errors", fixed)
	}

	// A new server, as after a restart, has another build id.
	other := newTestServer(t, "/briefing/")
	if other.live.buildID() == fixed.Build {
		t.Errorf("restarted server has the same build id %s", fixed.Build)
	}
}

func equalProblems(a, b []problem) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFailedCapsErrors(t *testing.T) {
	l := newLive()
	var list diag.List
	for range maxErrors + 7 {
		list.Addf("a.md", 1, "bad")
	}
	l.failed(list)
	s, _ := l.current()
	if len(s.Errors) != maxErrors || s.More != 7 {
		t.Errorf("got %d errors and %d more; want %d and 7", len(s.Errors), s.More, maxErrors)
	}
	l.failed(errors.New("disk full"))
	if s, _ := l.current(); len(s.Errors) != 1 || s.Errors[0].Msg != "disk full" {
		t.Errorf("plain error: got %+v", s.Errors)
	}
}

// TestScriptUsesTextOnly guards the overlay against markup in messages.
func TestScriptUsesTextOnly(t *testing.T) {
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"} {
		if strings.Contains(reloadScript, bad) {
			t.Errorf("reload.js uses %s; messages must be set with textContent", bad)
		}
	}
}

// TestShutdown cancels Serve while a page listens for events: Serve
// returns promptly and without error.
func TestShutdown(t *testing.T) {
	s := newTestServer(t, "/")
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	ev := openEvents(t, "http://"+ln.Addr().String()+"/__digest/events")
	ev.next()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(patience):
		t.Fatal("Serve did not return after cancel")
	}
}
