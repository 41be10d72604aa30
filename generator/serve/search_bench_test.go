package serve

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// searchQueries are the queries the search figures are measured on: single
// words common and rare, phrases, filters, folded spellings.
var searchQueries = []string{
	"ceasefire", "Medinsky", "Erdogan", "Kiev", "Zelenskyy", "Dolmabahce", "memorandum",
	"Peskov statement", "prisoner exchange", `"prisoner exchange"`, `"what comes next"`,
	"humanitarian corridor", "Fidan Ankara", "Turkish role", "round:round-2 ceasefire",
	"topic:sanctions Moscow", "source:tass Kyiv", "affiliation:russian-state-media talks",
	"Sybiha Umerov", "the",
}

// TestSearchFigures measures, in headless Chromium, what each of
// searchQueries downloads from the search index of a built site and how
// long the first result takes to show. It runs only when
// DIGEST_SEARCH_SITE names a built site's output directory (for example a
// corpus of 10,000 articles from generator/corpus/cmd/gencorpus, built with
// digest build), and prints a table for docs/SEARCH.md.
func TestSearchFigures(t *testing.T) {
	dir := os.Getenv("DIGEST_SEARCH_SITE")
	if dir == "" {
		t.Skip("skipping the search figures: set DIGEST_SEARCH_SITE to a built site's output directory")
	}
	skipWithoutBrowser(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir))}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String() + "/"
	browser := newBrowser(t)
	if _, err := chromedp.Run(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(browser, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}

	gz := func(path string) int {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write(data)
		w.Close()
		return b.Len()
	}
	var rows []string
	var all, allGz, msAll []int
	for _, q := range searchQueries {
		if _, err := chromedp.Run(browser, chromedp.Navigate(base+"search/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, browser, "results for "+q, `/for “|No articles/.test(document.getElementById("search-status").textContent)`)
		type res struct {
			Names []string
			Ms    string
			N     int
			Stat  string
		}
		r, err := chromedp.Run(browser, chromedp.Evaluate[res](`({
			Names: performance.getEntriesByType("resource").map(e => e.name).filter(n => n.indexOf("/search/") >= 0),
			Ms: document.getElementById("search-results").getAttribute("data-ms") || "",
			N: document.querySelectorAll("#search-results li").length,
			Stat: document.getElementById("search-status").textContent,
		})`))
		if err != nil {
			t.Fatal(err)
		}
		raw, zipped, shards := 0, 0, 0
		sort.Strings(r.Names)
		for _, n := range r.Names {
			p := strings.TrimPrefix(n, base)
			if i := strings.IndexByte(p, '?'); i >= 0 {
				p = p[:i]
			}
			if strings.HasSuffix(p, "/") {
				continue // the page itself
			}
			fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			raw += int(fi.Size())
			zipped += gz(p)
			if strings.HasPrefix(p, "search/t/") {
				shards++
			}
		}
		var ms int
		fmt.Sscan(r.Ms, &ms)
		all, allGz, msAll = append(all, raw), append(allGz, zipped), append(msAll, ms)
		total := strings.SplitN(r.Stat, " for", 2)[0]
		rows = append(rows, fmt.Sprintf("| `%s` | %s | %d | %.1f | %.1f | %d |", q, total, shards, float64(raw)/1024, float64(zipped)/1024, ms))
		if raw > 600<<10 {
			t.Errorf("%s: %d bytes; want well under 600 KB", q, raw)
		}
	}
	med := func(v []int) int { s := append([]int(nil), v...); sort.Ints(s); return s[len(s)/2] }
	mx := func(v []int) int { s := append([]int(nil), v...); sort.Ints(s); return s[len(s)-1] }
	t.Logf("\n| query | articles | shards | KB | KB gzipped | ms to first result |\n|---|---|---|---|---|---|\n%s\n| median | | | %.1f | %.1f | %d |\n| max | | | %.1f | %.1f | %d |",
		strings.Join(rows, "\n"), float64(med(all))/1024, float64(med(allGz))/1024, med(msAll), float64(mx(all))/1024, float64(mx(allGz))/1024, mx(msAll))
}
