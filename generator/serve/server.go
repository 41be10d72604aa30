// Package serve is the preview server of the digest: it serves a built site
// under the path of its base URL, as GitHub Pages will, and reloads open
// pages when the site is rebuilt.
//
// # Serving
//
// Server serves the files of one output directory below the base URL's
// path (for http://127.0.0.1:1313/briefing/, /briefing/topics/ is the
// directory topics/). "/" redirects to the base path. A directory is
// served as its index.html; a missing page gets the site's 404.html with
// status 404. A request that tries to leave the directory (a ".." segment,
// encoded dots or slashes, a symbolic link pointing outside) gets 400 or
// 404, never a file from outside.
//
// # What every response carries
//
// The preview answers only requests addressed to this machine: a Host
// header naming a loopback address, localhost (or a name under
// .localhost), or a host listed in Options.Hosts (the address it was
// bound to). Anything else gets 421 Misdirected Request: a page on
// another site whose name an attacker points at 127.0.0.1 (DNS
// rebinding) would otherwise read the preview as its own.
//
// Every response says X-Content-Type-Options: nosniff, Referrer-Policy:
// no-referrer, X-Frame-Options: DENY, and Policy as its
// Content-Security-Policy: the policy the built pages declare in their
// <meta> element, plus frame-ancestors 'none', which a <meta> element
// cannot carry. The live reload script is a file of the server's own
// origin, so the policy allows it; a site's own layouts must keep to the
// policy too, as they must on the published site.
//
// # Live reload
//
// Every HTML response (and only the response: files on disk are never
// touched) gets a small script before </body>. It listens to the server
// with Server-Sent Events at __digest/events under the base path and
// learns the current build id and build errors:
//
//   - after a successful rebuild, which Server hears of through Built once
//     the new files are on disk, the build id changes and the page reloads;
//   - after a failed rebuild (Failed) the last good site is still served and
//     the page shows the errors, "path:line: message", in an overlay;
//   - when the server restarts, the browser reconnects by itself, sees a new
//     build id and reloads.
//
// Pages in background tabs close their stream and reopen it when shown, so
// that many open tabs do not use up the browser's connections to the
// server.
//
// Run puts it together for `digest serve`: build, serve, watch, rebuild.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Options configure a Server.
type Options struct {
	// Dir is the built site to serve.
	Dir string
	// BaseURL is the URL the site is built for; its path is where the
	// site is served. Default "/".
	BaseURL string
	// Hosts are the host names or addresses, besides loopback ones, that
	// requests may name in their Host header: the address the server is
	// bound to. An unspecified address ("0.0.0.0", "::") stands for the
	// addresses of this machine's network interfaces.
	Hosts []string
}

// Server serves a built site with live reload. It is an http.Handler.
type Server struct {
	dir   string
	base  string          // path prefix, starting and ending with "/"
	hosts map[string]bool // allowed besides loopback ones, as requestHost gives them
	live  *live
}

// New returns a Server for the site in opts.Dir.
func New(opts Options) (*Server, error) {
	base := "/"
	if opts.BaseURL != "" {
		u, err := url.Parse(opts.BaseURL)
		if err != nil {
			return nil, fmt.Errorf("serve: base url: %w", err)
		}
		base = basePath(u.Path)
	}
	return &Server{dir: opts.Dir, base: base, hosts: allowedHosts(opts.Hosts), live: newLive()}, nil
}

// basePath makes p a path prefix that starts and ends with a slash.
func basePath(p string) string {
	p = "/" + strings.Trim(p, "/") + "/"
	if p == "//" {
		return "/"
	}
	return p
}

// Base returns the path the site is served under, such as "/briefing/".
func (s *Server) Base() string { return s.base }

// Built tells open pages that a rebuild has completed and its files are on
// disk: they reload. It clears the errors of a failed build.
func (s *Server) Built() { s.live.built() }

// Failed tells open pages that a rebuild failed with err, whose
// diagnostics (see diag.From) they show in an overlay. The last good site
// stays served.
func (s *Server) Failed(err error) { s.live.failed(err) }

// Listen listens on TCP address addr ("host:port"). A port already in use
// gets an error saying so and how to choose another.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if addrInUse(err) {
		return nil, fmt.Errorf("listen %s: address already in use; choose another with --port", addr)
	}
	if err != nil {
		return nil, err
	}
	return ln, nil
}

// IsLoopback reports whether host (a name or an IP address) can only be
// reached from this machine.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve serves HTTP on ln until ctx is cancelled, then shuts down: it
// closes the live reload streams, stops accepting connections and waits a
// few seconds for requests in flight.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
	}
	srv.RegisterOnShutdown(s.live.close)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Paths of the live reload endpoints, under the base path.
const (
	eventsPath = "__digest/events"
	scriptPath = "__digest/reload.js"
)

// Policy is the Content-Security-Policy of the preview's responses; see
// the package comment.
const Policy = PagePolicy + "; frame-ancestors 'none'"

// PagePolicy is the policy the default layouts declare in every page's
// <meta http-equiv="Content-Security-Policy">: scripts, styles, the
// search index and everything else only from the site's own origin, no
// inline script or style, no plugins, no <base>, forms submitted only to
// the site. TestPagesDeclarePolicy checks that the built pages carry it.
const PagePolicy = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"

// ServeHTTP serves the site, the live reload script and its events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", Policy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if host := requestHost(r.Host); !s.hostAllowed(host) {
		http.Error(w, fmt.Sprintf("host %q is not served here: the preview answers only for localhost, loopback addresses and the address it listens on", host),
			http.StatusMisdirectedRequest)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if s.base != "/" && (p == "/" || p+"/" == s.base) {
		http.Redirect(w, r, s.base, http.StatusFound)
		return
	}
	if !strings.HasPrefix(p, s.base) {
		s.notFound(w, r, s.live.buildID())
		return
	}
	rel := p[len(s.base):]
	switch rel {
	case eventsPath:
		s.live.serveEvents(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, reloadScript)
		return
	}
	if !safePath(r) {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.serveFile(w, r, rel)
}

// requestHost returns the host of a Host header without its port and
// brackets: an IP address in its usual form, a name lowercase and
// without a trailing dot.
func requestHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if ip := net.ParseIP(host); ip != nil {
		return ip.String()
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// hostAllowed reports whether a request naming host (as requestHost
// returns it) is answered.
func (s *Server) hostAllowed(host string) bool {
	return IsLoopback(host) || strings.HasSuffix(host, ".localhost") || s.hosts[host]
}

// allowedHosts returns the set of hosts, as requestHost returns them, that
// list names; an unspecified address adds the addresses of this machine's
// interfaces.
func allowedHosts(list []string) map[string]bool {
	set := map[string]bool{}
	for _, h := range list {
		h = requestHost(h)
		if ip := net.ParseIP(h); ip != nil && ip.IsUnspecified() {
			addrs, _ := net.InterfaceAddrs()
			for _, a := range addrs {
				if n, ok := a.(*net.IPNet); ok {
					set[n.IP.String()] = true
				}
			}
			continue
		}
		if h != "" {
			set[h] = true
		}
	}
	return set
}

// safePath reports whether the request path stays inside the site: no ".."
// segment (after decoding, so %2e%2e counts), no encoded slash or
// backslash that would hide a segment, no backslash or NUL.
func safePath(r *http.Request) bool {
	raw := strings.ToLower(r.URL.EscapedPath())
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return false
	}
	p := r.URL.Path
	if strings.ContainsAny(p, "\\\x00") {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}
