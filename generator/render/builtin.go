package render

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/site"
)

// Article pages are most of a site's pages, and html/template spends about
// as long running the default article layout through the base frame as
// goldmark spends rendering the body; list entries and the frame are most
// of the other pages' work. So while a site uses the default base.html,
// every page's frame (head, header, footer) is written by writeFrame and
// only the layout's "head" and "main" run as templates; while it also
// uses the default article.html, article pages are written whole by
// writeArticle; while it uses the default list.html, topic.html,
// round.html or source.html, that layout's "main" is written by
// writeListMain (the round's fact card still runs as a template); and
// while a layout uses the default "entry", its entries are written by
// writeEntry. These are Go transcriptions of those layouts
// that write the same bytes. A site that overrides them gets its own
// layouts run as templates. TestBuiltinArticleMatchesTemplates (package
// build) builds sites both ways and compares every file: change the
// layouts and this file together.
//
// The escaping is html/template's for each context: text, quoted
// attribute values and URLs in href attributes.

// policyMeta declares base.html's Content-Security-Policy.
const policyMeta = `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'">`

// writeFrame writes the page of c in the default base.html: head() writes
// what a layout adds to the head (nil for nothing), main() the page's own
// content.
func (c *Context) writeFrame(buf *bytes.Buffer, head, main func() error) error {
	cfg := c.Site.Config
	w := htmlWriter{buf}
	w.raw("<!doctype html>\n<html lang=\"")
	w.text(cfg.Language)
	w.raw("\">\n<head>\n<meta charset=\"utf-8\">\n" + policyMeta + "\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	if c.Page.Path != "" {
		w.text(BidiSafe(c.Page.Title))
		w.raw(" · ")
	}
	w.text(cfg.Title)
	w.raw("</title>\n")
	if cfg.Description != "" {
		w.raw("<meta name=\"description\" content=\"")
		w.text(cfg.Description)
		w.raw("\">")
	}
	w.raw("\n")
	if canon := c.Canonical(); canon != "" {
		w.raw("<link rel=\"canonical\" href=\"")
		w.url(canon)
		w.raw("\">")
	}
	w.raw("\n<link rel=\"stylesheet\" href=\"")
	w.url(c.Root)
	w.raw("style.css\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
	w.text(cfg.Title)
	w.raw("\" href=\"")
	w.url(c.Root)
	w.raw("feed.xml\">\n")
	if head != nil {
		if err := head(); err != nil {
			return err
		}
	}
	w.raw("\n</head>\n<body>\n<header class=\"site\">\n  <a class=\"brand\" href=\"")
	w.url(c.Root)
	w.raw("\">")
	w.text(cfg.Title)
	w.raw("</a>\n  <nav aria-label=\"Sections\">\n")
	for _, s := range [...][2]string{{"rounds/", "Rounds"}, {"topics/", "Topics"}, {"sources/", "Sources"}, {"articles/", "All articles"}, {"search/", "Search"}} {
		w.raw("    <a href=\"")
		w.url(c.Root)
		w.raw(s[0] + "\">" + s[1] + "</a>\n")
	}
	w.raw("  </nav>\n</header>\n<main>\n")
	if err := main(); err != nil {
		return err
	}
	w.raw("\n</main>\n<footer class=\"site\">\n  <p>")
	w.text(cfg.Title)
	w.raw(" · <a href=\"")
	w.url(c.Root)
	w.raw("feed.xml\">Atom feed</a> · <a href=\"")
	w.url(c.Root)
	w.raw("sitemap.xml\">Sitemap</a></p>\n  <p>Every article names the outlet it comes from and who stands behind it; follow its link to read the original.</p>\n</footer>\n</body>\n</html>\n")
	return nil
}

// writeArticle writes the article page of c in the default layouts.
func (c *Context) writeArticle(buf *bytes.Buffer) error {
	d := c.Data.(*site.ArticleData)
	a := d.Article
	file := c.r.files.Get().(*[]byte)
	defer c.r.files.Put(file)
	var src []byte
	var err error
	*file, src, err = a.ReadBodyTo(c.r.Bodies, *file)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), a.Path+": ")
		return diag.Diagnostic{File: a.Path, Msg: fmt.Sprintf("%s (rendering page /%s)", msg, c.Page.Path)}
	}
	return c.writeFrame(buf, nil, func() error {
		c.writeArticleMain(buf, d, src)
		return nil
	})
}

// writeArticleMain writes article.html's "main".
func (c *Context) writeArticleMain(buf *bytes.Buffer, d *site.ArticleData, src []byte) {
	a := d.Article
	w := htmlWriter{buf}
	w.raw("\n<article>\n<header>\n<h1>")
	w.text(a.Title)
	w.raw("</h1>\n<p class=\"meta\">\n  <bdi><a href=\"")
	w.url(c.URL(d.Source))
	w.raw("\">")
	w.text(d.Source.Name)
	w.raw("</a></bdi> <span class=\"affiliation\">(")
	w.text(d.Source.Affiliation())
	w.raw(")</span>\n  · <time datetime=\"")
	w.text(a.Date.Format(isoDate))
	w.raw("\">")
	w.text(a.Date.Format(longDate))
	w.raw("</time>\n</p>\n<p class=\"meta\">\n  Topics: ")
	for i, t := range a.AllTopics() {
		if i > 0 {
			w.raw(", ")
		}
		w.raw("<a href=\"")
		w.url(c.URL(t))
		w.raw("\">")
		w.text(t.Name)
		w.raw("</a>")
	}
	w.raw("\n  · Round: ")
	if a.Round != nil {
		w.raw("<a href=\"")
		w.url(c.URL(a.Round))
		w.raw("\">")
		w.text(a.Round.Name)
		w.raw("</a> (")
		w.text(string(d.Phase))
		w.raw(")")
	} else {
		w.raw("<a href=\"")
		w.url(c.URL("rounds/none/"))
		w.raw("\">outside the rounds</a>")
	}
	w.raw("\n</p>\n")
	if len(a.Review) > 0 {
		w.raw("<p class=\"review\">An editor has yet to check: ")
		w.text(strings.Join(a.Review, ", "))
		w.raw(".</p>")
	}
	w.raw("\n</header>\n<div class=\"body\">\n")
	// As Context.Body, rendered straight into the page.
	c.r.Markdown.RenderTo(buf, a.Hash, src)
	w.raw("\n</div>\n")
	if c.SafeURL(a.URL) {
		w.raw("<p class=\"original\"><a href=\"")
		w.url(a.URL)
		w.raw("\" rel=\"noopener\">Read the original at <bdi>")
		w.text(c.Host(a.URL))
		w.raw("</bdi></a></p>")
	}
	w.raw("\n</article>\n<nav class=\"prevnext\" aria-label=\"Within this round\">\n  ")
	if d.Prev != nil {
		w.link("prev", c.URL(d.Prev), "← <bdi>", d.Prev.Title, "</bdi>")
	}
	w.raw("\n  ")
	if d.Next != nil {
		w.link("next", c.URL(d.Next), "<bdi>", d.Next.Title, "</bdi> →")
	}
	w.raw("\n</nav>")
}

// writeListMain writes the "main" of the default list.html, topic.html,
// round.html or source.html, by layout, for a page of c's ListData. It
// reports false when the page is not one of those, for the template to
// write it.
func (c *Context) writeListMain(buf *bytes.Buffer, layout string) (bool, error) {
	d, ok := c.Data.(*site.ListData)
	if !ok {
		return false, nil
	}
	w := htmlWriter{buf}
	total := func() {
		w.raw(strconv.Itoa(d.Total))
		w.raw(" article")
		if d.Total != 1 {
			w.raw("s")
		}
	}
	heading := func() { // and the lede under it
		w.raw("\n<h1>")
		w.text(d.Heading)
		w.raw("</h1>\n")
		if d.Intro != "" {
			w.raw("<p class=\"lede\">")
			w.text(d.Intro)
			w.raw("</p>")
		}
	}
	entries := func(list []*content.Article) error {
		w.raw("<ul class=\"entries\">")
		if err := c.writeEntries(buf, list); err != nil {
			return err
		}
		w.raw("</ul>")
		return nil
	}
	// groups writes the groups of list.html and round.html: title writes
	// the heading of a group that has a title.
	groups := func(title func(site.Group)) error {
		for _, g := range d.Groups {
			w.raw("\n")
			if g.Title != "" {
				title(g)
			}
			w.raw("\n")
			if err := entries(g.Articles); err != nil {
				return err
			}
			w.raw("\n")
		}
		return nil
	}
	switch layout {
	case "list":
		heading()
		w.raw("\n<p class=\"meta\">")
		total()
		if d.Round != nil {
			w.raw(" · ")
			w.link("", c.URL(d.Round), "", d.Round.Name, "")
		}
		if d.Topic != nil {
			w.raw(" · ")
			w.link("", c.URL(d.Topic), "all on ", d.Topic.Name, "")
		}
		if d.Feed != "" {
			w.raw(" · ")
			w.link("", c.URL(d.Feed), "feed", "", "")
		}
		w.raw("</p>\n")
		err := groups(func(g site.Group) {
			w.raw("<h2>")
			if g.Path != "" {
				w.link("", c.URL(g.Path), "", g.Title, "")
			} else {
				w.text(g.Title)
			}
			w.raw("</h2>")
		})
		if err != nil {
			return true, err
		}
	case "topic":
		heading()
		w.raw("\n<p class=\"meta\">")
		total()
		w.raw(", newest round first · ")
		w.link("", c.URL(d.Feed), "feed", "", "")
		w.raw("</p>\n")
		for _, g := range d.Groups {
			w.raw("\n<h2>")
			w.link("", c.URL(g.Path), "", g.Title, "")
			w.raw("</h2>\n")
			if err := entries(g.Articles); err != nil {
				return true, err
			}
			w.raw("\n")
		}
	case "round":
		heading()
		w.raw("\n")
		if d.Round != nil && d.Pager != nil && d.Pager.Page == 1 {
			if err := c.r.Templates.executeNamed(buf, layout, "roundcard", []any{c, d.Round}); err != nil {
				return true, err
			}
		}
		w.raw("\n")
		if len(d.Topics) > 0 {
			w.raw("<section><h2>By topic</h2><ul class=\"chips\">")
			for _, t := range d.Topics {
				w.raw("<li>")
				w.link("", c.URL(t.Path), "", t.Topic.Name, " <span class=\"count\">"+strconv.Itoa(t.Count)+"</span>")
				w.raw("</li>")
			}
			w.raw("</ul></section>")
		}
		w.raw("\n<section>\n<h2>Coverage</h2>\n<p class=\"meta\">")
		total()
		if d.Feed != "" {
			w.raw(" · ")
			w.link("", c.URL(d.Feed), "feed", "", "")
		}
		w.raw("</p>\n")
		err := groups(func(g site.Group) {
			w.raw("<h3>")
			w.text(g.Title)
			w.raw("</h3>")
		})
		if err != nil {
			return true, err
		}
	case "source":
		s := d.Source
		if s == nil {
			return false, nil
		}
		w.raw("\n<h1>")
		w.text(s.Name)
		w.raw("</h1>\n<p class=\"lede\">")
		w.text(s.Affiliation())
		if src := s.Source; src != nil {
			if src.Country != "" {
				w.raw(" · ")
				w.text(src.Country)
			}
			if c.SafeURL(src.Homepage) {
				w.raw(" · <a href=\"")
				w.url(src.Homepage)
				w.raw("\" rel=\"noopener\"><bdi>")
				w.text(c.Host(src.Homepage))
				w.raw("</bdi></a>")
			}
		}
		w.raw("</p>\n")
		if s.Source == nil {
			w.raw("<p class=\"review\">This outlet is not in the sources registry (content/sources.yaml).</p>")
		}
		w.raw("\n<p class=\"meta\">")
		total()
		w.raw("</p>\n")
		for _, g := range d.Groups {
			if err := entries(g.Articles); err != nil {
				return true, err
			}
		}
	default:
		return false, nil
	}
	w.raw("\n")
	c.writePager(buf, d.Pager)
	if layout == "round" {
		w.raw("\n</section>")
	}
	return true, nil
}

// writePager writes the "pager" template of base.html.
func (c *Context) writePager(buf *bytes.Buffer, p *site.Pager) {
	w := htmlWriter{buf}
	w.raw("\n")
	if p == nil || p.Pages <= 1 {
		return
	}
	w.raw("<nav class=\"pager\" aria-label=\"Pages\">\n  ")
	if p.Prev != "" {
		w.link("prev", c.URL(p.Prev), "← Previous page", "", "")
	}
	w.raw("\n  <span>Page " + strconv.Itoa(p.Page) + " of " + strconv.Itoa(p.Pages) + "</span>\n  ")
	if p.Next != "" {
		w.link("next", c.URL(p.Next), "Next page →", "", "")
	}
	w.raw("\n</nav>")
}

// writeEntry writes an article's entry in a list as the default "entry"
// template of base.html does.
func (c *Context) writeEntry(buf *bytes.Buffer, a *content.Article) error {
	summary, err := c.Summary(a)
	if err != nil {
		return err
	}
	w := htmlWriter{buf}
	w.raw("\n<li class=\"entry\">\n  <a class=\"title\" href=\"")
	w.url(c.URL(a))
	w.raw("\"><bdi>")
	w.text(a.Title)
	w.raw("</bdi></a>\n  <span class=\"meta\"><time datetime=\"")
	w.text(a.Date.Format(isoDate))
	w.raw("\">")
	w.text(a.Date.Format(longDate))
	w.raw("</time> · <bdi>")
	w.text(c.Source(a).Name)
	w.raw("</bdi>")
	if phase := c.Phase(a); phase != "" {
		w.raw(" · ")
		w.text(phase)
	}
	w.raw("</span>\n  ")
	if summary != "" {
		w.raw("<p class=\"summary\">")
		w.text(summary)
		w.raw("</p>")
	}
	w.raw("\n</li>")
	return nil
}

// Formats of the "isodate" and "date" template functions.
const (
	isoDate  = "2006-01-02"
	longDate = "2 January 2006"
)

// htmlWriter writes HTML with html/template's escaping.
type htmlWriter struct{ b *bytes.Buffer }

func (w htmlWriter) raw(s string) { w.b.WriteString(s) }

// link writes <a rel="REL" href="URL">BEFORE TITLE AFTER</a>, without
// the rel attribute when rel is "". BEFORE and AFTER are HTML.
func (w htmlWriter) link(rel, url, before, title, after string) {
	if rel == "" {
		w.raw("<a href=\"")
	} else {
		w.raw("<a rel=\"" + rel + "\" href=\"")
	}
	w.url(url)
	w.raw("\">" + before)
	w.text(title)
	w.raw(after + "</a>")
}

// text writes s escaped for HTML text and quoted attribute values, as
// html/template does: NUL becomes U+FFFD, and " & ' + < > become
// character references.
func (w htmlWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !textSpecial[s[i]] {
			continue
		}
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		w.b.WriteString(s[last:i])
		w.b.WriteString(rep)
		last = i + 1
	}
	w.b.WriteString(s[last:])
}

// textSpecial marks the bytes text escapes; most text has none of them.
var textSpecial = [256]bool{0: true, '"': true, '&': true, '\'': true, '+': true, '<': true, '>': true}

// url writes s as html/template writes a value at the start of an href
// attribute: a URL whose scheme is not http, https or mailto becomes
// "#ZgotmplZ"; bytes outside the URL's own characters are percent-encoded
// (well-formed escapes are kept); then & and + are escaped for the
// attribute.
func (w htmlWriter) url(s string) {
	if !safeScheme(s) {
		w.b.WriteString("#ZgotmplZ")
		return
	}
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			w.b.WriteString("&amp;")
		case c == '+':
			w.b.WriteString("&#43;")
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0,
			c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			w.b.WriteByte(c)
		default:
			w.b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// safeScheme reports whether s has no scheme or an http, https or mailto
// one.
func safeScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}
