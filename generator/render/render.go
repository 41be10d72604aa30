package render

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"digest/generator/content"
	"digest/generator/search"
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
	feedHTML  sync.Map  // article file hash -> string: a body's HTML, rendered once a build for all the feeds it is in
	feedOnce  sync.Once
	feedSet   map[uint64]bool // the hashes of the articles some feed shows; see inFeed

	// ForDisk makes the pages for reading from disk, as file: URLs, rather
	// than from a web server: every link inside the site names the file it
	// leads to (index.html, where a server would find it in the folder),
	// 404.html links relatively like every other page, and the search page
	// loads search-disk.js, which reads the index from its script form
	// (see search.Script) where the browser refuses fetch(). Links that
	// leave the site, the canonical and Open Graph URLs, feeds and the
	// sitemap stay absolute under the base URL.
	ForDisk bool

	// Epoch is the time of an empty feed (from SOURCE_DATE_EPOCH); zero
	// for a fixed one.
	Epoch time.Time

	// SearchCache, when not nil, keeps each article's encoded search entry
	// by article across builds (a content.Loader hands back the same
	// *Article for a file that did not change). The caller must empty it whenever the
	// registries, layouts or base URL change.
	SearchCache map[*content.Article][]byte
	// SearchJoin, when not nil, keeps the postings of the index across
	// builds, so that a build in which few articles changed updates only
	// theirs (see search.Joiner). The caller keeps it beside SearchCache.
	SearchJoin *search.Joiner

	// search is the index the article pages hand their bodies to, from
	// StartSearchIndex on (see SearchIndexer.articleBody).
	search atomic.Pointer[SearchIndexer]
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
	ctx := &Context{Site: r.Model, Page: p, Data: p.Data, Root: rootFor(p.Path), BaseURL: r.BaseURL, ForDisk: r.ForDisk, r: r}
	switch {
	case p.Path == "":
		ctx.Root = "./"
	case p.Path == "404.html" && r.ForDisk:
		ctx.Root = "./" // no server shows it at another address
	case p.Path == "404.html":
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
	Content   atomText   `xml:"content"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// Atom renders a feed. Each entry carries the article's summary and its
// body as escaped HTML; its updated time is the article's last change
// (LastChange) and the feed's the latest of its entries', never the build
// time, so the same content gives the same bytes. A feed with no entry yet
// takes SOURCE_DATE_EPOCH's time when set, else the latest round's date.
// Its texts are BidiSafe: feed readers show them among other text.
func (r *Renderer) Atom(fd Feed) ([]byte, error) {
	title, pagePath, list := fd.Title, fd.PagePath, fd.Articles
	f := atomFeed{
		Title:  BidiSafe(title),
		ID:     r.BaseURL + pagePath,
		Links:  []atomLink{{Rel: "self", Type: "application/atom+xml", Href: r.BaseURL + pagePath + "feed.xml"}, {Rel: "alternate", Type: "text/html", Href: r.BaseURL + pagePath}},
		Author: &atomAuthor{Name: BidiSafe(r.Model.Config.Title)},
	}
	var updated time.Time
	for _, a := range list {
		u := r.BaseURL + site.ArticlePath(a)
		summary, err := r.Summary(a)
		if err != nil {
			return nil, err
		}
		body, err := r.feedBody(a)
		if err != nil {
			return nil, err
		}
		changed := LastChange(a)
		updated = later(updated, changed)
		e := atomEntry{
			Title:     BidiSafe(a.Title),
			ID:        u,
			Updated:   changed.UTC().Format(time.RFC3339),
			Published: a.Date.UTC().Format(time.RFC3339),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: u}},
			Author:    atomAuthor{Name: BidiSafe(r.Model.SourceOf(a).Name)},
			Summary:   atomText{Type: "text", Body: BidiSafe(summary)},
			// The HTML is goldmark's with raw HTML dropped, as on the
			// article's page; encoding/xml escapes it.
			Content: atomText{Type: "html", Body: body},
		}
		if safeURL(a.URL) {
			// The original, where the article was first published.
			e.Links = append(e.Links, atomLink{Rel: "via", Type: "text/html", Href: asciiURL(a.URL)})
		}
		for _, t := range a.AllTopics() {
			e.Category = append(e.Category, atomCat{Term: t.ID, Label: BidiSafe(t.Name)})
		}
		f.Entries = append(f.Entries, e)
	}
	if len(list) == 0 {
		updated = r.Epoch
		if updated.IsZero() {
			updated = r.latestRound()
		}
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	return marshalXML(f), nil
}

// latestRound is the latest date of the site's rounds (a round's end date
// when it has one), else the Unix epoch. It is what an empty feed is
// dated: the rounds come from the registries, which every feed's
// fingerprint covers, so an empty feed is written again whenever this
// changes.
func (r *Renderer) latestRound() time.Time {
	var t time.Time
	for _, rd := range r.Model.Content.Rounds {
		t = later(later(t, rd.Date.Time), rd.EndDate.Time)
	}
	if t.IsZero() {
		return time.Unix(0, 0)
	}
	return t
}

// keepForFeeds keeps html, the body of a just rendered for its page, when
// a feed shows a, so that the feeds need not render it again.
func (r *Renderer) keepForFeeds(a *content.Article, html []byte) {
	if r.inFeed(a.Hash) {
		r.feedHTML.LoadOrStore(a.Hash, BidiSafe(string(html)))
	}
}

// inFeed reports whether some feed shows the article file with this hash.
func (r *Renderer) inFeed(hash uint64) bool {
	r.feedOnce.Do(func() {
		r.feedSet = map[uint64]bool{}
		for _, f := range r.Feeds() {
			for _, a := range f.Articles {
				r.feedSet[a.Hash] = true
			}
		}
	})
	return r.feedSet[hash]
}

// feedBody returns the HTML of a's body for a feed entry, BidiSafe. An
// article is in the feed of the site, of each of its topics and of its
// round; its body is read and rendered once a build, not once a feed.
func (r *Renderer) feedBody(a *content.Article) (string, error) {
	if v, ok := r.feedHTML.Load(a.Hash); ok {
		return v.(string), nil
	}
	src, err := a.ReadBody(r.Bodies)
	if err != nil {
		return "", err
	}
	body := BidiSafe(string(r.Markdown.Render(a.Hash, src).HTML))
	r.feedHTML.Store(a.Hash, body)
	return body, nil
}

// LastChange is when an article last changed: its front matter's updated:
// (or modified:) date when that is a valid date after its date, else its
// date.
func LastChange(a *content.Article) time.Time {
	t := a.Date
	for _, key := range []string{"updated", "modified"} {
		var u time.Time
		switch v := a.Params[key].(type) {
		case time.Time:
			u = v
		case string:
			u, _ = content.ParseDate(v)
		}
		t = later(t, u)
	}
	return t
}

// asciiURL percent-encodes every byte of raw outside printable ASCII, as
// the pages' links do: a URL copied from a scraped page may carry spaces,
// controls or bidirectional overrides that a feed reader would show.
func asciiURL(raw string) string {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
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
