package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"digest/generator/clean"
	"digest/generator/content"
	"digest/generator/htmlpage"

	"gopkg.in/yaml.v3"
)

// An HTML page is imported like a text page, with two differences: its
// story comes from opts.ReadHTML (package htmlpage/extract, run in the
// digest-html program by the digest binary) instead of clean's, and
// what its metadata says (headline, outlet, publication date, canonical
// address) wins over what the text rules would infer. The text rules
// still decide whatever the metadata leaves out, and the topics and
// round, so an HTML page and its saved text get the same analysis where
// the page is silent.
//
// The hooks in Analyze (Page.extract, Page.metaSource, Page.metaDate) are
// the only places the two kinds of page differ.

// isRawPage reports whether a file in a folder given to Import is a raw
// page: saved text, or saved HTML (also gzip-compressed).
func isRawPage(name string) bool {
	return strings.HasSuffix(name, ".txt") || isHTML(name)
}

// isHTML reports whether a file is a saved HTML page by its name.
func isHTML(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(name, ".gz"))
	return strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm")
}

// analyzeHTML reads a saved HTML page and its sidecar (NAME.yaml beside
// NAME.html or NAME.html.gz) and analyses them.
func analyzeHTML(ctx context.Context, site *content.Site, opts Options, file string) (*Draft, error) {
	if opts.ReadHTML == nil {
		return nil, errors.New("HTML pages cannot be read here: no HTML reader given")
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, unwrapPath(err)
	}
	data, err := io.ReadAll(io.LimitReader(f, htmlpage.MaxSize+1))
	f.Close()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if len(data) > htmlpage.MaxSize {
		return nil, fmt.Errorf("file is larger than %d MB; not a saved page", htmlpage.MaxSize>>20)
	}
	page := Page{Raw: relSlash(opts.Site, file), Fetched: opts.FetchedAt}
	sidecarOf := strings.TrimSuffix(file, ".gz")
	if err := readSidecar(sidecarOf, &page); err != nil {
		return nil, err
	}
	served := fetchedSidecar(sidecarOf)
	if served.FinalURL != "" {
		page.URL = served.FinalURL
	}
	hp, err := opts.ReadHTML(ctx, data, page.URL, served.ContentType)
	if err != nil {
		return nil, err
	}
	page.HTML = hp
	page.Text = strings.Join(hp.Paragraphs, "\n\n")
	if hp.Meta.Canonical != "" {
		page.URL = hp.Meta.Canonical
	}
	return Analyze(site, page)
}

// served is what package fetch adds to a page's sidecar besides url and
// fetched_at.
type served struct {
	FinalURL    string `yaml:"final_url"`    // the address after redirects
	ContentType string `yaml:"content_type"` // its charset wins over the page's own
}

// fetchedSidecar reads those fields of the sidecar beside file, if any;
// readSidecar has already reported a sidecar that cannot be read.
func fetchedSidecar(file string) served {
	var s served
	data, err := os.ReadFile(strings.TrimSuffix(file, filepath.Ext(file)) + ".yaml")
	if err == nil {
		_ = yaml.Unmarshal(data, &s)
	}
	return s
}

// extract returns the page's headline, byline and paragraphs: from the
// HTML extraction and metadata when the page is HTML, else from the text.
func (p Page) extract() clean.Page {
	if p.HTML == nil {
		return clean.Extract(p.Text)
	}
	return clean.Page{Headline: p.HTML.Meta.Title, Paragraphs: p.HTML.Paragraphs}
}

// metaSource returns the outlet the page's metadata names when it is in
// the registry, and otherwise what the text rules found.
func (p Page) metaSource(site *content.Site, name, why string, sure bool) (string, string, bool) {
	if p.HTML == nil || p.HTML.Meta.Outlet == "" {
		return name, why, sure
	}
	m := p.HTML.Meta
	if src := site.FindSource(m.Outlet); src != nil {
		return src.Name, fmt.Sprintf("page metadata (%s): %q", m.From["outlet"], m.Outlet), true
	}
	return name, fmt.Sprintf("%s; the page's metadata names %q, not in sources.yaml", why, m.Outlet), false
}

// metaDate returns the publication date the page's metadata gives, taken
// as sure, and otherwise the text rules' date. A modified date is never
// used: it says when the page changed, not when the story appeared.
func (p Page) metaDate(dt dating) dating {
	if p.HTML == nil || p.HTML.Meta.Published.IsZero() {
		return dt
	}
	m := p.HTML.Meta
	return dating{date: m.Published, sure: true, why: "page metadata (" + m.From["published"] + ")"}
}
