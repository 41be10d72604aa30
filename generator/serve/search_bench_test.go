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
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

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

// pagefindPage runs one Pagefind query, fresh, and reports what it
// fetched and when its first result's data arrived.
const pagefindPage = `<!doctype html><meta charset="utf-8"><title>pagefind</title>
<script type="module">
window.runQuery = async (q) => {
  const pf = await import("/pagefind/pagefind.js");
  const t0 = performance.now();
  const r = await pf.search(q);
  const tIndex = performance.now();
  const top = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return { Count: r.results.length, Ms: Math.round(tIndex - t0), TotalMs: Math.round(performance.now() - t0),
    Paths: top.map(d => d.url), Names: performance.getEntriesByType("resource").map(e => e.name) };
};
</script>`

type queryFigures struct {
	Count          string
	Shards         int
	Bytes, Gzipped int
	Ms, TotalMs    int
	RankMs         int // ours: from the last shard's arrival to the ranked list
	Paths          []string
}

// TestSearchFigures measures, in headless Chromium, what each of
// searchQueries downloads from the search index of a built site and how
// long the first result takes to show, and the same for Pagefind when its
// index is in the site (npx pagefind --site DIR --glob "articles/*/index.html").
// It runs only when DIGEST_SEARCH_SITE names a built site's output
// directory (for example a corpus of 10,000 articles from
// generator/corpus/cmd/gencorpus, built with digest build), and prints the
// tables of docs/SEARCH.md.
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
	base := "http://" + ln.Addr().String() + "/"
	mux := http.NewServeMux()
	// The server lists what each query fetched: Pagefind fetches from a
	// worker, out of the page's sight.
	var mu sync.Mutex
	var fetched []string
	files := http.FileServer(http.Dir(dir))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		fetched = append(fetched, base+strings.TrimPrefix(r.URL.Path, "/"))
		mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	})
	taken := func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := fetched
		fetched = nil
		return out
	}
	mux.HandleFunc("/pagefind-bench/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(pagefindPage))
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	browser := newBrowserFor(t, 10*time.Minute) // 40 queries on a large site
	if _, err := chromedp.Run(browser, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(browser, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}

	// sizes adds up the files behind resource URLs under prefix, as sent
	// and as gzip would send them.
	sizes := func(names []string, prefix string) (raw, zipped, shards int) {
		for _, n := range names {
			p := strings.TrimPrefix(n, base)
			if i := strings.IndexByte(p, '?'); i >= 0 {
				p = p[:i]
			}
			if !strings.HasPrefix(p, prefix) || strings.HasSuffix(p, "/") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			w.Write(data)
			w.Close()
			raw, zipped = raw+len(data), zipped+b.Len()
			if strings.HasPrefix(p, "search/t/") || strings.Contains(p, ".pf_index") {
				shards++
			}
		}
		return raw, zipped, shards
	}

	ours := map[string]queryFigures{}
	for _, q := range searchQueries {
		taken()
		if _, err := chromedp.Run(browser, chromedp.Navigate(base+"search/?q="+url.QueryEscape(q))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, browser, "results for "+q, `/for “|No articles/.test(document.getElementById("search-status").textContent) && document.querySelectorAll("#search-results .pending").length === 0`)
		r, err := chromedp.Run(browser, chromedp.Evaluate[struct {
			Paths          []string
			Ms, Total, Sta string
			Rank           string
		}](`({
			Paths: Array.from(document.querySelectorAll("#search-results a.title"), a => a.getAttribute("href")),
			Ms: document.getElementById("search-results").getAttribute("data-ms") || "0",
			Total: document.getElementById("search-results").getAttribute("data-total-ms") || "0",
			Sta: document.getElementById("search-status").textContent,
			Rank: document.getElementById("search-results").getAttribute("data-rank-ms") || "0",
		})`))
		if err != nil {
			t.Fatal(err)
		}
		f := queryFigures{Count: regexp.MustCompile(`^(Up to )?\d+|^No`).FindString(r.Sta)}
		f.Bytes, f.Gzipped, f.Shards = sizes(taken(), "search") // search.js, and search/ but for the page
		fmt.Sscan(r.Ms, &f.Ms)
		fmt.Sscan(r.Total, &f.TotalMs)
		fmt.Sscan(r.Rank, &f.RankMs)
		for _, p := range r.Paths {
			f.Paths = append(f.Paths, strings.TrimLeft(p, "./"))
		}
		ours[q] = f
		if f.Bytes > 600<<10 {
			t.Errorf("%s: %d bytes; want well under 600 KB", q, f.Bytes)
		}
	}

	pf := map[string]queryFigures{}
	if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind.js")); err == nil {
		filters := regexp.MustCompile(`\b[a-z]+:\S+\s*`)
		for _, q := range searchQueries {
			if _, err := chromedp.Run(browser, chromedp.Navigate(base+"pagefind-bench/")); err != nil {
				t.Fatal(err)
			}
			waitFor(t, browser, "the Pagefind page", `typeof window.runQuery === "function"`)
			taken()
			r, err := chromedp.Run(browser, chromedp.Evaluate[struct {
				Count, Ms, TotalMs int
				Paths              []string
			}](fmt.Sprintf("runQuery(%q)", strings.TrimSpace(filters.ReplaceAllString(q, ""))), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("pagefind %s: %v", q, err)
			}
			// After the index: from search() (which fetches the index)
			// to the first result's data.
			f := queryFigures{Count: fmt.Sprint(r.Count), Ms: r.TotalMs - r.Ms, TotalMs: r.TotalMs}
			f.Bytes, f.Gzipped, f.Shards = sizes(taken(), "pagefind/")
			for _, p := range r.Paths {
				f.Paths = append(f.Paths, strings.TrimPrefix(p, "/"))
			}
			pf[q] = f
		}
	}

	var b strings.Builder
	b.WriteString("\n| query | articles | shards | KB | KB gzip | ms to rank | ms after index | ms from query |")
	if len(pf) > 0 {
		b.WriteString(" Pagefind: articles | KB | KB gzip | ms after index | ms from query | same top 10 |")
	}
	b.WriteString("\n|---|---|---|---|---|---|---|---|")
	if len(pf) > 0 {
		b.WriteString("---|---|---|---|---|---|")
	}
	var col [9][]int
	for _, q := range searchQueries {
		o := ours[q]
		fmt.Fprintf(&b, "\n| `%s` | %s | %d | %.1f | %.1f | %d | %d | %d |", q, o.Count, o.Shards, kib(o.Bytes), kib(o.Gzipped), o.RankMs, o.Ms, o.TotalMs)
		col[8] = append(col[8], o.RankMs)
		for i, v := range []int{o.Bytes, o.Gzipped, o.Ms, o.TotalMs} {
			col[i] = append(col[i], v)
		}
		if p, ok := pf[q]; ok {
			same := overlap(o.Paths, p.Paths)
			fmt.Fprintf(&b, " %s | %.1f | %.1f | %d | %d | %d of %d |", p.Count, kib(p.Bytes), kib(p.Gzipped), p.Ms, p.TotalMs, same, min(len(o.Paths), len(p.Paths)))
			for i, v := range []int{p.Bytes, p.Gzipped, p.Ms, p.TotalMs} {
				col[4+i] = append(col[4+i], v)
			}
		}
	}
	for _, row := range []struct {
		name string
		at   func([]int) int
	}{{"median", func(v []int) int { return v[len(v)/2] }}, {"max", func(v []int) int { return v[len(v)-1] }}} {
		for i := range col {
			sort.Ints(col[i])
		}
		fmt.Fprintf(&b, "\n| %s | | | %.1f | %.1f | %d | %d | %d |", row.name, kib(row.at(col[0])), kib(row.at(col[1])), row.at(col[8]), row.at(col[2]), row.at(col[3]))
		if len(pf) > 0 {
			fmt.Fprintf(&b, " | %.1f | %.1f | %d | %d | |", kib(row.at(col[4])), kib(row.at(col[5])), row.at(col[6]), row.at(col[7]))
		}
	}
	t.Log(b.String())
}

func kib(n int) float64 { return float64(n) / 1024 }

// overlap counts the paths of a found in b.
func overlap(a, b []string) int {
	n := 0
	for _, p := range a {
		for _, q := range b {
			if strings.TrimSuffix(p, "index.html") == strings.TrimSuffix(q, "index.html") {
				n++
				break
			}
		}
	}
	return n
}
