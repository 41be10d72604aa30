// Package extractscore is the extraction benchmark's scoring rule
// (../shared/extraction-benchmark/README.md), for the tests that score the
// text cleaner and the HTML extractor on it: a page's precision and recall
// are those of the multiset of 4-token shingles of the predicted body
// against the hand-marked one, tokens being runs of letters, numbers and
// underscores; a set's F1 is that of the mean precision and mean recall.
package extractscore

import (
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// Shingles returns the multiset of 4-token shingles of text; a text of one
// to three tokens is one shingle of them all.
func Shingles(text string) map[string]int {
	tokens := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_')
	})
	m := make(map[string]int)
	for i := 0; i+4 <= len(tokens); i++ {
		m[strings.Join(tokens[i:i+4], " ")]++
	}
	if len(tokens) > 0 && len(tokens) < 4 {
		m[strings.Join(tokens, " ")]++
	}
	return m
}

// Page returns the precision and recall of a predicted body against the
// gold body.
func Page(gold, pred string) (precision, recall float64) {
	g, p := Shingles(gold), Shingles(pred)
	var tp, fp, fn float64
	for k, pc := range p {
		gc := g[k]
		tp += float64(min(gc, pc))
		fp += float64(max(0, pc-gc))
	}
	for k, gc := range g {
		fn += float64(max(0, gc-p[k]))
	}
	if tp+fp > 0 {
		precision = tp / (tp + fp)
	}
	if tp+fn > 0 {
		recall = tp / (tp + fn)
	}
	return precision, recall
}

// F1 is the harmonic mean of a set's mean precision and mean recall.
func F1(precision, recall float64) float64 {
	if precision+recall == 0 {
		return 0
	}
	return 2 * precision * recall / (precision + recall)
}

// Dir returns the folder part ("dev", "dev-html") of the extraction
// benchmark, which lives in ../shared beside the module root found above
// the working directory, or "" when it is absent.
func Dir(part string) string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "extraction-benchmark", part)
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		return ""
	}
	return p
}
