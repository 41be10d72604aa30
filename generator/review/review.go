// Package review is the queue an editor works through after an import:
// every article whose front matter still lists fields in review:, newest
// first, each field with the value the importer guessed and why.
//
// The why is the comment the importer writes beside each field it
// inferred (`date: 2025-07-08  # estimate: after round-2 ...`); an editor
// may delete it, and then there is none. A field is confirmed by taking
// it off its article's review: list; the queue is read from the files
// each time, so it keeps nothing of its own.
//
// The queue reads the articles themselves, through an fs.FS rooted at
// the site, and not the loaded content.Site: it must show comments, which
// the loader drops, and it must work while an article is broken or a
// draft. Warnings, for the build, works on a loaded content.Site.
package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"

	"digest/generator/articlefile"
	"digest/generator/content"
	"digest/generator/diag"

	"github.com/adrg/frontmatter"
)

// Item is one article with fields to review.
type Item struct {
	Path   string  `json:"path"` // slash-separated, relative to the site root
	Title  string  `json:"title"`
	Source string  `json:"source"`
	Date   string  `json:"date"` // as written
	URL    string  `json:"url,omitempty"`
	Raw    string  `json:"raw,omitempty"` // the raw page it was imported from
	Draft  bool    `json:"draft,omitempty"`
	Fields []Field `json:"fields"` // in the order of its review: list

	day time.Time // Date parsed, zero when it does not parse; for sorting
}

// Field is one field to review.
type Field struct {
	Name  string `json:"field"`
	Value string `json:"value"` // as written
	// Missing says the article has no such field (Value is "").
	Missing bool `json:"missing,omitempty"`
	// Line is the field's line in the file, or the review: line's when the
	// field is missing; 0 when the front matter is not YAML.
	Line int    `json:"line"`
	Why  string `json:"why,omitempty"` // what the importer based its guess on
}

// Queue reads every article under content/articles of the site in fsys
// and returns those with fields to review, newest first (then by path).
// An article it cannot read is left out and reported in the error, a
// diag.List; the queue of the others is returned all the same.
func Queue(fsys fs.FS) ([]Item, error) {
	var queue []Item
	var errs diag.List
	if fi, err := fs.Stat(fsys, content.ArticlesDir); err == nil && !fi.IsDir() {
		errs.Addf(content.ArticlesDir, 0, "review: not a folder")
		return nil, errs.Err()
	}
	err := fs.WalkDir(fsys, content.ArticlesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == content.ArticlesDir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir // no articles yet
			}
			errs.Addf(path, 0, "review: read: %v", unwrapPath(err))
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(path, ".md") || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if !d.Type().IsRegular() {
			errs.Addf(path, 0, "review: not a regular file")
			return nil
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			errs.Addf(path, 0, "review: read: %v", unwrapPath(err))
			return nil
		}
		item, err := read(path, data)
		if err != nil {
			for _, d := range diag.From(err) {
				d.Msg = "review: " + d.Msg
				errs.Add(d)
			}
			return nil
		}
		if len(item.Fields) > 0 {
			queue = append(queue, *item)
		}
		return nil
	})
	if err != nil {
		errs.Addf(content.ArticlesDir, 0, "review: %v", err)
	}
	sort.SliceStable(queue, func(i, j int) bool {
		a, b := queue[i], queue[j]
		if !a.day.Equal(b.day) {
			return a.day.After(b.day)
		}
		return a.Path < b.Path
	})
	return queue, errs.Err()
}

// read makes the item of one article file.
func read(path string, data []byte) (*Item, error) {
	f, err := articlefile.Parse(path, data)
	if err != nil {
		if other, ok := readOther(path, data); ok {
			return other, nil
		}
		return nil, err
	}
	item := &Item{Path: path}
	text := func(key string) string {
		if fd := f.Field(key); fd != nil {
			return fd.Text()
		}
		return ""
	}
	item.Title, item.Source, item.Date = text("title"), text("source"), text("date")
	item.URL, item.Raw = text("url"), text("raw")
	item.Draft = text("draft") == "true"
	item.day, _ = content.ParseDate(item.Date)
	list := f.Field("review")
	if list == nil {
		return item, nil
	}
	for _, name := range list.List() {
		field := Field{Name: name, Line: list.Line, Missing: true}
		if fd := f.Field(name); fd != nil {
			field.Value, field.Line, field.Why, field.Missing = fd.Text(), fd.Line, fd.Comment, false
		}
		item.Fields = append(item.Fields, field)
	}
	return item, nil
}

// readOther reads an article whose front matter is TOML or JSON, which
// has no comments to give a why, nor lines the decoder reports.
func readOther(path string, data []byte) (*Item, bool) {
	t := strings.TrimSpace(string(data))
	if !strings.HasPrefix(t, "+++") && !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, ";;;") {
		return nil, false
	}
	m := map[string]any{}
	if _, err := frontmatter.Parse(bytes.NewReader(data), &m); err != nil {
		return nil, false
	}
	str := func(key string) string {
		switch v := m[key].(type) {
		case nil:
			return ""
		case time.Time:
			return v.Format(time.RFC3339)
		case []any:
			parts := make([]string, len(v))
			for i, x := range v {
				parts[i] = fmt.Sprint(x)
			}
			return strings.Join(parts, ", ")
		default:
			return fmt.Sprint(v)
		}
	}
	item := &Item{Path: path, Title: str("title"), Source: str("source"), Date: str("date"),
		URL: str("url"), Raw: str("raw"), Draft: str("draft") == "true"}
	item.day, _ = content.ParseDate(item.Date)
	if list, ok := m["review"].([]any); ok {
		for _, v := range list {
			name := fmt.Sprint(v)
			_, has := m[name]
			item.Fields = append(item.Fields, Field{Name: name, Value: str(name), Missing: !has})
		}
	}
	return item, true
}

// WriteText prints the queue for an editor: per article its date, title,
// outlet and file, then one line per field, path:line first so an editor
// can jump to it, then a count.
func WriteText(w io.Writer, queue []Item) error {
	var b strings.Builder
	fields := 0
	for _, it := range queue {
		title := it.Title
		if title == "" {
			title = "(no title)"
		}
		date := it.Date
		if date == "" {
			date = "(no date)"
		}
		fmt.Fprintf(&b, "%s  %q  %s", date, title, it.Source)
		if it.Draft {
			b.WriteString("  [draft]")
		}
		b.WriteString("\n")
		for _, f := range it.Fields {
			value := f.Value
			switch {
			case f.Missing:
				value = "(not set)"
			case value == "":
				value = `""`
			}
			at := it.Path
			if f.Line > 0 {
				at = fmt.Sprintf("%s:%d", it.Path, f.Line)
			}
			fmt.Fprintf(&b, "  %s: %s: %s", at, f.Name, value)
			if f.Why != "" {
				fmt.Fprintf(&b, "  (%s)", f.Why)
			}
			b.WriteString("\n")
			fields++
		}
		if it.Raw != "" {
			fmt.Fprintf(&b, "  raw page: %s\n", it.Raw)
		}
		if it.URL != "" {
			fmt.Fprintf(&b, "  original: %s\n", it.URL)
		}
		b.WriteString("\n")
	}
	if len(queue) == 0 {
		b.WriteString("nothing to review\n")
	} else {
		fmt.Fprintf(&b, "%s, %s to review; take each from its review: list once checked\n",
			plural(len(queue), "article"), plural(fields, "field"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the queue for scripts: {"articles": [Item...]}, in
// queue order; an empty queue is an empty list.
func WriteJSON(w io.Writer, queue []Item) error {
	if queue == nil {
		queue = []Item{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Articles []Item `json:"articles"`
	}{queue})
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
