// Package search builds the site's search index: static files a browser
// reads a few of for each query, so that no service is needed.
//
// Build takes the articles in rank order (newest first) and numbers them
// oldest first (a new article leaves the others' numbers alone); it
// returns:
//
//	search/index.json       the manifest: article count, the spelling
//	                        folds, the shard table, the filter values
//	search/t/<prefix>.json  one shard of the inverted index: every term
//	                        starting with prefix, and its postings
//	search/d/<n>.json       article n: path, title, date, outlet, round,
//	                        and its text, for the snippet; fetched only for
//	                        results shown
//
// Encode turns one article into its Entry, and BuildEntries joins entries
// into the files; a caller may keep an article's entry while the article
// and the spellings (Entry.Current) stay the same.
//
// A term is a folded word (see Words, Fold, Spellings) or a filter term,
// "round:<id>", "topic:<id>", "source:<id>" or "affiliation:<id>". Its
// postings are a JSON array of numbers, one an article, in article order:
// (n - previous n) * 2, plus 1 when the word is in the title or the lead.
// A shard holds the terms of a prefix; a prefix whose shard would pass
// ShardBytes is split by its next letter, so the terms of a query are
// found in the shard of the longest prefix the table lists.
//
// The output is a function of the input alone: the same articles give the
// same bytes. Every string is written as encoding/json writes it, with <,
// > and & escaped, so no file can carry markup.
package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ShardBytes is the size past which a shard is split by a longer prefix.
const ShardBytes = 32 << 10

// Facet is one value of a filter: a round, topic, outlet or affiliation.
type Facet struct {
	ID   string // as in a filter term, e.g. "round-1"
	Name string // as readers see it
}

// Doc is one article as the index sees it.
type Doc struct {
	Path        string // site path, relative to the site root
	Title       string
	Lead        string // the summary: ranks with the title
	Text        string // the body as plain text
	Date        string // YYYY-MM-DD
	Source      Facet
	Affiliation Facet
	Round       Facet // zero ID for none
	Topics      []Facet
}

// File is one file of the index, its name relative to the output root.
type File struct {
	Name string
	Data []byte
}

// Filters are the filter kinds, as query words say them.
var Filters = []string{"round", "topic", "source", "affiliation"}

// Build returns the index files of docs, in rank order (newest first):
// the documents (see DocName) and the files of BuildEntries.
func Build(docs []Doc, sp *Spellings) []File {
	entries := make([]Entry, len(docs))
	var files []File
	for i, d := range docs {
		e, doc := Encode(d, sp)
		entries[i] = e
		files = append(files, File{Name: DocName(len(docs) - 1 - i), Data: doc})
	}
	return append(files, BuildEntries(entries, sp)...)
}

// DocName returns the name of article n's document. The article at place
// i of n articles in rank order (newest first) is article n-1-i: articles
// are numbered oldest first, so that a new article leaves the other
// documents' names as they were.
func DocName(n int) string {
	return "search/d/" + strconv.Itoa(n) + ".json"
}

// BuildEntries returns the shards and the manifest of the articles'
// entries (see Encode), in rank order (newest first); the documents are
// the caller's to write, as Encode returns them. It sets each entry of
// the slice to nil once read, so that entries no one else keeps are let go
// while the postings grow.
func BuildEntries(entries []Entry, sp *Spellings) []File {
	post := map[string]*postings{}
	facets := map[string]map[Facet]int{}
	for _, k := range Filters {
		facets[k] = map[Facet]int{}
	}
	for i := len(entries) - 1; i >= 0; i-- {
		n := int32(len(entries) - 1 - i)
		e := decodeEntry(entries[i])
		entries[i] = nil // e reads the bytes still
		for _, f := range e.facets {
			facets[f.kind][Facet{f.id, f.name}]++
		}
		e.terms(func(term []byte, head bool) {
			p := post[string(term)] // a lookup makes no string
			if p == nil {
				p = &postings{}
				post[string(term)] = p
			}
			p.add(n, head)
		})
	}

	terms := make([]string, 0, len(post))
	encoded := make(map[string][]byte, len(post))
	for t, p := range post {
		terms = append(terms, t)
		encoded[t] = append(p.b, ']')
	}
	post = nil
	slices.Sort(terms)
	return joinFiles(terms, encoded, facets, len(entries), sp)
}

// joinFiles returns the shards of sorted terms, each with its postings'
// JSON array, and the manifest of count articles with these filter values.
func joinFiles(terms []string, encoded map[string][]byte, facets map[string]map[Facet]int, count int, sp *Spellings) []File {
	files := make([]File, 0, 256)
	var table [][2]string // prefix, file
	for _, sh := range shard(terms, encoded, 1) {
		name := "search/t/" + fileName(sh.prefix) + ".json"
		table = append(table, [2]string{sh.prefix, name})
		var b bytes.Buffer
		b.WriteByte('{')
		for i, t := range sh.terms {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(jsonString(t))
			b.WriteByte(':')
			b.Write(encoded[t])
		}
		b.WriteString("}\n")
		files = append(files, File{Name: name, Data: b.Bytes()})
	}

	type facetOut struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Count int    `json:"n"`
	}
	if sp == nil {
		sp = &Spellings{}
	}
	man := struct {
		Version int                   `json:"v"`
		Count   int                   `json:"n"`
		Fold    [][2]string           `json:"fold"`
		Shards  [][2]string           `json:"shards"`
		Facets  map[string][]facetOut `json:"facets"`
	}{2, count, sp.Variants(), table, map[string][]facetOut{}}
	for _, k := range Filters {
		list := []facetOut{}
		for f, c := range facets[k] {
			list = append(list, facetOut{f.ID, f.Name, c})
		}
		slices.SortFunc(list, func(a, b facetOut) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		man.Facets[k] = list
	}
	return append(files, File{Name: "search/index.json", Data: mustJSON(man)})
}

// postings is a term's postings as its JSON array is written, article
// numbers ascending: the gaps (n - previous n) * 2, plus 1 when the term
// is in the title or lead. The closing bracket is the writer's to add.
type postings struct {
	b    []byte
	prev int32
}

func (p *postings) add(n int32, head bool) {
	if len(p.b) == 0 {
		p.b = append(p.b, '[')
	} else {
		p.b = append(p.b, ',')
	}
	gap := int64(n-p.prev) * 2
	if head {
		gap++
	}
	p.b = strconv.AppendInt(p.b, gap, 10)
	p.prev = n
}

type shardOf struct {
	prefix string
	terms  []string
}

// shard groups sorted terms by their first runes runes, splitting a group
// past ShardBytes by one more rune. Terms no longer than the prefix stay in
// the prefix's own shard.
func shard(terms []string, encoded map[string][]byte, runes int) []shardOf {
	var out []shardOf
	for i := 0; i < len(terms); {
		p := prefix(terms[i], runes)
		j, size := i, 0
		for j < len(terms) && strings.HasPrefix(terms[j], p) {
			size += len(terms[j]) + len(encoded[terms[j]]) + 4
			j++
		}
		group := terms[i:j]
		if size <= ShardBytes || !slices.ContainsFunc(group, func(t string) bool { return utf8.RuneCountInString(t) > runes }) {
			out = append(out, shardOf{p, group})
		} else {
			var short, long []string
			for _, t := range group {
				if utf8.RuneCountInString(t) <= runes {
					short = append(short, t)
				} else {
					long = append(long, t)
				}
			}
			if len(short) > 0 {
				out = append(out, shardOf{p, short})
			}
			out = append(out, shard(long, encoded, runes+1)...)
		}
		i = j
	}
	return out
}

// prefix returns the first n runes of s.
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// fileName spells a prefix with lowercase letters, digits and hyphens
// only: any other byte becomes _ and two hex digits, so every prefix has
// a file name of its own on every file system.
func fileName(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '-' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02x", c)
		}
	}
	return b.String()
}

func jsonString(s string) []byte {
	return appendJSONString(nil, s)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("search: " + err.Error()) // only strings, numbers and slices of them
	}
	return append(b, '\n')
}
