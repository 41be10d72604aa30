package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestJoinerIsBuildEntries checks that a Joiner's files are BuildEntries's,
// byte for byte, after each of many random edits: a few articles changed
// (joined by updating their terms), many changed, one added, the
// spellings changed (joined again).
func TestJoinerIsBuildEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("talks kyiv kiev ceasefire prisoners exchange medinsky umerov istanbul round memorandum " +
		"turkey türkiye erdoğan fidan peskov statement delegation the a of in and zelensky zelenskyy 2025 1000")
	doc := func(i int) Doc {
		var text, title []string
		for range 5 + rng.IntN(40) {
			text = append(text, words[rng.IntN(len(words))])
		}
		for range 1 + rng.IntN(4) {
			title = append(title, words[rng.IntN(len(words))])
		}
		d := Doc{Path: fmt.Sprintf("articles/a%d/", i), Title: strings.Join(title, " "), Text: strings.Join(text, " "),
			Source: Facet{fmt.Sprint("s", rng.IntN(3)), "Source"}, Affiliation: Facet{"aff", "Affiliation"}}
		if rng.IntN(2) == 0 {
			d.Round = Facet{fmt.Sprint("round-", rng.IntN(3)), "Round"}
		}
		for range rng.IntN(3) {
			d.Topics = append(d.Topics, Facet{fmt.Sprint("t", rng.IntN(4)), "Topic"})
		}
		return d
	}
	sp := DefaultSpellings()
	var enc Encoder
	var entries []Entry
	for i := range 40 {
		e, _ := enc.Encode(doc(i), sp)
		entries = append(entries, e)
	}
	var j Joiner
	for step := range 60 {
		what := "unchanged"
		switch k := rng.IntN(10); {
		case step == 0:
		case k < 6:
			what = "a few changed"
			for range 1 + rng.IntN(4) {
				i := rng.IntN(len(entries))
				entries[i], _ = enc.Encode(doc(i), sp)
			}
		case k < 7:
			what = "many changed"
			for i := range entries {
				if rng.IntN(2) == 0 {
					entries[i], _ = enc.Encode(doc(i), sp)
				}
			}
		case k < 8:
			what = "one added"
			e, _ := enc.Encode(doc(len(entries)), sp)
			entries = append([]Entry{e}, entries...) // the newest first
		case k < 9:
			what = "spellings changed"
			if sp, _ = ParseSpellings(SpellingsFile, fmt.Appendf(nil, "x%d: [y%d]\n", step, step)); sp == nil {
				t.Fatal("spellings")
			}
			for i := range entries {
				entries[i], _ = enc.Encode(doc(i), sp)
			}
		}
		got := j.Join(entries, sp)
		want := BuildEntries(slices.Clone(entries), sp)
		if len(got) != len(want) {
			t.Fatalf("step %d (%s): %d files; want %d", step, what, len(got), len(want))
		}
		for i := range want {
			if got[i].Name != want[i].Name || string(got[i].Data) != string(want[i].Data) {
				t.Fatalf("step %d (%s): %s:\n got %.300s\nwant %s %.300s", step, what, got[i].Name, got[i].Data, want[i].Name, want[i].Data)
			}
		}
	}
}
