package render

import (
	"bytes"
	"html/template"
	"io"
	"net/url"
	"strings"
	"sync"

	"digest/generator/content"
	"digest/generator/site"
)

// Context is what a layout receives as ".".
type Context struct {
	Site    *site.Model
	Page    *site.Page
	Data    any
	Root    string // prefix that leads from this page to the site root: "./", "../../", or "/base/" on 404.html
	BaseURL string // absolute, ends in "/"
	// ForDisk says the site is built to be opened from disk (file: URLs):
	// see Renderer.ForDisk.
	ForDisk bool

	r *Renderer
	// body is the HTML of the article with hash bodyOf, when this page has
	// rendered it already: an article page's description (its summary) is
	// in the head, before the body, and comes from the same rendering.
	body   []byte
	bodyOf uint64
}

// bodyHTML returns the rendered body of a, rendering it at most once a page.
func (c *Context) bodyHTML(a *content.Article) ([]byte, error) {
	if c.body != nil && c.bodyOf == a.Hash {
		return c.body, nil
	}
	src, err := a.ReadBody(c.r.Bodies)
	if err != nil {
		return nil, err
	}
	// The HTML comes from goldmark with raw HTML disabled: markup in the
	// markdown source is dropped, text is escaped.
	body := c.r.Markdown.Render(a.Hash, src)
	c.body, c.bodyOf = body.HTML, a.Hash
	c.r.keepForFeeds(a, c.body)
	if ix := c.r.search.Load(); ix != nil {
		ix.articleBody(a, src, body.Summary)
	}
	return c.body, nil
}

// URL returns the link from this page to x: an *content.Article,
// *content.Topic, *content.Round, *site.SourceInfo, or a site path string.
// In a build for disk a link to a folder names its index.html (see
// DiskPath). Layouts make every link inside the site with URL: a link
// written as .Root and a path works when served, not from disk.
func (c *Context) URL(x any) string {
	if c.ForDisk {
		return c.Root + DiskPath(SitePath(x))
	}
	return c.Root + SitePath(x)
}

// Abs returns the absolute URL of x.
func (c *Context) Abs(x any) string { return c.BaseURL + SitePath(x) }

// Canonical is the absolute URL of the page itself.
func (c *Context) Canonical() string {
	if c.Page.Path == "404.html" {
		return ""
	}
	return c.BaseURL + c.Page.Path
}

// Body returns the rendered body of an article.
func (c *Context) Body(a *content.Article) (template.HTML, error) {
	b, err := c.bodyHTML(a)
	return template.HTML(b), err
}

// writeBody writes what Body returns into buf, reading the file into a
// pooled buffer and rendering straight into the page: the fast path calls
// it for {{.Body $a}}. (A method that returns template.HTML may have such a
// write twin, of the same name with "write" before it, taking buf and the
// same parameters; see internal/fastgen.)
func (c *Context) writeBody(buf *bytes.Buffer, a *content.Article) error {
	if c.body != nil && c.bodyOf == a.Hash {
		buf.Write(c.body)
		return nil
	}
	file := c.r.files.Get().(*[]byte)
	defer c.r.files.Put(file)
	var src []byte
	var err error
	if *file, src, err = a.ReadBodyTo(c.r.Bodies, *file); err != nil {
		return err
	}
	summary := c.r.Markdown.RenderTo(buf, a.Hash, src)
	if ix := c.r.search.Load(); ix != nil {
		ix.articleBody(a, src, summary)
	}
	return nil
}

// Entry returns an article's entry in a list: the "entry" template run for
// (this page, a). One article is listed on many pages at several depths,
// so each entry is rendered once per build, with the renderer's root token
// in place of the page's root, and the token is replaced by each page's
// root when the entry is used. A layout that defines its own "entry" gets
// its own; it should use the root in links (through .URL, or before a
// path in an attribute), where it is written as it is: escaped for a
// script, for one, the token would no longer be found.
func (c *Context) Entry(a *content.Article) (template.HTML, error) {
	return c.Entries([]*content.Article{a})
}

// writeEntry writes what Entry returns into buf.
func (c *Context) writeEntry(buf *bytes.Buffer, a *content.Article) error {
	return c.writeEntries(buf, []*content.Article{a})
}

// Entries returns the entries of a list of articles, one after the other:
// Entry for each.
func (c *Context) Entries(list []*content.Article) (template.HTML, error) {
	split, size, err := c.entries(list)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(size)
	c.joinEntries(&b, split)
	return template.HTML(b.String()), nil
}

// writeEntries writes what Entries returns into buf.
func (c *Context) writeEntries(buf *bytes.Buffer, list []*content.Article) error {
	split, size, err := c.entries(list)
	if err != nil {
		return err
	}
	buf.Grow(size)
	c.joinEntries(buf, split)
	return nil
}

// joinEntries writes entries split by entries, with the page's root where
// they were split.
func (c *Context) joinEntries(w io.StringWriter, split [][]string) {
	for _, segs := range split {
		for i, s := range segs {
			if i > 0 {
				w.WriteString(c.Root)
			}
			w.WriteString(s)
		}
	}
}

// entries returns the entries of list, each split where the page's root
// goes, and their size once joined with it.
func (c *Context) entries(list []*content.Article) ([][]string, int, error) {
	entries := c.r.entrySet(c.Page.Layout)
	split := make([][]string, len(list))
	size := 0
	for i, a := range list {
		segs, err := c.entry(entries, a)
		if err != nil {
			return nil, 0, err
		}
		split[i] = segs
		size += (len(segs) - 1) * len(c.Root)
		for _, s := range segs {
			size += len(s)
		}
	}
	return split, size, nil
}

// entry returns the entry of a split where the page's root goes, from
// entries, the entries of the page's layout set.
func (c *Context) entry(entries *sync.Map, a *content.Article) ([]string, error) {
	if v, ok := entries.Load(a); ok {
		return v.([]string), nil
	}
	tc := *c
	tc.Root = c.r.rootToken
	var buf bytes.Buffer
	t := c.r.Templates
	set := t.entrySet(c.Page.Layout)
	fast := t.fastEntry[set]
	if fast == nil || writeEntry(fast, &fastWriter{buf: &buf, t: t, layout: set}, []any{&tc, a}) != nil {
		buf.Reset() // the template writes the entry, or says what is wrong with it
		if err := t.executeNamed(&buf, c.Page.Layout, "entry", []any{&tc, a}); err != nil {
			return nil, err
		}
	}
	v, _ := entries.LoadOrStore(a, strings.Split(buf.String(), c.r.rootToken))
	return v.([]string), nil
}

// Summary returns the plain text summary of an article.
func (c *Context) Summary(a *content.Article) (string, error) { return c.r.Summary(a) }

// Source returns how an article's outlet is shown.
func (c *Context) Source(a *content.Article) *site.SourceInfo { return c.Site.SourceOf(a) }

// Round returns the round with this id, or nil (for "none").
func (c *Context) Round(id string) *content.Round { return c.Site.Content.FindRound(id) }

// RoundName names a round id, including the articles outside any round.
func (c *Context) RoundName(id string) string {
	if r := c.Round(id); r != nil {
		return r.Name
	}
	return "Outside the rounds"
}

// RoundPath is the site path of a round id.
func (c *Context) RoundPath(id string) string { return site.RoundPath(id) }

// Phase tells where an article stands in its round: lead-up, talks or
// aftermath; "" when it has none.
func (c *Context) Phase(a *content.Article) string {
	if a.Round == nil {
		return ""
	}
	return string(content.PhaseOf(a.Round, a.Date))
}

// Host returns the host of an original article's URL, for "read at" links.
func (c *Context) Host(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return strings.TrimPrefix(u.Host, "www.")
}

// SafeURL reports whether raw is an http or https URL a page may link to.
func (c *Context) SafeURL(raw string) bool { return safeURL(raw) }

// safeURL reports whether raw is an http or https URL with a host.
func safeURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// SitePath returns the site path of x; see Context.URL.
func SitePath(x any) string {
	switch v := x.(type) {
	case *content.Article:
		return site.ArticlePath(v)
	case *content.Topic:
		return site.TopicPath(v)
	case *content.Round:
		return site.RoundPath(v.ID)
	case *site.SourceInfo:
		return site.SourcePath(v)
	case string:
		return v
	}
	return ""
}

// rootFor returns the relative prefix from page path p to the site root.
func rootFor(p string) string {
	depth := strings.Count(p, "/")
	return strings.Repeat("../", depth)
}
