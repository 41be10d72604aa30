package render

import (
	"errors"
	"io/fs"
	"regexp"
	"strings"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/search"
	"digest/generator/site"
)

// SearchIndex returns the files of the search index (see package search):
// every article's title, lead, outlet, round, topics and body, with the
// spelling variants of content/spellings.yaml, when there is one, folded
// on top of the defaults. Its errors name the file and line.
func (r *Renderer) SearchIndex() ([]File, error) {
	sp := search.DefaultSpellings()
	if data, err := fs.ReadFile(r.Bodies, search.SpellingsFile); err == nil {
		if sp, err = search.ParseSpellings(search.SpellingsFile, data); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, diag.Errorf(search.SpellingsFile, 0, "read: %v", err)
	}
	docs := make([]search.Doc, len(r.Model.Articles))
	for i, a := range r.Model.Articles {
		d, err := r.searchDoc(a)
		if err != nil {
			return nil, err
		}
		docs[i] = d
	}
	idx := search.Build(docs, sp)
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
	text, ok := r.SearchCache[a]
	if !ok {
		body, err := a.ReadBody(r.Bodies)
		if err != nil {
			return search.Doc{}, err
		}
		text = []byte(PlainText(string(body)))
		if r.SearchCache != nil {
			r.SearchCache[a] = text
		}
	}
	src := r.Model.SourceOf(a)
	d := search.Doc{
		Path:        site.ArticlePath(a),
		Title:       a.Title,
		Lead:        lead,
		Text:        string(text),
		Date:        a.Date.UTC().Format("2006-01-02"),
		Source:      search.Facet{ID: src.ID, Name: src.Name},
		Affiliation: search.Facet{ID: content.Slugify(src.Affiliation()), Name: src.Affiliation()},
	}
	if a.Round != nil {
		d.Round = search.Facet{ID: a.Round.ID, Name: a.Round.Name}
	}
	for _, t := range a.AllTopics() {
		d.Topics = append(d.Topics, search.Facet{ID: t.ID, Name: t.Name})
	}
	return d, nil
}

var (
	mdImage  = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdTag    = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	mdMarker = regexp.MustCompile(`^\s*(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)`)
)

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
		for {
			m := mdMarker.FindStringIndex(line)
			if m == nil || m[1] == 0 {
				break
			}
			line = line[m[1]:]
		}
		line = mdImage.ReplaceAllString(line, "$1")
		line = mdLink.ReplaceAllString(line, "$1")
		line = mdTag.ReplaceAllString(line, "")
		line = strings.NewReplacer("**", "", "__", "", "*", "", "`", "", `\`, "").Replace(line)
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
