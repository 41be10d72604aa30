package fetch

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"digest/generator/diag"
)

const page = "<html><head><title>Talks</title></head><body><p>Delegations met in Istanbul.</p></body></html>"

func fixedNow() time.Time { return time.Date(2025, 5, 17, 9, 30, 0, 0, time.UTC) }

// server serves the cases the fetcher must tell apart.
func server(t *testing.T, hits *atomic.Int32) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hop/1", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/hop/", func(w http.ResponseWriter, r *http.Request) {
		n := strings.TrimPrefix(r.URL.Path, "/hop/")
		if n == "4" {
			http.Redirect(w, r, "/story", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/hop/"+string(rune(n[0]+1)), http.StatusFound)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>filler</p>", 100))
		for i := 0; i < 200; i++ { // no Content-Length: the limit must hold while reading
			w.Write(chunk)
		}
	})
	mux.HandleFunc("/report.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFetch(t *testing.T) {
	var hits atomic.Int32
	srv := server(t, &hits)
	inbox := t.TempDir()
	opts := Options{Inbox: inbox, Timeout: 300 * time.Millisecond, MaxSize: 64 << 10, Now: fixedNow}
	addrs := []string{
		srv.URL + "/story",
		srv.URL + "/moved", // five redirects, then the story
		srv.URL + "/loop",
		srv.URL + "/missing",
		srv.URL + "/broken",
		srv.URL + "/slow",
		srv.URL + "/huge",
		srv.URL + "/report.pdf",
		"ftp://files.example/a.html",
	}
	var log strings.Builder
	opts.Log = &log
	files, err := Fetch(context.Background(), opts, addrs)
	want := map[string]string{
		addrs[2]: "fetch: more than 5 redirects",
		addrs[3]: "fetch: HTTP 404",
		addrs[4]: "fetch: HTTP 500",
		addrs[5]: "fetch: timeout after 300ms",
		addrs[6]: "fetch: larger than 65536 bytes",
		addrs[7]: "fetch: not HTML: application/pdf",
		addrs[8]: `fetch: only http and https addresses are fetched, not "ftp"`,
	}
	got := map[string]string{}
	for _, d := range diag.From(err) {
		got[d.File] = d.Msg
	}
	for addr, msg := range want {
		if got[addr] != msg {
			t.Errorf("%s: got %q; want %q", addr, got[addr], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d failures; want %d: %v", len(got), len(want), err)
	}
	if len(files) != 2 {
		t.Fatalf("saved %v; want the story and the redirected story", files)
	}
	if n := strings.Count(log.String(), "\n"); n != len(addrs) {
		t.Errorf("printed %d progress lines; want %d:\n%s", n, len(addrs), log.String())
	}
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || string(data) != page {
			t.Errorf("%s: got %q, %v; want the page as served", f, data, err)
		}
		var sc Sidecar
		side, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(side, &sc); err != nil {
			t.Fatal(err)
		}
		want := Sidecar{URL: addrs[i], FinalURL: srv.URL + "/story", FetchedAt: "2025-05-17T09:30:00Z", ContentType: "text/html; charset=utf-8"}
		if sc != want {
			t.Errorf("%s: got sidecar %+v; want %+v", f, sc, want)
		}
	}
	entries, _ := os.ReadDir(inbox)
	if len(entries) != 4 {
		t.Errorf("inbox holds %d files; want 2 pages and 2 sidecars, nothing for the failures", len(entries))
	}

	// An address saved before is not fetched again, and gives the same file.
	before := hits.Load()
	again, err := Fetch(context.Background(), opts, addrs[:1])
	if err != nil || len(again) != 1 || again[0] != files[0] {
		t.Errorf("fetching again: got %v, %v; want %v", again, err, files[:1])
	}
	if hits.Load() != before {
		t.Errorf("the address was fetched again; want it kept")
	}
	// With Force it is fetched again, into the same file.
	opts.Force = true
	if again, err = Fetch(context.Background(), opts, addrs[:1]); err != nil || again[0] != files[0] || hits.Load() != before+1 {
		t.Errorf("forced fetch: got %v, %v, %d hits; want %v fetched once more", again, err, hits.Load()-before, files[:1])
	}
}

func TestDefaultMessages(t *testing.T) {
	o := Options{}
	o.defaults()
	if got := seconds(o.Timeout); got != "20 s" {
		t.Errorf("got timeout %q; want %q", got, "20 s")
	}
	if got := size(o.MaxSize); got != "10 MB" {
		t.Errorf("got size %q; want %q", got, "10 MB")
	}
}

func TestName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://www.example.org/news/2025/05/16/talks.html", "example-org-news-2025-05-16-talks-"},
		{"https://example.org/", "example-org-"},
		{"https://example.org/?id=1", "example-org-"},
	} {
		got := Name(tc.in)
		if !strings.HasPrefix(got, tc.want) || len(got) != len(tc.want)+8 {
			t.Errorf("Name(%q) = %q; want %q and 8 hex digits", tc.in, got, tc.want)
		}
	}
	if Name("https://example.org/?id=1") == Name("https://example.org/?id=2") {
		t.Error("two addresses share a name")
	}
	if filepath.Base(Name("https://example.org/a")) != Name("https://example.org/a") {
		t.Error("a name holds a separator")
	}
}
