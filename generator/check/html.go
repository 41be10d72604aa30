package check

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is what the check needs of one HTML file.
type page struct {
	anchors map[string]bool // ids, and names of a elements
	links   []link          // in document order
	baseRef string          // href of the base element, "" when none
}

// linkKind says how a reference is used, which names its failure.
type linkKind int

const (
	navigation linkKind = iota // a page the reader goes to: "broken link"
	asset                      // a file the page loads: "missing asset"
	canonical                  // link rel=canonical: must be absolute too
)

// link is one reference found in a page.
type link struct {
	raw  string
	kind linkKind
}

// parsePages parses every .html file of the output, in parallel.
func (c *checker) parsePages(ctx context.Context) error {
	var names []string
	for name := range c.files {
		if strings.HasSuffix(name, ".html") {
			names = append(names, name)
		}
	}
	sort.Strings(names)

	jobs := make(chan string)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				p, err := readPage(c.fsys, name)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				c.pages[name] = p
				mu.Unlock()
			}
		}()
	}
	for _, name := range names {
		if ctx.Err() != nil {
			break
		}
		jobs <- name
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// readPage reads and parses one HTML file.
func readPage(fsys fs.FS, name string) (*page, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	// With scripting off, the content of noscript is parsed as elements:
	// its links are real links for readers without JavaScript.
	doc, err := html.ParseWithOptions(bytes.NewReader(data), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, fmt.Errorf("check: %s: %w", name, err)
	}
	p := &page{anchors: map[string]bool{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if id := attr(n, "id"); id != "" {
			p.anchors[id] = true
		}
		if n.DataAtom == atom.A {
			if name := attr(n, "name"); name != "" {
				p.anchors[name] = true
			}
		}
		if n.DataAtom == atom.Base && p.baseRef == "" {
			p.baseRef = strings.TrimSpace(attr(n, "href"))
			continue
		}
		p.links = append(p.links, elementLinks(n)...)
	}
	return p, nil
}

// elementLinks returns the references an element makes.
func elementLinks(n *html.Node) []link {
	var out []link
	add := func(key string, kind linkKind) {
		if v := strings.TrimSpace(attr(n, key)); v != "" {
			out = append(out, link{raw: v, kind: kind})
		}
	}
	addSrcset := func() {
		for _, u := range srcsetURLs(attr(n, "srcset")) {
			out = append(out, link{raw: u, kind: asset})
		}
	}
	switch n.DataAtom {
	case atom.A, atom.Area:
		add("href", navigation)
	case atom.Link:
		add("href", linkRelKind(attr(n, "rel")))
	case atom.Img:
		add("src", asset)
		addSrcset()
	case atom.Source:
		add("src", asset)
		addSrcset()
	case atom.Script, atom.Audio, atom.Track, atom.Embed:
		add("src", asset)
	case atom.Video:
		add("src", asset)
		add("poster", asset)
	case atom.Iframe:
		add("src", navigation)
	case atom.Object:
		add("data", asset)
	case atom.Input:
		if strings.EqualFold(attr(n, "type"), "image") {
			add("src", asset)
		}
		add("formaction", navigation)
	case atom.Form:
		add("action", navigation)
	case atom.Button:
		add("formaction", navigation)
	case atom.Blockquote, atom.Q, atom.Del, atom.Ins:
		add("cite", navigation)
	case atom.Meta:
		if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
			if u := refreshURL(attr(n, "content")); u != "" {
				out = append(out, link{raw: u, kind: navigation})
			}
		}
	}
	return out
}

// linkRelKind classifies a link element by its rel tokens: a stylesheet,
// icon or preload is loaded by the page; canonical must be absolute; any
// other (alternate, next, prev...) is a link the reader may follow.
func linkRelKind(rel string) linkKind {
	kind := navigation
	for _, tok := range strings.Fields(strings.ToLower(rel)) {
		switch tok {
		case "canonical":
			return canonical
		case "stylesheet", "icon", "apple-touch-icon", "mask-icon", "manifest", "preload", "modulepreload", "prefetch":
			kind = asset
		}
	}
	return kind
}

// attr returns the value of the attribute key of n, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// srcsetURLs returns the URLs of a srcset attribute: a comma-separated list
// of "URL [descriptor]" candidates, where a URL may itself contain commas
// but no white space.
func srcsetURLs(s string) []string {
	const space = " \t\n\r\f"
	var out []string
	for {
		s = strings.TrimLeft(s, space+",")
		if s == "" {
			return out
		}
		end := strings.IndexAny(s, space)
		if end < 0 {
			end = len(s)
		}
		u := s[:end]
		s = s[end:]
		if trimmed := strings.TrimRight(u, ","); trimmed != u {
			// "a.png," : a candidate without descriptors.
			out = append(out, trimmed)
			continue
		}
		out = append(out, u)
		// Skip the descriptors, up to the comma that ends the candidate.
		depth := 0
		i := 0
		for ; i < len(s); i++ {
			switch s[i] {
			case '(':
				depth++
			case ')':
				if depth > 0 {
					depth--
				}
			}
			if s[i] == ',' && depth == 0 {
				break
			}
		}
		s = s[i:]
	}
}

// refreshURL returns the URL of a meta refresh content value such as
// "0; url=/briefing/x/", or "" when it names none.
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		_, rest, ok = strings.Cut(content, ",")
		if !ok {
			return ""
		}
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 3 || !strings.EqualFold(rest[:3], "url") {
		return strings.Trim(rest, `'"`)
	}
	rest = strings.TrimSpace(rest[3:])
	rest, ok = strings.CutPrefix(rest, "=")
	if !ok {
		return ""
	}
	return strings.Trim(strings.TrimSpace(rest), `'"`)
}

// checkPages checks every reference of every page.
func (c *checker) checkPages() {
	names := make([]string, 0, len(c.pages))
	for name := range c.pages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c.checkPage(name, c.pages[name])
	}
}

func (c *checker) checkPage(name string, p *page) {
	from := c.pageURL(name)
	if p.baseRef != "" {
		ref, err := url.Parse(p.baseRef)
		if err != nil {
			c.report(name, p.baseRef, "malformed base URL: %v", urlErr(err))
			return
		}
		from = from.ResolveReference(ref)
	}
	for _, l := range p.links {
		c.checkLink(name, from, l)
	}
}

// checkLink checks one reference of the page name, served at from.
func (c *checker) checkLink(name string, from *url.URL, l link) {
	u, err := url.Parse(l.raw)
	if err != nil {
		c.report(name, l.raw, "malformed URL: %v", urlErr(err))
		return
	}
	absolute := u.Scheme != "" || u.Host != ""
	if l.kind == canonical && !absolute {
		c.report(name, l.raw, "canonical URL is not absolute")
	}
	if name == "404.html" && !absolute && u.Path != "" && !strings.HasPrefix(u.Path, "/") {
		c.report(name, l.raw, "relative link in 404.html, which is served at any missing path")
	}
	to := from.ResolveReference(u)
	if !c.internal(to) {
		if l.kind == canonical {
			c.report(name, l.raw, "canonical URL is not under the base URL %s", c.base)
		}
		return
	}
	if absolute && to.Scheme != c.base.Scheme {
		c.report(name, l.raw, "scheme %s differs from the base URL's %s", to.Scheme, c.base.Scheme)
	}
	t := c.resolve(to.Path, to.Fragment)
	if t.problem != "" {
		what := "broken link"
		if l.kind == asset {
			what = "missing asset"
		}
		c.report(name, l.raw, "%s: %s", what, t.problem)
		return
	}
	target := c.pages[t.file]
	if target == nil {
		return
	}
	if l.kind == navigation && t.file != name {
		c.edge(name, t.file)
	}
	if t.fragment != "" && !target.anchors[t.fragment] && !strings.EqualFold(t.fragment, "top") {
		c.report(name, l.raw, "broken anchor: no id %q in %s", t.fragment, t.file)
	}
}

// urlErr strips the URL from a url.Parse error, which the problem already
// shows as its link.
func urlErr(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
