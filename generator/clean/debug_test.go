package clean

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digest/generator/internal/extractscore"
)

var debugPage = flag.String("page", "", "print the blocks of the benchmark page whose id starts with this")

// TestDebugPage prints every block of one benchmark page with its measures,
// its class, whether it is in the article run (|) and whether the gold body
// holds it (G): go test ./generator/clean -run DebugPage -args -page 2c46804d
func TestDebugPage(t *testing.T) {
	id := *debugPage
	if id == "" {
		t.Skip("no -page given")
	}
	dev := extractscore.Dir("dev")
	if dev == "" {
		t.Skip("../shared/extraction-benchmark/dev not found beside the module")
	}
	m, _ := filepath.Glob(filepath.Join(dev, id+"*.txt"))
	var raw, gold []byte
	for _, f := range m {
		if strings.HasSuffix(f, ".gold.txt") {
			gold, _ = os.ReadFile(f)
		} else {
			raw, _ = os.ReadFile(f)
		}
	}
	g := extractscore.Shingles(string(gold))
	lines := splitGlued(joinBrokenLines(normalize(string(raw))))
	blocks := makeBlocks(lines)
	first, last := selectArticle(blocks)
	for i, b := range blocks {
		s := extractscore.Shingles(b.text)
		in := 0
		for k := range s {
			if g[k] > 0 {
				in++
			}
		}
		mark := " "
		if len(s) > 0 && in*2 >= len(s) {
			mark = "G"
		}
		sel := " "
		if i >= first && i < last {
			sel = "|"
		}
		txt := b.text
		if len(txt) > 90 {
			txt = txt[:90]
		}
		fmt.Printf("%s%s %-5s c=%4d w=%3d d=%.2f s=%2d e=%v cap=%.2f r=%d %q\n", sel, mark, []string{"bad", "short", "near", "GOOD"}[b.own], b.chars, b.words, b.density, b.sentences, b.endsProse, b.capsShare, b.repeats, txt)
	}
}
