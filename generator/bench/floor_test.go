package bench

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digest/generator/corpus"
)

var (
	articles = flag.Int("articles", 1000, "articles in the corpus the benchmarks write")
	siteFlag = flag.String("site", "", "benchmark this existing site instead of writing a corpus")
)

// benchSite returns the site the benchmarks run on: -site, or a corpus of
// -articles articles written into a temporary directory.
func benchSite(b *testing.B) string {
	b.Helper()
	if *siteFlag != "" {
		return *siteFlag
	}
	dir := b.TempDir()
	if err := corpus.Write(dir, *articles, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

func TestFloor(t *testing.T) {
	site, out := t.TempDir(), t.TempDir()
	if err := corpus.Write(site, 20, 1); err != nil {
		t.Fatal(err)
	}
	res, err := Floor(site, out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 20 {
		t.Errorf("articles: got %d; want 20", res.Articles)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "articles", "*", "index.html"))
	if len(pages) != 20 {
		t.Errorf("pages written: got %d; want 20", len(pages))
	}
	var total int64
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		total += int64(len(data))
		if !strings.HasPrefix(string(data), "<p>") || !strings.Contains(string(data), "<h2>") {
			t.Errorf("%s: want rendered paragraphs and headings, got %.60q", p, data)
		}
	}
	if total != res.Bytes {
		t.Errorf("bytes: got %d on disk; reported %d", total, res.Bytes)
	}
}

func TestFloorReportsBadFrontMatter(t *testing.T) {
	site := t.TempDir()
	dir := filepath.Join(site, "content", "articles")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte("no front matter\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Floor(site, t.TempDir()); err == nil || !strings.Contains(err.Error(), "a.md") {
		t.Errorf("Floor on an article without front matter: got %v; want an error naming a.md", err)
	}
}

func BenchmarkCorpusWrite(b *testing.B) {
	for b.Loop() {
		if err := corpus.Write(b.TempDir(), *articles, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(*articles), "articles/op")
}

func BenchmarkFloor(b *testing.B) {
	site := benchSite(b)
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		b.StartTimer()
		if _, err := Floor(site, out); err != nil {
			b.Fatal(err)
		}
	}
}
