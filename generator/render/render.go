package render

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"io/fs"
	"strings"
	"sync"
	"time"

	"digest/generator/content"
	"digest/generator/site"
)

// Renderer renders the pages and files of one build.
type Renderer struct {
	Bodies    fs.FS // the site root, to read article bodies from
	Templates *Templates
	Markdown  *Markdown
	Model     *site.Model
	BaseURL   string    // absolute, ends in "/"
	basePath  string    // path part of BaseURL, starts and ends with "/"
	entries   sync.Map  // entry set -> *sync.Map of *content.Article -> []string, an entry split at rootToken; see Context.Entry
	rootToken string    // stands for a page's root in entries rendered once for every page
	files     sync.Pool // *[]byte, to read article files into

	// Epoch is the time of an empty feed (from SOURCE_DATE_EPOCH); zero
	// for a fixed one.
	Epoch time.Time

	// SearchCache, when not nil, keeps each article's encoded search entry
	// by article across builds (a content.Loader hands back the same
	// *Article for a file that did not change). The caller must empty it whenever the
	// registries, layouts or base URL change.
	SearchCache map[*content.Article][]byte
}

// NewRenderer returns a renderer for one build of model.
func NewRenderer(bodies fs.FS, t *Templates, md *Markdown, model *site.Model, baseURL string) *Renderer {
	if !strings.HasSuffix(baseURL, "/") {
		baseURL += "/"
	}
	bp := "/"
	if i := strings.Index(baseURL, "://"); i >= 0 {
		if j := strings.Index(baseURL[i+3:], "/"); j >= 0 {
			bp = baseURL[i+3+j:]
		}
	} else if strings.HasPrefix(baseURL, "/") {
		bp = baseURL
	}
	return &Renderer{Bodies: bodies, Templates: t, Markdown: md, Model: model, BaseURL: baseURL, basePath: bp, rootToken: newRootToken(),
		files: sync.Pool{New: func() any { return new([]byte) }}}
}

// entrySet returns the entries rendered so far for a layout's entry set.
func (r *Renderer) entrySet(layout string) *sync.Map {
	set := r.Templates.entrySet(layout)
	if m, ok := r.entries.Load(set); ok {
		return m.(*sync.Map)
	}
	m, _ := r.entries.LoadOrStore(set, new(sync.Map))
	return m.(*sync.Map)
}

// OutputName returns the file a page is written to, relative to the output
// root: "" is index.html, "x/" is x/index.html.
func OutputName(pagePath string) string {
	if pagePath == "" || strings.HasSuffix(pagePath, "/") {
		return pagePath + "index.html"
	}
	return pagePath
}

// Page renders one page into buf.
func (r *Renderer) Page(buf *bytes.Buffer, p *site.Page) error {
	ctx := r.context(p)
	t := r.Templates
	if f := t.fast[p.Layout]; f != nil {
		n := buf.Len()
		if f.writePage(&fastWriter{buf: buf, t: t, layout: p.Layout}, ctx) == nil {
			return nil
		}
		buf.Truncate(n) // the template writes the page, or says what is wrong with it
	}
	return t.Execute(buf, p.Layout, ctx)
}

// context returns what the layouts of page p receive as ".".
func (r *Renderer) context(p *site.Page) *Context {
	ctx := &Context{Site: r.Model, Page: p, Data: p.Data, Root: rootFor(p.Path), BaseURL: r.BaseURL, r: r}
	switch p.Path {
	case "":
		ctx.Root = "./"
	case "404.html":
		ctx.Root = r.basePath
	}
	return ctx
}

// Summary returns an article's summary, reading its body if need be.
func (r *Renderer) Summary(a *content.Article) (string, error) {
	return r.Markdown.Summary(a.Hash, func() ([]byte, error) { return a.ReadBody(r.Bodies) })
}

// FeedSize is the most entries an Atom feed carries.
const FeedSize = 50

// File is a generated file other than a page.
type File struct {
	Name string // relative to the output root
	Data []byte
}

// Feed is one Atom feed to write: the whole digest's, a topic's or a
// round's.
type Feed struct {
	Name     string             // output file, such as "topics/ceasefire/feed.xml"
	Title    string             // feed title
	PagePath string             // site path of the page the feed follows
	Articles []*content.Article // its entries, newest first, at most FeedSize
}

// Feeds lists the Atom feeds: the whole digest, each topic and each round.
func (r *Renderer) Feeds() []Feed {
	m := r.Model
	top := func(list []*content.Article) []*content.Article { return list[:min(FeedSize, len(list))] }
	feeds := []Feed{{"feed.xml", m.Config.Title, "", top(m.Articles)}}
	for _, t := range m.Content.Topics {
		p := site.TopicPath(t)
		feeds = append(feeds, Feed{p + "feed.xml", t.Name + " — " + m.Config.Title, p, top(m.ByTopic(t.ID))})
	}
	for _, rd := range m.Content.Rounds {
		p := site.RoundPath(rd.ID)
		feeds = append(feeds, Feed{p + "feed.xml", rd.Name + " — " + m.Config.Title, p, top(m.ByRound(rd.ID))})
	}
	return feeds
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomAuthor `xml:"author,omitempty"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Author    atomAuthor `xml:"author"`
	Category  []atomCat  `xml:"category"`
	Summary   atomText   `xml:"summary"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// Atom renders a feed. Its updated time is the newest article's date,
// never the build time, so the same content gives the same bytes. Its
// texts are BidiSafe: feed readers show them among other text.
func (r *Renderer) Atom(fd Feed) ([]byte, error) {
	title, pagePath, list := fd.Title, fd.PagePath, fd.Articles
	f := atomFeed{
		Title:  BidiSafe(title),
		ID:     r.BaseURL + pagePath,
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: r.BaseURL + pagePath + "feed.xml"}, {Rel: "alternate", Type: "text/html", Href: r.BaseURL + pagePath}},
		Author: &atomAuthor{Name: BidiSafe(r.Model.Config.Title)},
	}
	// A feed with no entry yet needs a time too: SOURCE_DATE_EPOCH's
	// when set, else a fixed one.
	updated := r.Epoch
	if updated.IsZero() {
		updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if len(list) > 0 {
		updated = list[0].Date
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	for _, a := range list {
		u := r.BaseURL + site.ArticlePath(a)
		summary, err := r.Summary(a)
		if err != nil {
			return nil, err
		}
		e := atomEntry{
			Title:     BidiSafe(a.Title),
			ID:        u,
			Updated:   a.Date.UTC().Format(time.RFC3339),
			Published: a.Date.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: u}},
			Author:    atomAuthor{Name: BidiSafe(r.Model.SourceOf(a).Name)},
			Summary:   atomText{Type: "text", Body: BidiSafe(summary)},
		}
		for _, t := range a.AllTopics() {
			e.Category = append(e.Category, atomCat{Term: t.ID, Label: BidiSafe(t.Name)})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f), nil
}

// Sitemap lists every page but 404.html with its absolute URL. An article
// page's lastmod is its date. It is written directly rather than through
// encoding/xml: a large digest has tens of thousands of URLs, rewritten on
// every rebuild, and each needs only its text escaped.
func (r *Renderer) Sitemap(pages []*site.Page) []byte {
	var buf bytes.Buffer
	buf.Grow(64 + len(pages)*(len(r.BaseURL)+64))
	buf.WriteString(xml.Header)
	buf.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	var base bytes.Buffer
	xml.EscapeText(&base, []byte(r.BaseURL))
	for _, p := range pages {
		if p.Path == "404.html" {
			continue
		}
		buf.WriteString(" <url>\n  <loc>")
		buf.Write(base.Bytes())
		if strings.ContainsAny(p.Path, "&<>\"'") {
			xml.EscapeText(&buf, []byte(p.Path))
		} else {
			buf.WriteString(p.Path) // site paths are slugs: nothing to escape
		}
		buf.WriteString("</loc>\n")
		if d, ok := p.Data.(*site.ArticleData); ok {
			buf.WriteString("  <lastmod>")
			buf.WriteString(d.Article.Date.UTC().Format(time.DateOnly))
			buf.WriteString("</lastmod>\n")
		}
		buf.WriteString(" </url>\n")
	}
	buf.WriteString("</urlset>\n")
	return buf.Bytes()
}

func marshalXML(v any) []byte {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		panic(err) // the types above always encode
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// Robots returns robots.txt pointing at the sitemap.
func (r *Renderer) Robots() []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + r.BaseURL + "sitemap.xml\n")
}

// newRootToken returns a random token of letters and digits: escaping and
// URL normalisation leave it as it is, and no article can contain it, since
// none can know it in advance.
func newRootToken() string { return "root" + rand.Text() + "/" }
