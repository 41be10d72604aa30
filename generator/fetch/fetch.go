// Package fetch saves news pages from their addresses into the inbox, so
// that the importer reads them like pages saved by hand.
//
// Contract:
//   - Each address is fetched with a GET at most once per run: http and
//     https only, at most MaxRedirects redirects, at most MaxSize bytes,
//     within Timeout, and only a page served as HTML is kept.
//   - A page is saved as Inbox/NAME.html with its sidecar Inbox/NAME.yaml
//     (url, final_url, fetched_at, content_type), each written atomically.
//     NAME is made from the address alone, so the same address always
//     gives the same file, and so the same article.
//   - An address whose file is in the inbox already is not fetched again
//     (unless Force): its file is returned as it is.
//   - A failure names the address and the reason ("HTTP 404", "timeout
//     after 20 s", "not HTML: application/pdf", "larger than 10 MB"); the
//     other addresses go on. Nothing is written for a failed address.
package fetch

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"digest/generator/diag"
	"digest/generator/internal/atomicfile"

	"gopkg.in/yaml.v3"
)

// Limits, as the import documentation states them.
const (
	MaxSize      = 10 << 20
	MaxRedirects = 5
	Timeout      = 20 * time.Second
	Parallel     = 4
)

// Options configure Fetch. Zero values take the package's limits.
type Options struct {
	Inbox    string        // folder the pages are saved into
	Force    bool          // fetch again an address saved before
	Timeout  time.Duration // per page; default Timeout
	MaxSize  int64         // per page, in bytes; default MaxSize
	Parallel int           // pages fetched at once; default Parallel
	Client   *http.Client  // default: a client with the redirect rule below; its CheckRedirect is replaced
	Now      func() time.Time
	Log      io.Writer // one progress line per address; may be nil
}

// Sidecar is what is saved beside a fetched page.
type Sidecar struct {
	URL         string `yaml:"url"`
	FinalURL    string `yaml:"final_url"`
	FetchedAt   string `yaml:"fetched_at"`
	ContentType string `yaml:"content_type,omitempty"`
}

// Fetch saves the pages at addresses into opts.Inbox and returns their
// files, in the order of addresses, for those that were saved now or
// before; the error is a diag.List naming each address that failed.
func Fetch(ctx context.Context, opts Options, addresses []string) ([]string, error) {
	opts.defaults()
	if err := os.MkdirAll(opts.Inbox, 0o755); err != nil {
		return nil, fmt.Errorf("fetch: %v", err)
	}
	files := make([]string, len(addresses))
	errs := make([]error, len(addresses))
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < opts.Parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				files[i], errs[i] = opts.one(ctx, addresses[i])
				mu.Lock()
				done++
				status := "saved " + filepath.ToSlash(files[i])
				if errs[i] != nil {
					status = "failed: " + errs[i].Error()
				}
				fmt.Fprintf(opts.Log, "fetch %d/%d: %s %s\n", done, len(addresses), addresses[i], status)
				mu.Unlock()
			}
		}()
	}
	for i := range addresses {
		if ctx.Err() != nil {
			errs[i] = ctx.Err()
			continue
		}
		work <- i
	}
	close(work)
	wg.Wait()
	var list diag.List
	var saved []string
	for i, err := range errs {
		if err != nil {
			list.Addf(addresses[i], 0, "fetch: %v", err)
			continue
		}
		saved = append(saved, files[i])
	}
	return saved, list.Err()
}

func (o *Options) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = Timeout
	}
	if o.MaxSize <= 0 {
		o.MaxSize = MaxSize
	}
	if o.Parallel <= 0 {
		o.Parallel = Parallel
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	c := http.Client{}
	if o.Client != nil {
		c = *o.Client
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > MaxRedirects {
			return fmt.Errorf("more than %d redirects", MaxRedirects)
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to %s: only http and https are fetched", req.URL.Scheme)
		}
		return nil
	}
	o.Client = &c
}

// Name returns the file name, without extension, an address is saved
// under: its host and path as lowercase words, then a hash of the whole
// address, so that different addresses never share a file.
func Name(address string) string {
	sum := sha256.Sum256([]byte(address))
	var words []string
	if u, err := url.Parse(address); err == nil {
		for _, f := range strings.FieldsFunc(strings.ToLower(u.Hostname()+"/"+u.Path), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}) {
			if f != "www" && f != "html" && f != "htm" {
				words = append(words, f)
			}
		}
	}
	stem := strings.Join(words, "-")
	if len(stem) > 60 {
		stem = strings.TrimRight(stem[:60], "-")
	}
	if stem == "" {
		stem = "page"
	}
	return stem + "-" + hex.EncodeToString(sum[:4])
}

// one fetches one address unless it was saved before, and saves it.
func (o *Options) one(ctx context.Context, address string) (string, error) {
	u, err := url.Parse(address)
	if err != nil {
		return "", fmt.Errorf("not an address: %v", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("only http and https addresses are fetched, not %q", u.Scheme)
	}
	base := filepath.Join(o.Inbox, Name(address))
	page, side := base+".html", base+".yaml"
	if _, err := os.Stat(page); err == nil && !o.Force {
		return page, nil
	}
	body, sc, err := o.get(ctx, address)
	if err != nil {
		return "", err
	}
	meta, err := yaml.Marshal(sc)
	if err != nil {
		return "", err
	}
	// The sidecar first: a page is never left without its address.
	if err := writeAtomic(side, meta); err != nil {
		return "", err
	}
	if err := writeAtomic(page, body); err != nil {
		return "", err
	}
	return page, nil
}

// get fetches one page within the limits.
func (o *Options) get(ctx context.Context, address string) ([]byte, Sidecar, error) {
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return nil, Sidecar{}, err
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
	req.Header.Set("User-Agent", "digest-import/1 (+news briefing)")
	resp, err := o.Client.Do(req)
	if err != nil {
		return nil, Sidecar{}, o.reason(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, Sidecar{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > o.MaxSize {
		return nil, Sidecar{}, fmt.Errorf("larger than %s", size(o.MaxSize))
	}
	body, err := io.ReadAll(io.LimitReader(bufio.NewReader(resp.Body), o.MaxSize+1))
	if err != nil {
		return nil, Sidecar{}, o.reason(ctx, err)
	}
	if int64(len(body)) > o.MaxSize {
		return nil, Sidecar{}, fmt.Errorf("larger than %s", size(o.MaxSize))
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(body)
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "text/html" && mt != "application/xhtml+xml") {
		return nil, Sidecar{}, fmt.Errorf("not HTML: %s", strings.SplitN(ct, ";", 2)[0])
	}
	return body, Sidecar{
		URL:         address,
		FinalURL:    resp.Request.URL.String(),
		FetchedAt:   o.Now().UTC().Format(time.RFC3339),
		ContentType: ct,
	}, nil
}

// reason words a transport error: a timeout says how long was waited.
func (o *Options) reason(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timeout after %s", seconds(o.Timeout))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func seconds(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%d s", d/time.Second)
	}
	return d.String()
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// writeAtomic writes data to path through a temporary file beside it,
// renamed into place, so a reader never sees half a page (see
// atomicfile). It is not synced: a page lost to a power cut is fetched
// again.
func writeAtomic(path string, data []byte) error {
	return atomicfile.Write(atomicfile.OS{}, path, data, atomicfile.Options{})
}
