package check

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

const (
	atomNS    = "http://www.w3.org/2005/Atom"
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
)

// xnode is an element of a parsed XML document.
type xnode struct {
	name     xml.Name
	attrs    []xml.Attr
	children []*xnode
	text     strings.Builder // character data directly inside the element
}

func (n *xnode) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// walk calls f for n and every element below it, in document order.
func (n *xnode) walk(f func(*xnode)) {
	f(n)
	for _, c := range n.children {
		c.walk(f)
	}
}

// parseXML parses a whole document and returns its root element. It fails
// on what encoding/xml rejects, and on a document without exactly one root
// element or with text outside it.
func parseXML(data []byte) (*xnode, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var root *xnode
	var stack []*xnode
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name, attrs: tok.Attr}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			} else if root != nil {
				line, _ := d.InputPos()
				return nil, fmt.Errorf("line %d: a second root element <%s>", line, tok.Name.Local)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(tok)
			} else if len(bytes.TrimSpace(tok)) > 0 {
				line, _ := d.InputPos()
				return nil, fmt.Errorf("line %d: text outside the root element", line)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

// checkXML checks every .xml file: well-formed, and for Atom feeds and
// sitemaps, absolute URLs under the base URL that resolve.
func (c *checker) checkXML(ctx context.Context) error {
	var names []string
	for name := range c.files {
		if strings.HasSuffix(name, ".xml") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := fs.ReadFile(c.fsys, name)
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		root, err := parseXML(data)
		if err != nil {
			c.report(name, "", "malformed XML: %v", err)
			continue
		}
		switch root.name {
		case xml.Name{Space: atomNS, Local: "feed"}:
			c.checkFeed(name, root)
		case xml.Name{Space: sitemapNS, Local: "urlset"}, xml.Name{Space: sitemapNS, Local: "sitemapindex"}:
			c.checkSitemap(name, root)
		}
	}
	return nil
}

// checkFeed checks the URLs of an Atom feed: links, ids, icon, logo, content
// src, and the links inside HTML and XHTML content. The self and alternate
// links must be under the base URL; related, via and enclosure links may
// point elsewhere.
func (c *checker) checkFeed(name string, feed *xnode) {
	feed.walk(func(n *xnode) {
		if n.name.Space != atomNS {
			return
		}
		switch n.name.Local {
		case "link":
			rel, href := n.attr("rel"), n.attr("href")
			mine := rel == "" || rel == "alternate" || rel == "self"
			c.checkAbsolute(name, href, mine, "relative URL in feed")
			if rel == "self" {
				c.checkSelf(name, href)
			}
		case "id", "icon", "logo":
			c.checkAbsolute(name, strings.TrimSpace(n.text.String()), false, "relative URL in feed")
		case "content", "summary":
			if src := n.attr("src"); src != "" {
				c.checkAbsolute(name, src, false, "relative URL in feed")
			}
			for _, raw := range contentLinks(n) {
				c.checkAbsolute(name, raw, false, "relative URL in feed content")
			}
		}
	})
}

// checkSelf reports a feed's self link that names another file of the site.
func (c *checker) checkSelf(name, href string) {
	u, err := url.Parse(href)
	if err != nil || !u.IsAbs() || !c.internal(u) {
		return // reported by checkAbsolute
	}
	if t := c.resolve(u.Path, ""); t.file != "" && t.file != name {
		c.report(name, href, "self link names %s, not this feed", t.file)
	}
}

// contentLinks returns the references made by the HTML or XHTML of an Atom
// content or summary element. A feed reader resolves relative ones against
// guesses, so they must all be absolute.
func contentLinks(n *xnode) []string {
	var out []string
	switch n.attr("type") {
	case "html":
		doc, err := html.Parse(strings.NewReader(n.text.String()))
		if err != nil {
			return nil
		}
		for e := range doc.Descendants() {
			if e.Type == html.ElementNode {
				for _, l := range elementLinks(e) {
					out = append(out, l.raw)
				}
			}
		}
	case "xhtml":
		for _, child := range n.children {
			child.walk(func(e *xnode) {
				for _, key := range []string{"href", "src", "cite", "poster", "data"} {
					if v := strings.TrimSpace(e.attr(key)); v != "" {
						out = append(out, v)
					}
				}
			})
		}
	}
	return out
}

// checkSitemap checks that every loc of a sitemap or sitemap index is an
// absolute URL under the base URL that resolves to a file.
func (c *checker) checkSitemap(name string, root *xnode) {
	root.walk(func(n *xnode) {
		if n.name.Space == sitemapNS && n.name.Local == "loc" {
			c.checkAbsolute(name, strings.TrimSpace(n.text.String()), true, "relative URL in sitemap")
		}
	})
}

// checkAbsolute checks a URL written in a feed, sitemap or robots.txt: it
// must be absolute (else relMsg is reported); when mine, it must be under
// the base URL; when it is under the base URL's host, it must resolve.
func (c *checker) checkAbsolute(name, raw string, mine bool, relMsg string) {
	if raw == "" {
		c.report(name, "", "empty URL")
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		c.report(name, raw, "malformed URL: %v", urlErr(err))
		return
	}
	if !u.IsAbs() {
		c.report(name, raw, "%s", relMsg)
		return
	}
	if !c.internal(u) {
		if mine {
			c.report(name, raw, "not under the base URL %s", c.base)
		}
		return
	}
	if u.Scheme != c.base.Scheme {
		c.report(name, raw, "scheme %s differs from the base URL's %s", u.Scheme, c.base.Scheme)
	}
	t := c.resolve(u.Path, u.Fragment)
	if t.problem != "" {
		c.report(name, raw, "broken link: %s", t.problem)
		return
	}
	if p := c.pages[t.file]; p != nil && t.fragment != "" && !p.anchors[t.fragment] {
		c.report(name, raw, "broken anchor: no id %q in %s", t.fragment, t.file)
	}
}

// checkRobots checks the Sitemap lines of robots.txt.
func (c *checker) checkRobots() error {
	const name = "robots.txt"
	if !c.files[name] {
		return nil // reported as missing
	}
	data, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.EqualFold(strings.TrimSpace(key), "sitemap") {
			c.checkAbsolute(name, strings.TrimSpace(value), true, "relative URL in robots.txt")
		}
	}
	return sc.Err()
}

// checkCNAME checks that a CNAME file, which tells GitHub Pages the custom
// domain, names the base URL's host.
func (c *checker) checkCNAME() error {
	const name = "CNAME"
	if !c.files[name] {
		return nil
	}
	data, err := fs.ReadFile(c.fsys, name)
	if err != nil {
		return fmt.Errorf("check: %w", err)
	}
	domain := strings.TrimSpace(string(data))
	switch {
	case domain == "":
		c.report(name, "", "empty")
	case !strings.EqualFold(domain, c.base.Hostname()):
		c.report(name, "", "names %s but the base URL's host is %s", domain, c.base.Hostname())
	}
	return nil
}
