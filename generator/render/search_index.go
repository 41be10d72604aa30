package render

import (
	"cmp"
	"errors"
	"io/fs"
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
// manifest. A document's fingerprint is its entry's DocSum.
func (r *Renderer) WriteSearchIndex(out SearchOutput) ([]File, error) {
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
	return files, nil
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
	d := search.Doc{
		Path:        site.ArticlePath(a),
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

// PlainText returns a markdown body as the text a reader sees, for search:
// markers of headings, quotes and lists, emphasis and code marks and tags
// taken off, links and images replaced by their text. Paragraphs end in a
// newline; the lines of one are joined by spaces. It reads the markdown the
// importer and editors write, not every corner of CommonMark: at worst a
// stray mark is left in the text, which the index splits away.
//
// It reads every article of a build, so it reads each line once and
// copies it only where a link, an image or a tag is replaced; the rules,
// for a line with its spaces trimmed:
//
//   - a line that is empty, opens or closes a fence (```) or holds
//     nothing but the marks - * _ = and spaces ends the paragraph;
//   - markers are taken off its start, again and again: 1 to 6 # then
//     spaces; > and at most one space; -, * or + then spaces; digits, then
//     . or ), then spaces (spaces here are ASCII: space, tab, form feed,
//     carriage return);
//   - ![text](address) becomes text, then [text](address) does, where text
//     holds no ] and address no ): so [a [b](c) is "a [b";
//   - a tag, < and an optional / then an ASCII letter up to the next >,
//     goes;
//   - *, `, \ and each pair __ go.
func PlainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	var scratch []byte // a line whose links or tags are replaced
	para := false
	for len(md) > 0 {
		line := md
		if i := strings.IndexByte(md, '\n'); i >= 0 {
			line, md = md[:i], md[i+1:]
		} else {
			md = ""
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "```") || isRule(line) {
			if para {
				b.WriteByte('\n')
				para = false
			}
			continue
		}
		line = trimMarkers(line)
		if strings.Contains(line, "](") || strings.IndexByte(line, '<') >= 0 {
			scratch = replaceMarkup(scratch[:0], line)
			line = string(scratch) // short-lived; copied into b below
		}
		if para {
			b.WriteByte(' ')
		}
		writeDroppingMarks(&b, line)
		para = true
	}
	if para {
		b.WriteByte('\n')
	}
	return b.String()
}

// isRule reports whether a line holds only - * _ = and spaces: a thematic
// break or a setext heading's underline.
func isRule(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '-', '*', '_', '=', ' ':
		default:
			return false
		}
	}
	return true
}

// isSpace reports whether c is a space between a marker and its text:
// space, tab, newline, form feed or carriage return.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// trimMarkers takes the markers of headings, quotes and list items off the
// start of a line, as many as there are: "> - # x" is "x".
func trimMarkers(line string) string {
	for line != "" {
		i := 0
		switch c := line[0]; {
		case c == '#':
			for i < len(line) && line[i] == '#' {
				i++
			}
			if i > 6 || i == len(line) || !isSpace(line[i]) {
				return line
			}
		case c == '>':
			i = 1
			if i < len(line) && isSpace(line[i]) {
				i++
			}
			line = line[i:]
			continue
		case c == '-' || c == '*' || c == '+':
			i = 1
			if i == len(line) || !isSpace(line[i]) {
				return line
			}
		case '0' <= c && c <= '9':
			for i < len(line) && '0' <= line[i] && line[i] <= '9' {
				i++
			}
			if i == len(line) || (line[i] != '.' && line[i] != ')') {
				return line
			}
			i++
			if i == len(line) || !isSpace(line[i]) {
				return line
			}
		default:
			return line
		}
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		line = line[i:]
	}
	return line
}

// replaceMarkup appends line to b with its images, then its links,
// replaced by their text, and its tags taken out.
func replaceMarkup(b []byte, line string) []byte {
	if strings.Contains(line, "![") {
		n := len(b)
		b = replaceLinks(b, line, "![")
		line = string(b[n:]) // the link pass reads what the image pass wrote
		b = b[:n]
	}
	if strings.Contains(line, "](") {
		n := len(b)
		b = replaceLinks(b, line, "[")
		line = string(b[n:])
		b = b[:n]
	}
	for {
		i := strings.IndexByte(line, '<')
		if i < 0 {
			break
		}
		j := i + 1
		if j < len(line) && line[j] == '/' {
			j++
		}
		if j < len(line) && ('a' <= line[j]|0x20 && line[j]|0x20 <= 'z') {
			if k := strings.IndexByte(line[j:], '>'); k >= 0 {
				b = append(b, line[:i]...)
				line = line[j+k+1:]
				continue
			}
		}
		b = append(b, line[:i+1]...)
		line = line[i+1:]
	}
	return append(b, line...)
}

// replaceLinks appends s to b with each open text ](address) replaced by
// its text, left to right, where open is "[" for links and "![" for
// images, text holds no ] and address no ).
func replaceLinks(b []byte, s, open string) []byte {
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return append(b, s...)
		}
		text := i + len(open)
		if end := strings.IndexByte(s[text:], ']'); end >= 0 {
			end += text
			if end+1 < len(s) && s[end+1] == '(' {
				if close := strings.IndexByte(s[end+2:], ')'); close >= 0 {
					b = append(b, s[:i]...)
					b = append(b, s[text:end]...)
					s = s[end+2+close+1:]
					continue
				}
			}
		}
		b = append(b, s[:i+1]...)
		s = s[i+1:]
	}
}

// writeDroppingMarks writes line to b without its emphasis and code marks:
// *, `, \ and each pair __.
func writeDroppingMarks(b *strings.Builder, line string) {
	for {
		i := strings.IndexAny(line, "*_`\\")
		if i < 0 {
			b.WriteString(line)
			return
		}
		b.WriteString(line[:i])
		if line[i] == '_' {
			if i+1 < len(line) && line[i+1] == '_' {
				i++
			} else {
				b.WriteByte('_')
			}
		}
		line = line[i+1:]
	}
}
