// Package check verifies a built digest before it is published.
//
// It reads the output directory of a build (through an fs.FS) and the base
// URL the site will be served from, and reports what would be broken once
// the site is online, most of all under a subpath such as
// https://owner.github.io/repo/:
//
//   - every internal link and asset of every HTML page (a and area href, link
//     href, img, script, source, iframe, video, audio, track and embed src,
//     srcset, object data, form action, button formaction, meta refresh)
//     resolves to a file of the output. Pretty URLs map /x/ to x/index.html;
//     a root-absolute link must start with the base URL's path and an
//     absolute link to the base URL's host is internal too. External links
//     are never fetched.
//   - a fragment (#id) names an element of the target page by id, or an a
//     element by name; "#" and "#top" need none.
//   - canonical links are absolute URLs under the base URL.
//   - 404.html uses no relative links: it is served at any missing path.
//   - every .xml file is well-formed; Atom feeds and sitemaps use absolute
//     URLs, and those under the base URL resolve to files; a feed's self
//     link names the feed; the Sitemap line of robots.txt is absolute too.
//   - every page but 404.html is reachable by links from index.html.
//   - index.html, 404.html, sitemap.xml, robots.txt and .nojekyll exist; a
//     CNAME file names the base URL's host.
//
// Each problem is reported as "page: link: what is wrong", the page being a
// slash-separated path in the output and the link as written in it.
package check

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
)

// Problem is one thing wrong in the built output.
type Problem struct {
	Page string // slash-separated path of the file in the output
	Link string // the link as written, or "" when the problem is the file's own
	Msg  string // what is wrong
}

// String formats the problem as "page: link: msg", or "page: msg" when it has
// no link.
func (p Problem) String() string {
	if p.Link == "" {
		return p.Page + ": " + p.Msg
	}
	return p.Page + ": " + p.Link + ": " + p.Msg
}

// Required are the files every published digest has at its root.
var Required = []string{"index.html", "404.html", "sitemap.xml", "robots.txt", ".nojekyll"}

// Dir checks the built site in the directory dir, to be served at baseURL.
func Dir(ctx context.Context, dir, baseURL string) ([]Problem, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("check: %s is not a directory", dir)
	}
	return FS(ctx, os.DirFS(dir), baseURL)
}

// FS checks the built site held in fsys, to be served at baseURL, an
// absolute http or https URL. The problems come back sorted by page, link
// and message, without duplicates. The error is for a bad base URL, a file
// that cannot be read or a cancelled ctx, never for a problem in the site.
func FS(ctx context.Context, fsys fs.FS, baseURL string) ([]Problem, error) {
	base, err := ParseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c := &checker{fsys: fsys, base: base, files: map[string]bool{}, pages: map[string]*page{}, edges: map[string][]string{}}
	if err := c.walk(ctx); err != nil {
		return nil, err
	}
	if err := c.parsePages(ctx); err != nil {
		return nil, err
	}
	c.checkRequired()
	c.checkPages()
	c.checkOrphans()
	if err := c.checkXML(ctx); err != nil {
		return nil, err
	}
	if err := c.checkRobots(); err != nil {
		return nil, err
	}
	if err := c.checkCNAME(); err != nil {
		return nil, err
	}
	return sortProblems(c.problems), nil
}

// ParseBaseURL parses a base URL: absolute, http or https, with a host. The
// path of the result always ends in a slash.
func ParseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("check: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("check: base URL %q: want an absolute http or https URL", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("check: base URL %q: want no query or fragment", s)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// checker holds the state of one check.
type checker struct {
	fsys     fs.FS
	base     *url.URL
	files    map[string]bool     // every regular file in the output
	dirs     map[string]bool     // every directory in the output, "" excluded
	pages    map[string]*page    // every .html file, parsed
	edges    map[string][]string // page -> pages it links to
	problems []Problem
}

func (c *checker) report(page, link, format string, args ...any) {
	c.problems = append(c.problems, Problem{Page: page, Link: link, Msg: fmt.Sprintf(format, args...)})
}

// walk lists the files and directories of the output.
func (c *checker) walk(ctx context.Context) error {
	c.dirs = map[string]bool{}
	return fs.WalkDir(c.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("check: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if p != "." {
				c.dirs[p] = true
			}
		case d.Type().IsRegular():
			c.files[p] = true
		}
		return nil
	})
}

func (c *checker) checkRequired() {
	for _, name := range Required {
		if !c.files[name] {
			c.report(name, "", "missing")
		}
	}
}

// target is where an internal URL leads in the output.
type target struct {
	file     string // output file the URL maps to ("" when none)
	fragment string // decoded fragment, "" when none
	problem  string // why the URL does not resolve, "" when it does
}

// pageURL is the URL a page is served at, used to resolve its relative
// links. x/index.html is served at x/; resolving against either gives the
// same result.
func (c *checker) pageURL(page string) *url.URL {
	return c.base.ResolveReference(&url.URL{Path: page})
}

// internal reports whether the absolute URL u belongs to the site: same host
// as the base URL, any of http and https.
func (c *checker) internal(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, c.base.Host)
}

// resolve maps the absolute path of an internal URL to a file of the output.
func (c *checker) resolve(urlPath, fragment string) target {
	prefix := c.base.Path
	if !strings.HasPrefix(urlPath, prefix) {
		if urlPath+"/" == prefix {
			return target{problem: fmt.Sprintf("is the site root without its trailing slash; want %s", prefix)}
		}
		return target{problem: fmt.Sprintf("outside the base path %s", prefix)}
	}
	rel := strings.TrimPrefix(urlPath, prefix)
	if rel == "" || strings.HasSuffix(rel, "/") {
		file := rel + "index.html"
		if !c.files[file] {
			return target{problem: fmt.Sprintf("no %s in the output", file)}
		}
		return target{file: file, fragment: fragment}
	}
	if c.files[rel] {
		return target{file: rel, fragment: fragment}
	}
	if c.dirs[rel] {
		return target{problem: fmt.Sprintf("is a directory; want a trailing slash: %s/", path.Join(prefix, rel))}
	}
	return target{problem: fmt.Sprintf("no %s in the output", rel)}
}

// edge records that page from links to page to.
func (c *checker) edge(from, to string) {
	c.edges[from] = append(c.edges[from], to)
}

// checkOrphans reports every page, but 404.html, that no chain of links from
// index.html reaches.
func (c *checker) checkOrphans() {
	const home = "index.html"
	if c.pages[home] == nil {
		return // reported as missing; every page would be an orphan
	}
	seen := map[string]bool{home: true}
	queue := []string{home}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, q := range c.edges[p] {
			if !seen[q] {
				seen[q] = true
				queue = append(queue, q)
			}
		}
	}
	for name := range c.pages {
		if !seen[name] && name != "404.html" {
			c.report(name, "", "orphan: not reachable by links from index.html")
		}
	}
}

func sortProblems(list []Problem) []Problem {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		if a.Link != b.Link {
			return a.Link < b.Link
		}
		return a.Msg < b.Msg
	})
	out := list[:0]
	for i, p := range list {
		if i > 0 && p == list[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}
