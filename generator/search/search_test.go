package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Kyiv's talks, in Istanbul!", "kyiv s talks in istanbul"},
		{"TÜRKİYE Türkiye Erdoğan İstanbul", "turkiye turkiye erdogan istanbul"},
		{"Straße Łódź Ørsted", "strasse lodz orsted"},
		{"2025-05-16: 1,000 prisoners", "2025 05 16 1 000 prisoners"},
		{"Путин и Зеленский", "путин и зеленский"},
		{"<script>alert(1)</script>", "script alert 1 script"},
		{"", ""},
	} {
		var got []string
		Words(tc.in, func(w string, start, end int) {
			if start >= end || end > len(tc.in) {
				t.Errorf("Words(%q): span %d:%d out of the text", tc.in, start, end)
			}
			got = append(got, w)
		})
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("Words(%q) = %q; want %q", tc.in, g, tc.want)
		}
	}
}

func TestSpellings(t *testing.T) {
	sp, err := ParseSpellings("content/spellings.yaml", []byte("# more\nkyiv: [Kyjiw]\nErdogan: Erdoğan\nbakhmut: [artemivsk, artyomovsk]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"kiev", "kyiv"}, {"kyjiw", "kyiv"}, {"zelenskyy", "zelensky"}, {"zelenskiy", "zelensky"},
		{"turkiye", "turkey"}, {"artyomovsk", "bakhmut"}, {"erdogan", "erdogan"}, {"istanbul", "istanbul"},
	} {
		if got := sp.Canon(tc.in); got != tc.want {
			t.Errorf("Canon(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"kyiv: [kiev]\nkiev: [x]\n", "content/spellings.yaml:2: spellings: \"kiev\" is already a variant of \"kyiv\""},
		{"a: [b]\nc: [b]\n", "content/spellings.yaml:2: spellings: \"b\" is already a variant of \"a\""},
		{"a: [b]\nc: [a]\n", "content/spellings.yaml:2: spellings: \"a\" has variants of its own; list them under \"c\""},
		{"a:\n  - two words\n", "content/spellings.yaml:2: spellings: \"two words\": want one word"},
		{"- a\n- b\n", "content/spellings.yaml:1: spellings: want a mapping of a spelling to its variants"},
		{"a: [b\n", "content/spellings.yaml: spellings: yaml: line 1: did not find expected ',' or ']'"},
	} {
		_, err := ParseSpellings("content/spellings.yaml", []byte(tc.in))
		if got := fmt.Sprint(err); got != tc.want {
			t.Errorf("ParseSpellings(%q):\n got %s;\nwant %s", tc.in, got, tc.want)
		}
	}
	if sp, err := ParseSpellings("content/spellings.yaml", nil); err != nil || sp.Canon("kiev") != "kyiv" {
		t.Errorf("an empty file: %v, kiev -> %q; want the defaults", err, sp.Canon("kiev"))
	}
}

func testDocs() []Doc {
	return []Doc{
		{Path: "articles/a/", Title: "Talks in Kiev", Lead: "Delegations met.", Text: "Medinsky spoke of a prisoner exchange.\n", Date: "2025-06-02",
			Source: Facet{"tass", "TASS"}, Affiliation: Facet{"russian-state-media", "Russian state media"}, Round: Facet{"round-2", "Second round"}, Topics: []Facet{{"prisoners", "Prisoner exchanges"}}},
		{Path: "articles/b/", Title: "Kyiv waits", Lead: "No talks today.", Text: "An exchange of prisoners is planned. Kiev said </script><b>so</b> & more.\n", Date: "2025-05-16",
			Source: Facet{"rt", "RT"}, Affiliation: Facet{"russian-state-media", "Russian state media"}, Round: Facet{"round-1", "First round"}},
	}
}

// index builds docs and returns the manifest and every shard's terms.
func index(t *testing.T, files []File) (manifest map[string]json.RawMessage, terms map[string][]int, shardOf map[string]string) {
	t.Helper()
	terms, shardOf = map[string][]int{}, map[string]string{}
	for _, f := range files {
		switch {
		case f.Name == "search/index.json":
			if err := json.Unmarshal(f.Data, &manifest); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		case strings.HasPrefix(f.Name, "search/t/"):
			var sh map[string][]int
			if err := json.Unmarshal(f.Data, &sh); err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			for term, p := range sh {
				terms[term] = p
				shardOf[term] = f.Name
			}
		}
	}
	return manifest, terms, shardOf
}

// decode returns postings as article numbers, each negated when the term
// is in the title or lead.
func decode(p []int) []int {
	var out []int
	n := 0
	for _, v := range p {
		n += v >> 1
		if v&1 == 1 {
			out = append(out, -n-100)
		} else {
			out = append(out, n)
		}
	}
	return out
}

func TestBuildPostings(t *testing.T) {
	_, terms, _ := index(t, Build(testDocs(), DefaultSpellings()))
	for _, tc := range []struct {
		term string
		want string // article numbers (oldest first); -100-n for title or lead
	}{
		{"kyiv", "[-100 -101]"},  // Kiev folded, in both titles
		{"kiev", "[]"},           // never a term of its own
		{"medinsky", "[1]"},      // body only
		{"talks", "[-100 -101]"}, // title of one, lead of the other
		{"exchanges", "[1]"},     // the topic name only
		{"prisoners", "[0]"},
		{"round:round-2", "[1]"}, // filter terms
		{"affiliation:russian-state-media", "[0 1]"},
		{"topic:prisoners", "[1]"},
		{"source:rt", "[0]"},
	} {
		if got := fmt.Sprint(decode(terms[tc.term])); got != tc.want && !(tc.want == "[]" && got == "[]") {
			t.Errorf("postings of %q = %s; want %s", tc.term, got, tc.want)
		}
	}
}

func TestBuildDeterministicAndEscaped(t *testing.T) {
	a, b := Build(testDocs(), DefaultSpellings()), Build(testDocs(), DefaultSpellings())
	if len(a) != len(b) {
		t.Fatalf("two builds: %d and %d files", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("two builds differ at %s / %s", a[i].Name, b[i].Name)
		}
		for _, bad := range []string{"<", ">", "&"} {
			if bytes.Contains(a[i].Data, []byte(bad)) {
				t.Errorf("%s holds %q: %s", a[i].Name, bad, a[i].Data)
			}
		}
		if !json.Valid(a[i].Data) {
			t.Errorf("%s is not JSON: %s", a[i].Name, a[i].Data)
		}
	}
	var d struct{ X string }
	for _, f := range a {
		if f.Name == "search/d/0.json" {
			json.Unmarshal(f.Data, &d)
		}
	}
	if !strings.Contains(d.X, "</script><b>so</b> & more") {
		t.Errorf("search/d/0.json text = %q; want the text as written", d.X)
	}
}

func TestShardSplitsLargePrefixes(t *testing.T) {
	// Many articles, each with a word of its own under one prefix and a
	// word all share: the prefix passes ShardBytes and is split.
	var docs []Doc
	for i := range 3000 {
		docs = append(docs, Doc{Title: fmt.Sprintf("talk%c%c%d", 'a'+i%26, 'a'+i/26%26, i), Text: "talk talks talking"})
	}
	files := Build(docs, nil)
	man, terms, shardOf := index(t, files)
	var table [][2]string
	if err := json.Unmarshal(man["shards"], &table); err != nil {
		t.Fatal(err)
	}
	find := func(term string) string { // as search.js looks a term up
		best := ""
		for _, e := range table {
			if strings.HasPrefix(term, e[0]) && len(e[0]) > len(best) {
				best = e[0]
			}
		}
		for _, e := range table {
			if e[0] == best {
				return e[1]
			}
		}
		return ""
	}
	if len(table) < 10 {
		t.Errorf("%d shards; want the prefix t split into many", len(table))
	}
	for _, f := range files {
		if strings.HasPrefix(f.Name, "search/t/") && len(f.Data) > 2*ShardBytes && strings.Count(string(f.Data), ":[") > 1 {
			t.Errorf("%s: %d bytes of several terms; want at most about %d", f.Name, len(f.Data), ShardBytes)
		}
	}
	for term, file := range shardOf {
		if got := find(term); got != file {
			t.Errorf("term %q is in %s; the table leads to %s", term, file, got)
		}
	}
	if n := len(decode(terms["talking"])); n != 3000 {
		t.Errorf("talking: %d articles; want 3000", n)
	}
}

// TestNewArticleKeepsDocuments checks that adding the newest article
// leaves the other articles' documents with the same names and bytes.
func TestNewArticleKeepsDocuments(t *testing.T) {
	docs := testDocs()
	newer := Doc{Path: "articles/c/", Title: "Newest", Text: "Kyiv.\n", Date: "2025-07-23", Source: Facet{"rt", "RT"}}
	before, after := map[string]string{}, map[string]string{}
	for _, f := range Build(docs, DefaultSpellings()) {
		before[f.Name] = string(f.Data)
	}
	for _, f := range Build(append([]Doc{newer}, docs...), DefaultSpellings()) {
		after[f.Name] = string(f.Data)
	}
	for _, name := range []string{"search/d/0.json", "search/d/1.json"} {
		if before[name] == "" || before[name] != after[name] {
			t.Errorf("%s: %q before the new article, %q after; want the same", name, before[name], after[name])
		}
	}
	if !strings.Contains(after["search/d/2.json"], "Newest") {
		t.Errorf("search/d/2.json = %q; want the new article", after["search/d/2.json"])
	}
}

// TestEntryCurrent checks that an entry knows the spellings it was made
// with, so a kept entry is made again when they change.
func TestEntryCurrent(t *testing.T) {
	more, err := ParseSpellings("content/spellings.yaml", []byte("bakhmut: [artemivsk]\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, _ := Encode(testDocs()[0], DefaultSpellings())
	if !e.Current(DefaultSpellings()) || e.Current(more) || e.Current(nil) {
		t.Errorf("Current: defaults %v, more %v, none %v; want true, false, false",
			e.Current(DefaultSpellings()), e.Current(more), e.Current(nil))
	}
}
