package serve

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"digest/generator/diag"
	"digest/generator/watch"
)

// fakeSite is a site whose "build" copies the title line of
// content/a.md into out/a/index.html, and fails, naming the file and line,
// when the title is "BROKEN".
type fakeSite struct {
	dir, out string
	mu       sync.Mutex
	builds   int
}

func newFakeSite(t *testing.T) *fakeSite {
	t.Helper()
	dir := t.TempDir()
	f := &fakeSite{dir: dir, out: filepath.Join(dir, "out")}
	writeFile(t, filepath.Join(dir, "content", "a.md"), "first")
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fakeSite) rebuild(ctx context.Context, _ *watch.Batch) (string, error) {
	f.mu.Lock()
	f.builds++
	f.mu.Unlock()
	data, err := os.ReadFile(filepath.Join(f.dir, "content", "a.md"))
	if err != nil {
		return "", err
	}
	if string(data) == "BROKEN" {
		return "", diag.List{diag.Errorf("content/a.md", 2, "front matter: title is required")}
	}
	page := filepath.Join(f.out, "a", "index.html")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		return "", err
	}
	// Make a window in which an early reload would see a stale page.
	time.Sleep(10 * time.Millisecond)
	return "1 written", os.WriteFile(page, []byte("<html><body><h1>"+string(data)+"</h1></body></html>"), 0o644)
}

func (f *fakeSite) loop(log io.Writer, built func(error)) *loop {
	return &loop{
		rebuild: f.rebuild,
		site:    f.dir,
		roots:   []string{filepath.Join(f.dir, "content"), filepath.Join(f.dir, "layouts")},
		log:     log,
		built:   built,
	}
}

// TestLoop edits, breaks and fixes a file and checks each is one build
// reported with its outcome.
func TestLoop(t *testing.T) {
	site := newFakeSite(t)
	results := make(chan error, 10)
	var log strings.Builder
	l := site.loop(&log, func(err error) { results <- err })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.run(ctx) }()

	next := func() error {
		t.Helper()
		select {
		case err := <-results:
			return err
		case <-time.After(patience):
			t.Fatal("no build")
			return nil
		}
	}
	if err := next(); err != nil {
		t.Fatalf("first build: %v", err)
	}
	article := filepath.Join(site.dir, "content", "a.md")
	writeFile(t, article, "BROKEN")
	err := next()
	if d := diag.From(err); len(d) != 1 || d[0].File != "content/a.md" || d[0].Line != 2 {
		t.Errorf("broken build: got %v; want content/a.md:2", err)
	}
	writeFile(t, article, "second")
	if err := next(); err != nil {
		t.Errorf("fixed build: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	for _, want := range []string{
		"build: 1 written\n",
		"rebuild after content/a.md failed:\n  content/a.md:2: front matter: title is required\n",
		"rebuild after content/a.md: 1 written\n",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log %q; want it to contain %q", log.String(), want)
		}
	}
}

// TestReloadAfterBuildOnDisk checks the order that matters to editors: by
// the time a page hears of a new build, the rebuilt page is on disk, so the
// reload shows the edit. A failed build keeps the last good page served.
func TestReloadAfterBuildOnDisk(t *testing.T) {
	site := newFakeSite(t)
	srv, err := New(Options{Dir: site.out, BaseURL: "/briefing/"})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	built := make(chan struct{}, 10)
	l := site.loop(io.Discard, func(err error) {
		if err != nil {
			srv.Failed(err)
		} else {
			srv.Built()
		}
		built <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.run(ctx)
	<-built

	ev := openEvents(t, ts.URL+"/briefing/__digest/events")
	first := ev.next()
	article := filepath.Join(site.dir, "content", "a.md")

	writeFile(t, article, "retitled")
	s := ev.next()
	if s.Build == first.Build {
		t.Fatalf("no new build after an edit: %+v", s)
	}
	if page := get(t, ts.URL+"/briefing/a/"); !strings.Contains(page, "<h1>retitled</h1>") {
		t.Errorf("page on reload: %q; want the new title", page)
	}

	writeFile(t, article, "BROKEN")
	s = ev.next()
	if len(s.Errors) != 1 || s.Errors[0].File != "content/a.md" || s.Errors[0].Line != 2 {
		t.Errorf("after a broken edit: %+v; want the error at content/a.md:2", s)
	}
	if page := get(t, ts.URL+"/briefing/a/"); !strings.Contains(page, "<h1>retitled</h1>") {
		t.Errorf("page while broken: %q; want the last good one", page)
	}

	writeFile(t, article, "fixed")
	s = ev.next()
	if len(s.Errors) != 0 {
		t.Errorf("after the fix: %+v; want no errors", s)
	}
	if page := get(t, ts.URL+"/briefing/a/"); !strings.Contains(page, "<h1>fixed</h1>") {
		t.Errorf("page after the fix: %q", page)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestLoopBadRoot(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	writeFile(t, file, "x")
	l := &loop{
		rebuild: func(context.Context, *watch.Batch) (string, error) { return "", errors.New("not reached") },
		roots:   []string{file},
		log:     io.Discard,
	}
	if err := l.run(context.Background()); err == nil {
		t.Error("run with a file as root: got nil error")
	}
}

func TestRelPaths(t *testing.T) {
	site := filepath.Join("x", "site")
	tests := []struct {
		batch *watch.Batch
		want  string
		ok    bool
	}{
		{nil, "", false},
		{&watch.Batch{Paths: []string{filepath.Join(site, "content", "articles", "a.md")}, Full: true}, "", false},
		{&watch.Batch{}, "", false},
		{&watch.Batch{Paths: []string{filepath.Join(site, "content", "articles", "a.md"), filepath.Join(site, "layouts", "base.html")}},
			"content/articles/a.md layouts/base.html", true},
		{&watch.Batch{Paths: []string{filepath.Join("elsewhere", "a.md")}}, "", false},
	}
	for _, tt := range tests {
		got, ok := relPaths(site, tt.batch)
		if strings.Join(got, " ") != tt.want || ok != tt.ok {
			t.Errorf("relPaths(%v) = %q, %v; want %q, %v", tt.batch, got, ok, tt.want, tt.ok)
		}
	}
}
