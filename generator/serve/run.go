package serve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"digest/generator/build"
	"digest/generator/content"
	"digest/generator/watch"
)

// Builder builds a site into its output directory, incrementally after
// the first call; *build.Builder is one.
type Builder interface {
	Build(ctx context.Context) (*build.Result, error)
	// Rebuild is Build told which files changed, as paths relative to
	// the site root, slash-separated; see build.Builder.Rebuild.
	Rebuild(ctx context.Context, changed []string) (*build.Result, error)
}

// Roots returns the directories of site whose changes need a rebuild:
// content/ (articles, raw inbox, registries, site settings) and layouts/.
func Roots(site string) []string {
	return []string{filepath.Join(site, "content"), filepath.Join(site, "layouts")}
}

// Watch builds the site with b, then rebuilds it on every change under
// Roots(site) until ctx is cancelled, polling the file system instead of
// waiting for its events when poll is set. It writes a line per build to
// log, with every diagnostic of a failed build. A failed build does not
// stop it: the next change builds again. It returns nil once ctx is
// cancelled and an error only when the site cannot be watched.
//
// `digest build --watch` is Watch with the Builder of `digest build`.
func Watch(ctx context.Context, b Builder, site string, poll bool, log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	l := &loop{
		rebuild: rebuildWith(b, site),
		site:    site,
		roots:   Roots(site),
		opts:    watch.Options{Poll: poll},
		log:     log,
	}
	return l.run(ctx)
}

// rebuildWith adapts a Builder to the loop. A batch that lists its changes
// (not the first build, not one after lost events) rebuilds only what those
// changes touch, sparing a walk over every article of a large site.
func rebuildWith(b Builder, site string) func(context.Context, *watch.Batch) (string, error) {
	return func(ctx context.Context, batch *watch.Batch) (string, error) {
		var res *build.Result
		var err error
		if changed, ok := relPaths(site, batch); ok {
			res, err = b.Rebuild(ctx, changed)
		} else {
			res, err = b.Build(ctx)
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d pages rendered, %d files written, %d removed in %v",
			res.Rendered, res.Written, res.Removed, res.Duration.Round(time.Millisecond)), nil
	}
}

// relPaths returns a batch's paths relative to site, slash-separated, and
// false when the batch cannot be trusted to list every change.
func relPaths(site string, batch *watch.Batch) ([]string, bool) {
	if batch == nil || batch.Full || len(batch.Paths) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(batch.Paths))
	for _, p := range batch.Paths {
		r, err := filepath.Rel(site, p)
		if err != nil || !filepath.IsLocal(r) {
			return nil, false
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out, true
}

// Config configures Run.
type Config struct {
	// Site is the site root, holding content/ and layouts/.
	Site string
	// Bind is the address to listen on; default 127.0.0.1. Any address
	// that is not a loopback one makes the preview reachable from other
	// machines, and Run warns. Requests are answered when their Host
	// names a loopback address, localhost, Bind (for 0.0.0.0 or ::, an
	// address of this machine) or the host of BaseURL; see Server.
	Bind string
	// Port is the TCP port; 0 picks a free one. (The command's default
	// is 1313.)
	Port int
	// BaseURL is the URL the site is built for and served under. By
	// default it is http://Bind:Port/ followed by the path of the
	// site's configured base_url, so the preview keeps the subpath the
	// site is published under.
	BaseURL string
	// Poll polls the file system for changes instead of waiting for its
	// events; for file systems that send none.
	Poll bool
	// Log receives the address served, a line per build and warnings.
	Log io.Writer
	// Ready, when set, is called with the URL served once the first build
	// is done (whether it succeeded or not).
	Ready func(url string)
}

// Run previews a site until ctx is cancelled: it builds the site into a
// temporary directory (never the site's public/), serves it with live
// reload, and rebuilds on every change of content/ or layouts/. It
// returns nil after a clean shutdown.
func Run(ctx context.Context, cfg Config) error {
	if cfg.Site == "" {
		cfg.Site = "."
	}
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	log := cfg.Log
	if log == nil {
		log = io.Discard
	}

	ln, err := Listen(net.JoinHostPort(cfg.Bind, strconv.Itoa(cfg.Port)))
	if err != nil {
		return err
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	if !IsLoopback(cfg.Bind) {
		fmt.Fprintf(log, "warning: listening on %s: the preview is reachable from other machines and is not made to face them\n",
			net.JoinHostPort(cfg.Bind, port))
	}
	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = defaultBaseURL(cfg.Site, cfg.Bind, port)
	}

	tmp, err := os.MkdirTemp("", "digest-serve-")
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "site")
	b, err := build.New(build.Options{Site: cfg.Site, Out: out, BaseURL: baseURL, NoCache: true})
	if err != nil {
		return err
	}
	hosts := []string{cfg.Bind}
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		hosts = append(hosts, u.Hostname()) // a name given with --base-url
	}
	srv, err := New(Options{Dir: out, BaseURL: baseURL, Hosts: hosts})
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() {
		served <- srv.Serve(ctx, ln)
		cancel() // the server failed: stop watching too
	}()

	first := true
	l := &loop{
		rebuild: rebuildWith(b, cfg.Site),
		site:    cfg.Site,
		roots:   Roots(cfg.Site),
		opts:    watch.Options{Poll: cfg.Poll},
		log:     log,
		built: func(err error) {
			if err != nil {
				srv.Failed(err)
			} else {
				srv.Built()
			}
			if first {
				first = false
				fmt.Fprintf(log, "serving %s (Ctrl-C to stop)\n", baseURL)
				if cfg.Ready != nil {
					cfg.Ready(baseURL)
				}
			}
		},
	}
	err = l.run(ctx)
	cancel()
	if serr := <-served; err == nil {
		err = serr
	}
	return err
}

// defaultBaseURL is the local address with the path of the site's
// configured base URL. When the registries cannot be read the path is "/"
// and the first build reports why.
func defaultBaseURL(site, bind, port string) string {
	host := bind
	if ip := net.ParseIP(bind); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	path := "/"
	if s, err := content.LoadRegistries(os.DirFS(site)); err == nil {
		if u, err := url.Parse(s.Config.BaseURL); err == nil {
			path = basePath(u.Path)
		}
	}
	return "http://" + net.JoinHostPort(host, port) + path
}
