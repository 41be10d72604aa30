package htmlpage

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The sources of metadata, most trusted first.
// Each is a value of Meta.From.
const (
	FromJSONLD = "JSON-LD"
	FromOG     = "Open Graph"
	FromTime   = "<time datetime>"
	// FromText is a field the extraction found in the story's markup
	// (a byline, the site name) when the metadata did not give it.
	FromText = "page text"
)

// tags is what one pass over the document collects, before the sources
// are weighed.
type tags struct {
	jsonld   []string          // the bodies of <script type="application/ld+json">
	meta     map[string]string // property or name (lowercased) -> first content
	canon    string            // <link rel=canonical href>
	lang     string            // <html lang>
	title    string            // <title>
	times    []string          // <time datetime> values, in order
	pubTimes []string          // those marked itemprop=datePublished or pubdate
}

// readMeta reads the page's metadata, each field from the most trusted
// source that has it.
func readMeta(doc *html.Node, base *url.URL) Meta {
	t := tags{meta: map[string]string{}}
	t.walk(doc)
	m := Meta{From: map[string]string{}}
	for _, body := range t.jsonld {
		ld := articleLD(body)
		if ld == nil {
			continue
		}
		set(&m, "title", &m.Title, FromJSONLD, text(ld["headline"]), text(ld["name"]))
		set(&m, "outlet", &m.Outlet, FromJSONLD, name(ld["publisher"]), name(ld["sourceOrganization"]))
		setTime(&m, "published", &m.Published, FromJSONLD, text(ld["datePublished"]), text(ld["dateCreated"]))
		setTime(&m, "modified", &m.Modified, FromJSONLD, text(ld["dateModified"]))
		set(&m, "canonical", &m.Canonical, FromJSONLD, text(ld["url"]), text(ld["mainEntityOfPage"]), id(ld["mainEntityOfPage"]))
		set(&m, "author", &m.Author, FromJSONLD, names(ld["author"]))
		set(&m, "language", &m.Language, FromJSONLD, text(ld["inLanguage"]))
	}
	og := t.meta
	set(&m, "title", &m.Title, FromOG, og["og:title"], og["twitter:title"])
	set(&m, "outlet", &m.Outlet, FromOG, og["og:site_name"], og["application-name"])
	setTime(&m, "published", &m.Published, FromOG, og["article:published_time"], og["og:published_time"],
		og["datepublished"], og["pubdate"], og["publishdate"], og["date"], og["dc.date.issued"], og["dc.date"])
	setTime(&m, "modified", &m.Modified, FromOG, og["article:modified_time"], og["og:updated_time"], og["datemodified"])
	set(&m, "canonical", &m.Canonical, FromOG, t.canon, og["og:url"])
	set(&m, "author", &m.Author, FromOG, og["author"], og["article:author"])
	set(&m, "language", &m.Language, FromOG, t.lang, og["og:locale"], og["content-language"])
	set(&m, "title", &m.Title, "<title>", t.title)
	setTime(&m, "published", &m.Published, FromTime, append(t.pubTimes, t.times...)...)
	if m.Canonical != "" {
		m.Canonical = absolute(base, m.Canonical)
	}
	return m
}

// set gives *field the first non-empty value, unless it has one already.
func set(m *Meta, key string, field *string, from string, values ...string) {
	if *field != "" {
		return
	}
	for _, v := range values {
		if v = strings.Join(strings.Fields(html.UnescapeString(v)), " "); v != "" {
			*field, m.From[key] = v, from
			return
		}
	}
}

// setTime gives *field the first value that parses as a date, unless it
// has one already.
func setTime(m *Meta, key string, field *time.Time, from string, values ...string) {
	if !field.IsZero() {
		return
	}
	for _, v := range values {
		if t, ok := parseTime(v); ok {
			*field, m.From[key] = t, from
			return
		}
	}
}

// timeLayouts are the forms dates take in page metadata: ISO 8601 in its
// variants, as publishers write it.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
}

// parseTime reads a metadata date. A date without a zone is taken as UTC.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() > 1900 {
			return t, true
		}
	}
	return time.Time{}, false
}

func absolute(base *url.URL, ref string) string {
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !u.IsAbs() {
		return ""
	}
	return u.String()
}

// walk collects the tags readMeta weighs.
func (t *tags) walk(n *html.Node) {
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Html:
			if t.lang == "" {
				t.lang = attr(n, "lang")
			}
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
				t.jsonld = append(t.jsonld, n.FirstChild.Data)
			}
			return
		case atom.Meta:
			key := strings.ToLower(attr(n, "property"))
			if key == "" {
				key = strings.ToLower(attr(n, "name"))
			}
			if key == "" {
				key = strings.ToLower(attr(n, "itemprop"))
			}
			if key == "" {
				key = strings.ToLower(attr(n, "http-equiv"))
			}
			if c := attr(n, "content"); key != "" && c != "" && t.meta[key] == "" {
				t.meta[key] = c
			}
		case atom.Link:
			if t.canon == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
				t.canon = attr(n, "href")
			}
		case atom.Title:
			if t.title == "" && n.FirstChild != nil {
				t.title = n.FirstChild.Data
			}
		case atom.Time:
			if dt := attr(n, "datetime"); dt != "" {
				if strings.EqualFold(attr(n, "itemprop"), "datePublished") || hasAttr(n, "pubdate") {
					t.pubTimes = append(t.pubTimes, dt)
				} else {
					t.times = append(t.times, dt)
				}
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		t.walk(c)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// articleTypes are the schema.org types of a news story.
var articleTypes = map[string]bool{
	"NewsArticle": true, "Article": true, "ReportageNewsArticle": true,
	"AnalysisNewsArticle": true, "OpinionNewsArticle": true, "BackgroundNewsArticle": true,
	"ReviewNewsArticle": true, "BlogPosting": true, "LiveBlogPosting": true, "Report": true,
	"WebPage": false,
}

// articleLD returns the first story object in one JSON-LD block (at its
// top, in a list, or in an @graph), or nil when there is none or the
// block is not valid JSON.
func articleLD(body string) map[string]any {
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(body)), &v) != nil {
		return nil
	}
	var find func(v any) map[string]any
	find = func(v any) map[string]any {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if o := find(e); o != nil {
					return o
				}
			}
		case map[string]any:
			for _, typ := range texts(v["@type"]) {
				if articleTypes[typ] {
					return v
				}
			}
			return find(v["@graph"])
		}
		return nil
	}
	return find(v)
}

// text is a JSON-LD value as a string: a string itself, or the first of a
// list of strings.
func text(v any) string {
	if ts := texts(v); len(ts) > 0 {
		return ts[0]
	}
	return ""
}

func texts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// name is a JSON-LD thing's name: a string, or an object's "name".
func name(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		return text(v["name"])
	case []any:
		if len(v) > 0 {
			return name(v[0])
		}
	}
	return ""
}

// id is a JSON-LD object's "@id" (a story's mainEntityOfPage address).
func id(v any) string {
	if o, ok := v.(map[string]any); ok {
		return text(o["@id"])
	}
	return ""
}

// names joins the names of one or more JSON-LD people.
func names(v any) string {
	list, ok := v.([]any)
	if !ok {
		return name(v)
	}
	var out []string
	for _, e := range list {
		if n := strings.TrimSpace(name(e)); n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}
