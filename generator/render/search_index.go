package render

import (
	"cmp"
	"errors"
	"io/fs"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/search"
	"digest/generator/site"
)

// SearchOutput receives the documents of the search index (search/d) as
// they are made, so that a build never holds every article's text at once.
// Both functions are called from several goroutines.
type SearchOutput struct {
	// Keep keeps the file name as written before when its fingerprint
	// then was fp, and reports whether it did; nil keeps nothing.
	Keep func(name string, fp uint64) bool
	// Put writes the file name with fingerprint fp.
	Put func(name string, fp uint64, data []byte)
}

// SearchIndex returns the files of the search index (see package search):
// every article's title, lead, outlet, round, topics and body, with the
// spelling variants of content/spellings.yaml, when there is one, folded
// on top of the defaults. Its errors name the file and line.
func (r *Renderer) SearchIndex() ([]File, error) {
	var mu sync.Mutex
	var docs []File
	files, err := r.WriteSearchIndex(SearchOutput{Put: func(name string, _ uint64, data []byte) {
		mu.Lock()
		docs = append(docs, File{Name: name, Data: data})
		mu.Unlock()
	}})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(docs, func(a, b File) int { // by number
		return cmp.Or(cmp.Compare(len(a.Name), len(b.Name)), strings.Compare(a.Name, b.Name))
	})
	return append(docs, files...), nil
}

// WriteSearchIndex is SearchIndex handing each document to out as soon as
// it is made, or keeping it (out.Keep) when the article's kept entry says
// it is unchanged; it returns the other files, the shards and the
// manifest. A document's fingerprint is its entry's DocSum. In a build for
// disk every file goes out in its script form too (see disk.go).
func (r *Renderer) WriteSearchIndex(out SearchOutput) ([]File, error) {
	out = r.withScripts(out) // a build for disk writes each file twice
	sp := search.DefaultSpellings()
	if data, err := fs.ReadFile(r.Bodies, search.SpellingsFile); err == nil {
		if sp, err = search.ParseSpellings(search.SpellingsFile, data); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, diag.Errorf(search.SpellingsFile, 0, "read: %v", err)
	}
	// Entries are kept by article across builds; the ones missing or made
	// with other spellings, or whose document is not kept as written, are
	// encoded on every core.
	arts := r.Model.Articles
	entries := make([]search.Entry, len(arts))
	name := func(i int) string { return search.DocName(len(arts) - 1 - i) }
	var todo []int
	for i, a := range arts {
		e, ok := r.SearchCache[a]
		if ok && search.Entry(e).Current(sp) && out.Keep != nil && out.Keep(name(i), search.Entry(e).DocSum()) {
			entries[i] = e
		} else {
			todo = append(todo, i)
		}
	}
	errs := make([]error, len(arts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(todo))) {
		wg.Go(func() {
			var enc search.Encoder
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) {
					return
				}
				i := todo[k]
				d, err := r.searchDoc(arts[i])
				if err != nil {
					errs[i] = err
					continue
				}
				e, doc := enc.Encode(d, sp)
				entries[i] = e
				out.Put(name(i), e.DocSum(), doc)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if r.SearchCache != nil {
		for _, i := range todo {
			r.SearchCache[arts[i]] = entries[i]
		}
	}
	idx := search.BuildEntries(entries, sp)
	files := make([]File, len(idx))
	for i, f := range idx {
		files[i] = File{Name: f.Name, Data: f.Data}
	}
	return r.addScripts(files), nil
}

func (r *Renderer) searchDoc(a *content.Article) (search.Doc, error) {
	lead, err := r.Summary(a)
	if err != nil {
		return search.Doc{}, err
	}
	body, err := a.ReadBody(r.Bodies)
	if err != nil {
		return search.Doc{}, err
	}
	src := r.Model.SourceOf(a)
	path := site.ArticlePath(a)
	if r.ForDisk {
		path = DiskPath(path) // search.js links the result as it is
	}
	d := search.Doc{
		Path:        path,
		Title:       BidiSafe(a.Title),
		Lead:        BidiSafe(lead),
		Text:        BidiSafe(PlainText(string(body))),
		Date:        a.Date.UTC().Format("2006-01-02"),
		Source:      search.Facet{ID: src.ID, Name: BidiSafe(src.Name)},
		Affiliation: search.Facet{ID: content.Slugify(src.Affiliation()), Name: src.Affiliation()},
	}
	if a.Round != nil {
		d.Round = search.Facet{ID: a.Round.ID, Name: BidiSafe(a.Round.Name)}
	}
	for _, t := range a.AllTopics() {
		d.Topics = append(d.Topics, search.Facet{ID: t.ID, Name: BidiSafe(t.Name)})
	}
	return d, nil
}

var (
	mdImage  = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdTag    = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	mdMarker = regexp.MustCompile(`^\s*(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)`)
)

// dropMarks takes emphasis and code marks out of a line: *, `, \ and __.
func dropMarks(line string) string {
	b := make([]byte, 0, len(line))
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '*' || c == '`' || c == '\\':
		case c == '_' && i+1 < len(line) && line[i+1] == '_':
			i++
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// PlainText returns a markdown body as the text a reader sees, for search:
// markers of headings, quotes and lists, emphasis and code marks and tags
// taken off, links and images replaced by their text. Paragraphs end in a
// newline; the lines of one are joined by spaces. It reads the markdown the
// importer and editors write, not every corner of CommonMark: at worst a
// stray mark is left in the text, which the index splits away.
func PlainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	para := false
	for line := range strings.SplitSeq(md, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "```") || strings.Trim(line, "-*_= ") == "" {
			if para {
				b.WriteByte('\n')
				para = false
			}
			continue
		}
		// The expressions only where their marks are: most lines are
		// plain prose, and a build reads every article.
		for line != "" && strings.IndexByte("#>-*+0123456789", line[0]) >= 0 {
			m := mdMarker.FindStringIndex(line)
			if m == nil || m[1] == 0 {
				break
			}
			line = line[m[1]:]
		}
		if strings.Contains(line, "](") {
			line = mdImage.ReplaceAllString(line, "$1")
			line = mdLink.ReplaceAllString(line, "$1")
		}
		if strings.IndexByte(line, '<') >= 0 {
			line = mdTag.ReplaceAllString(line, "")
		}
		if strings.ContainsAny(line, "*_`\\") {
			line = dropMarks(line)
		}
		if para {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		para = true
	}
	if para {
		b.WriteByte('\n')
	}
	return b.String()
}
