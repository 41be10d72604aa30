package render

import (
	"encoding/xml"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"digest/generator/site"
	"digest/layouts"

	"golang.org/x/net/html"
)

// builtPage is one rendered page of a test site, parsed.
type builtPage struct {
	page *site.Page
	text string
	doc  *html.Node
}

// renderPages renders every page of s with the default layouts.
func renderPages(t *testing.T, s *testSite) (*Renderer, []builtPage) {
	t.Helper()
	r := s.renderer(t, layouts.FS)
	var out []builtPage
	for _, p := range s.pages {
		text := page(t, r, p)
		doc, err := html.Parse(strings.NewReader(text))
		if err != nil {
			t.Fatalf("/%s: %v", p.Path, err)
		}
		out = append(out, builtPage{p, text, doc})
	}
	return r, out
}

// elements returns the elements under n named tag, in document order.
func elements(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// sameURL reports whether href, as a page writes it (html/template
// percent-encodes what a URL may not carry), is raw.
func sameURL(href, raw string) bool {
	h, err1 := url.PathUnescape(href)
	r, err2 := url.PathUnescape(raw)
	return err1 == nil && err2 == nil && h == r
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

// TestOriginalLinks checks that every article with a url: links to its
// original, on its page, in every list entry and in every feed entry, with
// the host shown and neither opener nor referrer passed on.
func TestOriginalLinks(t *testing.T) {
	for _, archive := range []string{"basic.txtar", "hostile.txtar"} {
		s := loadSite(t, siteFS(t, archive))
		r, pages := renderPages(t, s)
		withURL := 0
		for _, a := range s.model.Articles {
			if safeURL(a.URL) {
				withURL++
			}
		}
		if withURL == 0 {
			t.Fatalf("%s: no article has a url:; the test proves nothing", archive)
		}
		for _, bp := range pages {
			for _, link := range elements(bp.doc, "a") {
				href := attr(link, "href")
				var a = s.model.Articles[0]
				found := false
				for _, x := range s.model.Articles {
					if x.URL != "" && sameURL(href, x.URL) {
						a, found = x, true
					}
				}
				if !found {
					continue
				}
				if got := attr(link, "rel"); got != "noopener noreferrer" {
					t.Errorf("%s /%s: link to %s: rel %q; want %q", archive, bp.page.Path, href, got, "noopener noreferrer")
				}
				if host := (&Context{}).Host(a.URL); !strings.Contains(textOf(link), host) {
					t.Errorf("%s /%s: link to %s: text %q; want the host %q", archive, bp.page.Path, href, textOf(link), host)
				}
			}
			// Every entry (and the article page) of an article with a url:
			// carries the link.
			for _, a := range s.model.Articles {
				if !safeURL(a.URL) {
					continue
				}
				self := bp.page.Path == site.ArticlePath(a)
				for _, li := range elements(bp.doc, "li") {
					if attr(li, "class") != "entry" {
						continue
					}
					var title, original bool
					for _, link := range elements(li, "a") {
						if strings.HasSuffix(attr(link, "href"), site.ArticlePath(a)) && attr(link, "class") == "title" {
							title = true
						}
						if sameURL(attr(link, "href"), a.URL) {
							original = true
						}
					}
					if title && !original {
						t.Errorf("%s /%s: the entry of %s has no link to its original %s", archive, bp.page.Path, a.Path, a.URL)
					}
				}
				if self {
					n := 0
					for _, link := range elements(bp.doc, "a") {
						if sameURL(attr(link, "href"), a.URL) {
							n++
						}
					}
					if n == 0 {
						t.Errorf("%s /%s: no link to the original %s", archive, bp.page.Path, a.URL)
					}
				}
			}
		}
		for _, fd := range r.Feeds() {
			data, err := r.Atom(fd)
			if err != nil {
				t.Fatal(err)
			}
			var feed struct {
				Entries []struct {
					ID    string `xml:"id"`
					Links []struct {
						Rel  string `xml:"rel,attr"`
						Href string `xml:"href,attr"`
					} `xml:"link"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(data, &feed); err != nil {
				t.Fatalf("%s %s: %v", archive, fd.Name, err)
			}
			for i, e := range feed.Entries {
				a := fd.Articles[i]
				var via []string
				for _, l := range e.Links {
					if l.Rel == "via" {
						via = append(via, l.Href)
					}
				}
				want := []string(nil)
				if safeURL(a.URL) {
					want = []string{a.URL}
				}
				if len(via) != len(want) || len(via) == 1 && (!sameURL(via[0], want[0]) || strings.ContainsFunc(via[0], func(r rune) bool { return r <= ' ' || r >= 0x7f })) {
					t.Errorf("%s %s: entry %s: via links %q; want %q, in printable ASCII", archive, fd.Name, e.ID, via, want)
				}
			}
		}
	}
}

// focusable reports whether n takes the focus on Tab.
func focusable(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if ti := attr(n, "tabindex"); ti != "" {
		return !strings.HasPrefix(ti, "-")
	}
	switch n.Data {
	case "a":
		return attr(n, "href") != ""
	case "input", "button", "select", "textarea":
		return attr(n, "type") != "hidden"
	}
	return false
}

// TestPageFrame checks what every page carries around its content: a skip
// link to the main content as the first thing Tab reaches, both colour
// schemes declared, and an icon that is one of the static files.
func TestPageFrame(t *testing.T) {
	s := loadSite(t, siteFS(t, "basic.txtar"))
	_, pages := renderPages(t, s)
	for _, bp := range pages {
		var first *html.Node
		for d := range bp.doc.Descendants() {
			if focusable(d) {
				first = d
				break
			}
		}
		if first == nil || attr(first, "class") != "skip" || attr(first, "href") != "#main" {
			t.Errorf("/%s: the first focusable element is %v; want the skip link to #main", bp.page.Path, first)
		}
		mains := elements(bp.doc, "main")
		if len(mains) != 1 || attr(mains[0], "id") != "main" {
			t.Errorf("/%s: %d main elements, the first without id=main; want one, id=main", bp.page.Path, len(mains))
		}
		var scheme, icon string
		for _, m := range elements(bp.doc, "meta") {
			if attr(m, "name") == "color-scheme" {
				scheme = attr(m, "content")
			}
		}
		for _, l := range elements(bp.doc, "link") {
			if attr(l, "rel") == "icon" {
				icon = attr(l, "href")
			}
		}
		if scheme != "light dark" {
			t.Errorf("/%s: color-scheme %q; want %q", bp.page.Path, scheme, "light dark")
		}
		root := rootFor(bp.page.Path)
		switch bp.page.Path {
		case "":
			root = "./"
		case "404.html":
			root = "/briefing/"
		}
		name, ok := strings.CutPrefix(icon, root)
		if !ok || !strings.HasSuffix(name, ".svg") {
			t.Errorf("/%s: icon %q; want an SVG file under the root %q", bp.page.Path, icon, root)
		} else if _, err := fs.Stat(layouts.FS, "static/"+name); err != nil {
			t.Errorf("/%s: icon %q: %v", bp.page.Path, icon, err)
		}
	}
}

// metaContent returns the content of the page's meta element whose name
// or property is key, and how many there are.
func metaContent(doc *html.Node, key string) (string, int) {
	var content string
	n := 0
	for _, m := range elements(doc, "meta") {
		if attr(m, "name") == key || attr(m, "property") == key {
			content = attr(m, "content")
			n++
		}
	}
	return content, n
}

// TestDescriptions checks each page's description and Open Graph tags: an
// article describes itself with its summary, every other page with what
// it lists, no two of those alike; og:url is the page's absolute URL under
// the base URL.
func TestDescriptions(t *testing.T) {
	for _, archive := range []string{"basic.txtar", "hostile.txtar"} {
		s := loadSite(t, siteFS(t, archive))
		r, pages := renderPages(t, s)
		seen := map[string]string{}
		for _, bp := range pages {
			where := archive + " /" + bp.page.Path
			desc, n := metaContent(bp.doc, "description")
			if n != 1 || desc == "" {
				t.Errorf("%s: %d descriptions, %q; want one, not empty", where, n, desc)
				continue
			}
			if og, _ := metaContent(bp.doc, "og:description"); og != desc {
				t.Errorf("%s: og:description %q; want the description %q", where, og, desc)
			}
			title, _ := metaContent(bp.doc, "og:title")
			typ, _ := metaContent(bp.doc, "og:type")
			u, nu := metaContent(bp.doc, "og:url")
			if d, ok := bp.page.Data.(*site.ArticleData); ok {
				summary, err := r.Summary(d.Article)
				if err != nil {
					t.Fatal(err)
				}
				if summary != "" && desc != BidiSafe(summary) {
					t.Errorf("%s: description %q; want the summary %q", where, desc, summary)
				}
				if typ != "article" || title != strings.ReplaceAll(BidiSafe(d.Article.Title), "\x00", "\uFFFD") { // as the HTML parser reads a NUL
					t.Errorf("%s: og:type %q, og:title %q; want article, %q", where, typ, title, d.Article.Title)
				}
			} else {
				if other, dup := seen[desc]; dup {
					t.Errorf("%s: description %q, as on /%s; want one of its own", where, desc, other)
				}
				seen[desc] = bp.page.Path
				if typ != "website" || title == "" {
					t.Errorf("%s: og:type %q, og:title %q; want website and a title", where, typ, title)
				}
			}
			switch {
			case bp.page.Path == "404.html":
				if nu != 0 {
					t.Errorf("%s: og:url %q; want none for the missing page", where, u)
				}
			case u != r.BaseURL+bp.page.Path || !strings.HasPrefix(u, "https://"):
				t.Errorf("%s: og:url %q; want %q", where, u, r.BaseURL+bp.page.Path)
			}
		}
	}
}

// TestListOrder checks that every list runs newest first, but for those
// that say they run oldest first, and that the home page says how recent
// it is: as of the newest article's date.
func TestListOrder(t *testing.T) {
	s := loadSite(t, siteFS(t, "basic.txtar"))
	_, pages := renderPages(t, s)
	for _, bp := range pages {
		switch d := bp.page.Data.(type) {
		case *site.ListData:
			says := strings.Contains(textOf(bp.doc), "oldest first")
			if !says && !strings.Contains(textOf(bp.doc), "newest first") && !strings.Contains(textOf(bp.doc), "newest round first") {
				t.Errorf("/%s: the page does not say in which order it lists", bp.page.Path)
			}
			for _, g := range d.Groups {
				for i := 1; i < len(g.Articles); i++ {
					prev, cur := g.Articles[i-1].Date, g.Articles[i].Date
					if (!says && cur.After(prev)) || (says && cur.Before(prev)) {
						t.Errorf("/%s: %s (%s) after %s (%s); want the page's order (oldest first: %v)",
							bp.page.Path, g.Articles[i].Path, isoDateOf(cur), g.Articles[i-1].Path, isoDateOf(prev), says)
					}
				}
			}
		case *site.HomeData:
			want := "As of " + longDateOf(s.model.Articles[0].Date)
			if got := textOf(bp.doc); !strings.Contains(got, want) {
				t.Errorf("home page: no %q", want)
			}
		}
	}
}

// TestFeedEntries checks the feeds of the basic site with one article
// updated after its date: each entry carries the article's body as
// escaped HTML and its last change as updated; a feed is as new as its
// newest change, and an empty feed as the latest round, never a fixed
// date.
func TestFeedEntries(t *testing.T) {
	fsys := siteFS(t, "basic.txtar")
	const name = "content/articles/talks-day.md"
	f := fsys[name]
	edited := strings.Replace(string(f.Data), "date: 2025-05-16\n", "date: 2025-05-16\nupdated: 2025-08-01\n", 1)
	if edited == string(f.Data) {
		t.Fatalf("%s: no date line to add updated: after", name)
	}
	fsys[name] = &fstest.MapFile{Data: []byte(edited)}
	s := loadSite(t, fsys)
	r := s.renderer(t, layouts.FS)

	empty := 0
	for _, fd := range r.Feeds() {
		data, err := r.Atom(fd)
		if err != nil {
			t.Fatal(err)
		}
		var feed struct {
			Updated string `xml:"updated"`
			Entries []struct {
				ID        string `xml:"id"`
				Updated   string `xml:"updated"`
				Published string `xml:"published"`
				Content   struct {
					Type string `xml:"type,attr"`
					Body string `xml:",chardata"`
				} `xml:"content"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(data, &feed); err != nil {
			t.Fatalf("%s: %v", fd.Name, err)
		}
		newest := ""
		for i, e := range feed.Entries {
			a := fd.Articles[i]
			body, err := (&Context{r: r}).Body(a)
			if err != nil {
				t.Fatal(err)
			}
			if e.Content.Type != "html" || e.Content.Body != string(body) || !strings.Contains(e.Content.Body, "<p>") {
				t.Errorf("%s: entry %s: content (%s) %q; want (html) the body %q", fd.Name, e.ID, e.Content.Type, e.Content.Body, body)
			}
			want := a.Date.UTC().Format(time.RFC3339)
			if a.Path == name {
				want = "2025-08-01T00:00:00Z"
			}
			if e.Updated != want || e.Published != a.Date.UTC().Format(time.RFC3339) {
				t.Errorf("%s: entry %s: updated %s, published %s; want %s, %s", fd.Name, e.ID, e.Updated, e.Published, want, a.Date.UTC().Format(time.RFC3339))
			}
			newest = max(newest, e.Updated)
		}
		if len(feed.Entries) == 0 {
			empty++
			newest = "2025-07-23T00:00:00Z" // the latest round's date
		}
		if feed.Updated != newest {
			t.Errorf("%s: updated %s; want %s", fd.Name, feed.Updated, newest)
		}
	}
	if empty == 0 {
		t.Error("the basic site has no empty feed; the test proves less than it says")
	}
}
