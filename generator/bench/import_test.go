package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"digest/generator/content"
	"digest/generator/corpus"
	"digest/generator/importer"
)

// seedPages returns the raw seed pages beside the repository
// (../shared/seeds), skipping the benchmark when they are absent.
func seedPages(b *testing.B) []string {
	b.Helper()
	dir, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			b.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "..", "shared", "seeds", "*.txt"))
	if len(pages) == 0 {
		b.Skip("no seed pages in ../shared/seeds beside the repository")
	}
	return pages
}

// BenchmarkImport times `digest import` of 100 raw pages (copies of the
// seeds) into an empty directory, with the registries of a corpus.
func BenchmarkImport(b *testing.B) {
	seeds := seedPages(b)
	site := b.TempDir()
	if err := corpus.Write(site, 0, 1); err != nil {
		b.Fatal(err)
	}
	raw := b.TempDir()
	const pages = 100
	for i := range pages {
		data, err := os.ReadFile(seeds[i%len(seeds)])
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(raw, fmt.Sprintf("page-%03d.txt", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		out := b.TempDir()
		b.StartTimer()
		if err := importer.Import(ctx, importer.Options{Site: site, Out: out}, []string{raw}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkAnalyze times the importer's pure step, cleaning and metadata,
// on each seed page in turn.
func BenchmarkAnalyze(b *testing.B) {
	seeds := seedPages(b)
	site := b.TempDir()
	if err := corpus.Write(site, 0, 1); err != nil {
		b.Fatal(err)
	}
	reg, err := content.LoadRegistries(os.DirFS(site))
	if err != nil {
		b.Fatal(err)
	}
	var raw []importer.Page
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		raw = append(raw, importer.Page{Raw: filepath.Base(path), Text: string(data)})
	}
	i := 0
	for b.Loop() {
		if _, err := importer.Analyze(reg, raw[i%len(raw)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
