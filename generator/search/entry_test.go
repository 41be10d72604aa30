package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// wantTerms returns the terms of d as the package documents them: the
// words Words splits and Fold folds, with sp's spellings applied, and the
// filter terms; each marked when met in the title or lead.
func wantTerms(d Doc, sp *Spellings) []string {
	if sp == nil {
		sp = &Spellings{}
	}
	head := map[string]bool{}
	add := func(s string, h bool) {
		Words(s, func(w string, _, _ int) {
			t := sp.Canon(w)
			head[t] = head[t] || h
		})
	}
	add(d.Title, true)
	add(d.Lead, true)
	add(d.Source.Name, false)
	add(d.Round.Name, false)
	for _, t := range d.Topics {
		add(t.Name, false)
	}
	add(d.Text, false)
	for _, f := range []struct {
		kind string
		f    Facet
	}{{"round", d.Round}, {"source", d.Source}, {"affiliation", d.Affiliation}} {
		if f.f.ID != "" {
			head[f.kind+":"+f.f.ID] = head[f.kind+":"+f.f.ID] || false
		}
	}
	for _, t := range d.Topics {
		if t.ID != "" {
			head["topic:"+t.ID] = head["topic:"+t.ID] || false
		}
	}
	var out []string
	for t, h := range head {
		out = append(out, fmt.Sprintf("%q %v", t, h))
	}
	slices.Sort(out)
	return out
}

// gotTerms returns the terms an entry holds, as wantTerms writes them,
// and whether the entry holds them in sorted order, as it should.
func gotTerms(e Entry) ([]string, bool) {
	var out, raw []string
	decodeEntry(e).terms(func(t []byte, h bool) {
		out = append(out, fmt.Sprintf("%q %v", t, h))
		raw = append(raw, string(t))
	})
	slices.Sort(out)
	return out, slices.IsSorted(raw)
}

// TestEncoderTerms checks that the Encoder's own reading of the words (one
// pass, a table of words met) gives the terms Words, Fold and Spellings
// define, article after article with one Encoder, so that what one
// article leaves in the table cannot change the next one's terms.
func TestEncoderTerms(t *testing.T) {
	sp, err := ParseSpellings(SpellingsFile, []byte("kyiv: [kyjiw]\n"))
	if err != nil {
		t.Fatal(err)
	}
	docs := append(testDocs(),
		Doc{Title: "KIEV and Kyiv, TÜRKİYE", Lead: "Zelenskyy’s «words»", Text: "Erdoğan met Zelenskiy in İstanbul; e\u0301te\u0301, \u0301 alone, Straße 1,000 Путин Kyjiw\xffbad\n",
			Source: Facet{"x", "Ukrainska Pravda"}, Topics: []Facet{{"t", "Ceasefire"}, {"u", "Zelensky"}}},
		Doc{Title: "kiev", Text: "kyiv kyjiw KIEV kiev2 ŁÓDŹ Ørsted"},
		Doc{},
	)
	var enc Encoder
	for _, s := range []*Spellings{nil, sp} {
		for i, d := range docs {
			e, _ := enc.Encode(d, s)
			want := wantTerms(d, s)
			got, sorted := gotTerms(e)
			if !slices.Equal(got, want) {
				t.Errorf("doc %d: terms:\n got %s;\nwant %s", i, strings.Join(got, ", "), strings.Join(want, ", "))
			}
			if !sorted {
				t.Errorf("doc %d: the entry's terms are not in sorted order", i)
			}
		}
	}
}

// FuzzEncoderTerms checks the Encoder's words against Words and Fold on
// any text.
func FuzzEncoderTerms(f *testing.F) {
	f.Add("Talks in Kiev", "Erdoğan met Zelenskiy in İstanbul; e\u0301te\u0301 \u0301 Straße")
	f.Add("", "\xff\xfe ÀÉ 1,000 Путин")
	sp := DefaultSpellings()
	var enc Encoder
	f.Fuzz(func(t *testing.T, title, text string) {
		d := Doc{Title: title, Text: text}
		e, _ := enc.Encode(d, sp)
		got, sorted := gotTerms(e)
		if want := wantTerms(d, sp); !slices.Equal(got, want) || !sorted {
			t.Errorf("Encode(%q, %q): terms (sorted in the entry: %v):\n got %s;\nwant %s", title, text, sorted, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	})
}

// TestEncoderManyWords checks the table of words as it grows past its
// first size and past maxWords, where it starts again.
func TestEncoderManyWords(t *testing.T) {
	var text strings.Builder
	for i := range maxWords + 10 {
		fmt.Fprintf(&text, "w%d ", i)
	}
	docs := []Doc{{Title: "w1 first", Text: text.String()}, {Title: "w2 second", Text: "w3 w1 kiev"}}
	var enc Encoder
	sp := DefaultSpellings()
	for i, d := range docs {
		e, _ := enc.Encode(d, sp)
		got, sorted := gotTerms(e)
		if want := wantTerms(d, sp); !slices.Equal(got, want) || !sorted {
			t.Errorf("doc %d: %d terms (sorted: %v); want %d", i, len(got), sorted, len(want))
		}
	}
}
