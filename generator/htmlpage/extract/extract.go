// Package extract reads the story of a saved or fetched news page: its
// paragraphs as plain text, with go-trafilatura, and its metadata, with
// package htmlpage.
//
// This package links go-trafilatura, whose dependencies' package
// initialisation costs a quarter of a second and tens of megabytes at the
// start of every program that links it. Only the digest-html program and
// tests may import it; the digest binary runs digest-html instead (see
// package htmlpage/external).
//
// Contract:
//   - Read accepts what htmlpage.Parse accepts and never fails on
//     malformed markup; it fails only when the bytes are not a page or
//     the page has no article text.
//   - The paragraphs come from go-trafilatura, chosen by measurement on
//     the extraction benchmark (see the README's dependency list).
//   - The metadata is htmlpage.Parse's; what it leaves empty of the
//     title, outlet, author and language is filled from what the
//     extraction found in the page text, marked htmlpage.FromText.
//   - Read is pure: it reads nothing but its arguments.
package extract

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"digest/generator/htmlpage"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
)

// Read extracts the story and its metadata from page, the HTML as saved;
// pageURL and contentType are as for htmlpage.Parse.
func Read(page []byte, pageURL, contentType string) (*htmlpage.Page, error) {
	doc, err := htmlpage.Parse(page, pageURL, contentType)
	if err != nil {
		return nil, err
	}
	meta := doc.Meta
	res, err := extract(doc.Root, doc.Base)
	if err != nil {
		return nil, fmt.Errorf("no article text found: %v", err)
	}
	paras := paragraphs(res.ContentNode, meta.Title)
	if len(paras) == 0 {
		return nil, errors.New("no article text found")
	}
	// The library's metadata fills what the page's own tags left empty
	// (a site name from the host, an author from a byline).
	fill(&meta.Title, &meta, "title", res.Metadata.Title)
	fill(&meta.Outlet, &meta, "outlet", res.Metadata.Sitename)
	fill(&meta.Author, &meta, "author", res.Metadata.Author)
	fill(&meta.Language, &meta, "language", res.Metadata.Language)
	return &htmlpage.Page{Paragraphs: paras, Meta: meta}, nil
}

// extract runs the extraction library with the options measured for the
// README. A panic inside it on a page it does not expect becomes an error
// for that page, so one strange page cannot stop an import.
func extract(doc *html.Node, base *url.URL) (res *trafilatura.ExtractResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("extractor failed: %v", r)
		}
	}()
	return trafilatura.ExtractDocument(doc, trafilatura.Options{
		OriginalURL:     base,
		EnableFallback:  true,
		Focus:           trafilatura.FavorPrecision,
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Disabled, // dates are read from the metadata here
	})
}

func fill(field *string, m *htmlpage.Meta, name, value string) {
	if *field == "" && strings.TrimSpace(value) != "" {
		*field = strings.TrimSpace(value)
		m.From[name] = htmlpage.FromText
	}
}
