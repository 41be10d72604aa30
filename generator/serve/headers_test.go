package serve

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// localRequest is httptest.NewRequest addressed to the preview on
// loopback, as a browser on this machine sends it.
func localRequest(method, target string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Host = "127.0.0.1:1313"
	return r
}

// wantHeaders are the headers every response of the preview carries.
var wantHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options":  "nosniff",
	"X-Frame-Options":         "DENY",
	"Referrer-Policy":         "no-referrer",
}

// TestSecurityHeaders checks the headers on every kind of response: a
// page, a static file, a redirect, the 404 page, a refused path, a
// refused method, the live reload script and a refused host.
func TestSecurityHeaders(t *testing.T) {
	s := newTestServer(t, "http://127.0.0.1:1313/briefing/")
	for _, tt := range []struct {
		method, target, host string
		status               int
	}{
		{"GET", "/briefing/", "127.0.0.1:1313", http.StatusOK},
		{"HEAD", "/briefing/", "localhost:1313", http.StatusOK},
		{"GET", "/briefing/style.css", "127.0.0.1:1313", http.StatusOK},
		{"GET", "/briefing/topics", "127.0.0.1:1313", http.StatusFound},
		{"GET", "/briefing/missing/", "127.0.0.1:1313", http.StatusNotFound},
		{"GET", "/briefing/%2e%2e/secret.html", "127.0.0.1:1313", http.StatusBadRequest},
		{"POST", "/briefing/", "127.0.0.1:1313", http.StatusMethodNotAllowed},
		{"GET", "/briefing/__digest/reload.js", "[::1]:1313", http.StatusOK},
		{"GET", "/briefing/", "rebind.example:1313", http.StatusMisdirectedRequest},
	} {
		r := httptest.NewRequest(tt.method, tt.target, nil)
		r.Host = tt.host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != tt.status {
			t.Errorf("%s %s (Host %s): status %d; want %d", tt.method, tt.target, tt.host, rec.Code, tt.status)
		}
		for name, want := range wantHeaders {
			if got := rec.Header().Get(name); got != want {
				t.Errorf("%s %s (Host %s): %s %q; want %q", tt.method, tt.target, tt.host, name, got, want)
			}
		}
	}
	if !strings.Contains(Policy, PagePolicy) {
		t.Errorf("the preview's policy %q does not hold the pages' policy %q", Policy, PagePolicy)
	}
}

func TestHostCheck(t *testing.T) {
	s, err := New(Options{Dir: testSite(t), BaseURL: "/", Hosts: []string{"192.0.2.7", "Preview.Example."}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		host   string
		status int
	}{
		{"127.0.0.1:1313", http.StatusOK},
		{"127.0.0.1", http.StatusOK},
		{"127.8.9.10:80", http.StatusOK},
		{"[::1]:1313", http.StatusOK},
		{"[::ffff:127.0.0.1]:1313", http.StatusOK},
		{"localhost:1313", http.StatusOK},
		{"LOCALHOST.:1313", http.StatusOK},
		{"digest.localhost:1313", http.StatusOK},
		{"192.0.2.7:1313", http.StatusOK},       // bound to it
		{"preview.example:1313", http.StatusOK}, // named in Hosts
		{"rebind.example:1313", http.StatusMisdirectedRequest},
		{"localhost.rebind.example", http.StatusMisdirectedRequest},
		{"127.0.0.1.nip.example", http.StatusMisdirectedRequest},
		{"192.0.2.8:1313", http.StatusMisdirectedRequest},
		{"0.0.0.0:1313", http.StatusMisdirectedRequest},
		{"", http.StatusMisdirectedRequest},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = tt.host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != tt.status {
			t.Errorf("Host %q: status %d; want %d", tt.host, rec.Code, tt.status)
		}
		if tt.status == http.StatusMisdirectedRequest {
			body := rec.Body.String()
			if strings.Contains(body, "Home") {
				t.Errorf("Host %q: served the page: %q", tt.host, body)
			}
			if !strings.Contains(body, "is not served here") {
				t.Errorf("Host %q: body %q; want it to say the host is not served", tt.host, body)
			}
		}
	}
}

// TestHostCheckUnspecified: a server bound to every interface answers
// requests naming one of this machine's addresses, and still no name.
func TestHostCheckUnspecified(t *testing.T) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skipf("skipping: interface addresses unavailable: %v", err)
	}
	s, err := New(Options{Dir: testSite(t), BaseURL: "/", Hosts: []string{"0.0.0.0"}})
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]int{"rebind.example": http.StatusMisdirectedRequest}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			hosts[net.JoinHostPort(n.IP.String(), "1313")] = http.StatusOK
		}
	}
	for host, want := range hosts {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		if rec.Code != want {
			t.Errorf("Host %q: status %d; want %d", host, rec.Code, want)
		}
	}
}

// TestHostCheckOverTCP sends raw requests to the server on loopback, as
// a page whose name an attacker points at 127.0.0.1 would make the
// browser send them.
func TestHostCheckOverTCP(t *testing.T) {
	ts := httptest.NewServer(newTestServer(t, "http://127.0.0.1:1313/briefing/"))
	defer ts.Close()
	for host, want := range map[string]int{
		"rebind.example:80": http.StatusMisdirectedRequest,
		"127.0.0.1":         http.StatusOK,
	} {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(patience))
		if _, err := io.WriteString(conn, "GET /briefing/ HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: status %d; want %d; body %q", host, resp.StatusCode, want, body)
		}
		if want != http.StatusOK && strings.Contains(string(body), "Home") {
			t.Errorf("Host %s: served the page", host)
		}
	}
}

// TestFallbackPageDeclaresPolicy: before the first build, the plain 404
// page declares its language, charset and the pages' policy as a built
// page does.
func TestFallbackPageDeclaresPolicy(t *testing.T) {
	for _, want := range []string{`<html lang="en">`, `<meta charset="utf-8">`,
		`<meta http-equiv="Content-Security-Policy" content="` + PagePolicy + `">`} {
		if !strings.Contains(fallback404, want) {
			t.Errorf("fallback 404 page %q does not contain %q", fallback404, want)
		}
	}
}
