package serve

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"digest/generator/build"
	"digest/generator/corpus"
)

var (
	benchArticles = flag.Int("articles", 10000, "articles in the synthetic site of the benchmarks")
	editProfile   = flag.String("editprofile", "", "write a CPU profile of BenchmarkEditToDisk's edits, without the first build, to `file`")
)

// benchSite is one synthetic site shared by the benchmarks of a run, built
// once: writing and building 10,000 articles takes seconds.
var benchSite struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if benchSite.dir != "" {
		os.RemoveAll(benchSite.dir)
	}
	os.Exit(code)
}

// syntheticSite returns the directory of a site of *benchArticles articles
// written by package corpus.
func syntheticSite(b *testing.B) string {
	b.Helper()
	benchSite.once.Do(func() {
		benchSite.dir, benchSite.err = os.MkdirTemp("", "digest-serve-bench-")
		if benchSite.err == nil {
			benchSite.err = corpus.Write(benchSite.dir, *benchArticles, 1)
		}
	})
	if benchSite.err != nil {
		b.Fatal(benchSite.err)
	}
	return benchSite.dir
}

// preview is a site under preview: a Builder and the rebuild loop that
// serve.Run drives, without the HTTP server (which serves from disk, so a
// page on disk is a page served).
type preview struct {
	site, out string
	builder   *timedBuilder
	builds    chan error
	cancel    context.CancelFunc
	done      chan error
}

// startPreview builds the site into a fresh output and watches it.
func startPreview(b *testing.B) *preview {
	b.Helper()
	site := syntheticSite(b)
	out, err := os.MkdirTemp("", "digest-serve-bench-out-")
	if err != nil {
		b.Fatal(err)
	}
	out = filepath.Join(out, "site")
	bl, err := build.New(build.Options{Site: site, Out: out, NoCache: true})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &preview{site: site, out: out, builder: &timedBuilder{Builder: bl}, builds: make(chan error, 1), cancel: cancel, done: make(chan error, 1)}
	l := &loop{
		rebuild: rebuildWith(p.builder, site),
		site:    site,
		roots:   Roots(site),
		log:     io.Discard,
		built:   func(err error) { p.builds <- err },
	}
	go func() { p.done <- l.run(ctx) }()
	if err := p.next(); err != nil {
		b.Fatalf("first build: %v", err)
	}
	b.Cleanup(func() {
		cancel()
		<-p.done
		os.RemoveAll(filepath.Dir(out))
	})
	return p
}

// next waits for the next build and returns its error.
func (p *preview) next() error {
	select {
	case err := <-p.builds:
		return err
	case <-time.After(5 * time.Minute):
		return fmt.Errorf("no build within 5 minutes")
	}
}

// articles lists the slugs of the site's articles, sorted.
func (p *preview) articles(b *testing.B) []string {
	b.Helper()
	entries, err := os.ReadDir(filepath.Join(p.site, "content", "articles"))
	if err != nil {
		b.Fatal(err)
	}
	var slugs []string
	for _, e := range entries {
		if slug, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			slugs = append(slugs, slug)
		}
	}
	return slugs
}

// edit retitles an article on disk as an editor would, and returns the new
// title.
func (p *preview) edit(b *testing.B, slug string, n int) string {
	b.Helper()
	path := filepath.Join(p.site, "content", "articles", slug+".md")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	title := fmt.Sprintf("Edited headline number %d", n)
	lines := strings.SplitN(string(data), "\n", 20)
	for i, l := range lines {
		if strings.HasPrefix(l, "title:") {
			lines[i] = "title: " + title
			break
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		b.Fatal(err)
	}
	return title
}

// BenchmarkEditToDisk times, for one edited article in a large site, the
// wait from writing the file to the rebuilt article page being on disk
// (and so served): the watcher's quiet period, the incremental build and
// the write. It reports the median and the slowest edit, and the median
// time of the incremental build alone.
func BenchmarkEditToDisk(b *testing.B) {
	// The digest command collects garbage less often than a test binary
	// does (see generator/cmd/digest); measure under the same setting.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	p := startPreview(b)
	slugs := p.articles(b)
	var total, builds []time.Duration
	if *editProfile != "" {
		f, err := os.Create(*editProfile)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	b.ResetTimer()
	for i := range b.N {
		slug := slugs[(i*7919)%len(slugs)]
		page := filepath.Join(p.out, "articles", slug, "index.html")
		start := time.Now()
		title := p.edit(b, slug, i)
		for {
			if err := p.next(); err != nil {
				b.Fatalf("rebuild: %v", err)
			}
			data, err := os.ReadFile(page)
			if err == nil && strings.Contains(string(data), title) {
				break
			}
		}
		total = append(total, time.Since(start))
		builds = append(builds, p.builder.last)
	}
	b.StopTimer()
	b.ReportMetric(ms(median(total)), "ms-edit-to-disk-median")
	b.ReportMetric(ms(slices.Max(total)), "ms-edit-to-disk-max")
	b.ReportMetric(ms(median(builds)), "ms-build-median")
	b.ReportMetric(0, "ns/op")
}

// timedBuilder remembers how long its last build took. It is read after
// the build's report has been received from the loop.
type timedBuilder struct {
	*build.Builder
	last time.Duration
}

func (t *timedBuilder) Build(ctx context.Context) (*build.Result, error) {
	res, err := t.Builder.Build(ctx)
	if err == nil {
		t.last = res.Duration
	}
	return res, err
}

func (t *timedBuilder) Rebuild(ctx context.Context, changed []string) (*build.Result, error) {
	res, err := t.Builder.Rebuild(ctx, changed)
	if err == nil {
		t.last = res.Duration
	}
	return res, err
}

// BenchmarkRebuildMemory edits and rebuilds a large site many times (50 by
// default, or b.N when larger) and reports the live heap after a garbage
// collection at the 10th rebuild and at the last: a long preview must not
// grow with the number of rebuilds.
func BenchmarkRebuildMemory(b *testing.B) {
	p := startPreview(b)
	slugs := p.articles(b)
	rebuilds := max(50, b.N)
	var at10, atEnd uint64
	for i := range rebuilds {
		title := p.edit(b, slugs[(i*7919)%len(slugs)], 100000+i)
		for {
			if err := p.next(); err != nil {
				b.Fatalf("rebuild: %v", err)
			}
			page := filepath.Join(p.out, "articles", slugs[(i*7919)%len(slugs)], "index.html")
			if data, err := os.ReadFile(page); err == nil && strings.Contains(string(data), title) {
				break
			}
		}
		switch i + 1 {
		case 10:
			at10 = liveHeap()
		case rebuilds:
			atEnd = liveHeap()
		}
	}
	b.ReportMetric(float64(at10)/(1<<20), "MB-heap-after-10")
	b.ReportMetric(float64(atEnd)/(1<<20), fmt.Sprintf("MB-heap-after-%d", rebuilds))
	b.ReportMetric(0, "ns/op")
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
