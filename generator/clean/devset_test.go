package clean

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"digest/generator/internal/extractscore"
)

var verbose = flag.Bool("pages", false, "print the score of every benchmark page")

// TestDevBenchmark scores Clean on the development half of the
// article-extraction benchmark with the benchmark's own metric: F1 of the
// mean precision and mean recall of 4-token shingles over all pages.
func TestDevBenchmark(t *testing.T) {
	dev := extractscore.Dir("dev")
	if dev == "" {
		t.Skip("../shared/extraction-benchmark/dev not found beside the module; skipping the benchmark score")
	}
	golds, err := filepath.Glob(filepath.Join(dev, "*.gold.txt"))
	if err != nil || len(golds) == 0 {
		t.Fatalf("no gold files in %s: %v", dev, err)
	}
	sort.Strings(golds)
	var sumP, sumR float64
	for _, goldPath := range golds {
		id := strings.TrimSuffix(filepath.Base(goldPath), ".gold.txt")
		gold, err := os.ReadFile(goldPath)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dev, id+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		p, r := extractscore.Page(string(gold), strings.Join(Clean(string(raw)), "\n"))
		sumP += p
		sumR += r
		if *verbose {
			fmt.Printf("%s P=%.3f R=%.3f\n", id[:8], p, r)
		}
	}
	n := float64(len(golds))
	p, r := sumP/n, sumR/n
	f1 := extractscore.F1(p, r)
	t.Logf("dev benchmark, %d pages: precision %.3f recall %.3f F1 %.3f", len(golds), p, r, f1)
	fmt.Printf("dev benchmark, %d pages: precision %.3f recall %.3f F1 %.3f\n", len(golds), p, r, f1)
	if f1 < 0.90 {
		t.Errorf("F1 = %.3f; want at least 0.90", f1)
	}
}
