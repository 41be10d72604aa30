package serve

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// serveOnLoopback serves s on a free loopback port until the test ends
// and returns its address.
func serveOnLoopback(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestSlowClientsDoNotBlock holds 200 connections that sent half a
// request line and nothing more, then asks for pages on fresh
// connections: each is answered promptly.
func TestSlowClientsDoNotBlock(t *testing.T) {
	addr := serveOnLoopback(t, newTestServer(t, "/"))
	const slow = 200
	for range slow {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHo"); err != nil {
			t.Fatal(err)
		}
	}
	transport := &http.Transport{DisableKeepAlives: true}
	defer transport.CloseIdleConnections() // before the server shuts down
	client := &http.Client{Timeout: patience, Transport: transport}
	var slowest time.Duration
	for range 20 {
		start := time.Now()
		resp, err := client.Get("http://" + addr + "/")
		if err != nil {
			t.Fatalf("GET / beside %d slow clients: %v", slow, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<h1>Home</h1>") {
			t.Fatalf("GET / beside %d slow clients: %d %q", slow, resp.StatusCode, body)
		}
		slowest = max(slowest, time.Since(start))
	}
	if slowest > time.Second {
		t.Errorf("slowest answer beside %d slow clients: %v; want under 1s", slow, slowest)
	}
	t.Logf("slowest of 20 answers beside %d slow clients: %v", slow, slowest)
}

// TestNoTornPages replaces a large page again and again, as a rebuild
// does (a new file renamed over the old), while eight clients read it:
// every response is one whole version of the page.
func TestNoTornPages(t *testing.T) {
	dir := t.TempDir()
	versions := []string{
		"<html><body>" + strings.Repeat("<p>first version</p>\n", 10000) + "</body></html>",
		"<html><body>" + strings.Repeat("<p>other version</p>\n", 12000) + "</body></html>",
	}
	index := filepath.Join(dir, "index.html")
	writeFile(t, index, versions[0])
	s, err := New(Options{Dir: dir, BaseURL: "/"})
	if err != nil {
		t.Fatal(err)
	}
	addr := serveOnLoopback(t, s)

	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; ctx.Err() == nil; i++ {
			tmp := filepath.Join(dir, ".index.html.tmp")
			if err := os.WriteFile(tmp, []byte(versions[i%2]), 0o644); err != nil {
				t.Error(err)
				return
			}
			if err := os.Rename(tmp, index); err != nil {
				t.Error(err)
				return
			}
			s.Built()
		}
	})
	// Connections the transport dialled and never used would hold up the
	// server's shutdown; they are closed before it.
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	script := regexp.MustCompile(`<script src="/__digest/reload.js"[^>]*></script>\n`)
	var responses, torn atomic.Int64
	for range 8 {
		wg.Go(func() {
			client := &http.Client{Timeout: patience, Transport: transport}
			for ctx.Err() == nil {
				resp, err := client.Get("http://" + addr + "/")
				if err != nil {
					t.Error(err)
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Error(err)
					return
				}
				responses.Add(1)
				page := script.ReplaceAllString(string(body), "")
				if page != versions[0] && page != versions[1] {
					torn.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if responses.Load() == 0 || torn.Load() != 0 {
		t.Errorf("%d responses, %d of them torn; want some and none torn", responses.Load(), torn.Load())
	}
	t.Logf("%d responses during continuous replacement, %d torn", responses.Load(), torn.Load())
}
