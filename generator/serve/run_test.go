package serve

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// moduleRoot finds the root of the module from the package directory.
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
}

// copySite copies the repository's content/ and layouts/ (without its
// Go files) into a temporary site directory.
func copySite(t testing.TB) string {
	t.Helper()
	root := moduleRoot(t)
	site := t.TempDir()
	for _, dir := range []string{"content", "layouts"} {
		src := filepath.Join(root, dir)
		err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			dst := filepath.Join(site, rel)
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			if strings.HasSuffix(path, ".go") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// runSite starts Run on a copy of the repository's site and returns the
// URL served and a function that stops Run and waits for it.
func runSite(t *testing.T, site string, log io.Writer) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Site: site, Port: 0, Log: log, Ready: func(u string) { ready <- u }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(2 * patience):
		t.Fatal("Run: no first build")
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(patience):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return base, stop
}

// TestRun previews a copy of the repository's site: it is served on
// loopback under the path of its configured base URL, and stops cleanly.
func TestRun(t *testing.T) {
	site := copySite(t)
	var log strings.Builder
	base, stop := runSite(t, site, &log)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	if host := u.Hostname(); host != "127.0.0.1" {
		t.Errorf("served on %s; want 127.0.0.1", host)
	}
	if u.Path != "/briefing/" {
		t.Errorf("served under %s; want the path of content/site.yaml's base_url, /briefing/", u.Path)
	}
	if page := get(t, base); !strings.Contains(page, "__digest/reload.js") || !strings.Contains(page, "</html>") {
		t.Errorf("home page: %q", page)
	}
	start := time.Now()
	stop()
	t.Logf("stopped in %v", time.Since(start))
	if _, err := os.Stat(filepath.Join(site, "public")); err == nil {
		t.Error("serve wrote the site's public/")
	}
	if strings.Contains(log.String(), "warning") {
		t.Errorf("log warns on loopback: %q", log.String())
	}
}

func TestRunWarnsOffLoopback(t *testing.T) {
	site := copySite(t)
	ctx, cancel := context.WithCancel(context.Background())
	var log strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Site: site, Bind: "0.0.0.0", Log: &log, Ready: func(string) { cancel() }})
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "warning: listening on 0.0.0.0:") {
		t.Errorf("log %q; want a warning about the address", log.String())
	}
}

func TestRunPortInUse(t *testing.T) {
	busy, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	err = Run(context.Background(), Config{Site: t.TempDir(), Port: port})
	want := fmt.Sprintf("listen 127.0.0.1:%d: address already in use; choose another with --port", port)
	if err == nil || err.Error() != want {
		t.Errorf("got %v; want %q", err, want)
	}
}
