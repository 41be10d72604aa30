package external

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"digest/generator/internal/extractscore"
)

var verbose = flag.Bool("pages", false, "print the score of every benchmark page")

// TestDevBenchmark scores digest-html, run as the digest binary runs it
// (Program.Read), on the HTML pages of the extraction
// benchmark's development half against the hand-marked bodies, with the
// benchmark's metric: F1 of the mean precision and mean recall of 4-token
// shingles over all pages.
func TestDevBenchmark(t *testing.T) {
	bench := extractscore.Dir("dev-html")
	if bench == "" {
		t.Skip("../shared/extraction-benchmark/dev-html not found beside the module; skipping the benchmark score")
	}
	bench = filepath.Dir(bench)
	prog := newProgram(t, 1, 0)
	defer prog.Close()
	pages, err := filepath.Glob(filepath.Join(bench, "dev-html", "*.html.gz"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages in %s: %v", filepath.Join(bench, "dev-html"), err)
	}
	sort.Strings(pages)
	addresses := map[string]string{}
	if tsv, err := os.ReadFile(filepath.Join(bench, "dev-html", "urls.tsv")); err == nil {
		for _, line := range strings.Split(string(tsv), "\n") {
			if id, addr, ok := strings.Cut(line, "\t"); ok {
				addresses[id] = strings.TrimSpace(addr)
			}
		}
	}
	var sumP, sumR float64
	var took time.Duration
	for _, path := range pages {
		id := strings.TrimSuffix(filepath.Base(path), ".html.gz")
		gold, err := os.ReadFile(filepath.Join(bench, "dev", id+".gold.txt"))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		var body string
		if p, err := prog.Read(context.Background(), raw, addresses[id], ""); err == nil {
			body = strings.Join(p.Paragraphs, "\n")
		} else if *verbose {
			fmt.Printf("%s: %v\n", id[:8], err)
		}
		took += time.Since(start)
		p, r := extractscore.Page(string(gold), body)
		sumP += p
		sumR += r
		if *verbose {
			fmt.Printf("%s P=%.3f R=%.3f\n", id[:8], p, r)
		}
	}
	n := float64(len(pages))
	p, r := sumP/n, sumR/n
	f1 := extractscore.F1(p, r)
	msg := fmt.Sprintf("dev-html benchmark, %d pages: precision %.3f recall %.3f F1 %.3f; %.1f pages/s",
		len(pages), p, r, f1, n/took.Seconds())
	t.Log(msg)
	fmt.Println(msg)
	if f1 < 0.96 {
		t.Errorf("F1 = %.3f; want at least 0.96", f1)
	}
}
