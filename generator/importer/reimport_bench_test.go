package importer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReimport times a forced re-import of 100 pages (copies of the
// five seed pages) over the articles an import of them wrote, the path
// that merges with each article and keeps a backup.
func BenchmarkReimport(b *testing.B) {
	raws, _ := filepath.Glob(filepath.Join(moduleRoot, "content", "inbox", "*.txt"))
	if len(raws) == 0 {
		b.Fatal("no seed pages in content/inbox")
	}
	site := b.TempDir()
	for _, f := range []string{"site.yaml", "topics.yaml", "rounds.yaml", "sources.yaml"} {
		data, err := os.ReadFile(filepath.Join(moduleRoot, "content", f))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(site, "content"), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(site, "content", f), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	inbox := filepath.Join(site, "content", "inbox")
	os.MkdirAll(inbox, 0o755)
	const pages = 100
	for i := range pages {
		data, err := os.ReadFile(raws[i%len(raws)])
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(inbox, fmt.Sprintf("page-%03d.txt", i)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	opts := Options{Site: site, Log: io.Discard}
	if err := Import(ctx, opts, []string{inbox}); err != nil {
		b.Fatal(err)
	}
	opts.Force = true
	for b.Loop() {
		if err := Import(ctx, opts, []string{inbox}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
