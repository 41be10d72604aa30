// Package htmlpage reads a saved or fetched news page's HTML: the story's
// paragraphs as plain text, and what the page's metadata says of it.
//
// Contract:
//   - Read accepts HTML bytes as saved (UTF-8, a legacy charset named by
//     the page or the caller, or gzip-compressed, detected by its magic
//     bytes) and never fails on malformed markup; it fails only when the
//     bytes are not a page or the page has no article text.
//   - The paragraphs come from go-trafilatura, chosen by measurement on
//     the extraction benchmark (see the README's dependency list).
//   - The metadata is read by this package, in this order of trust:
//     JSON-LD (NewsArticle and its kin), then Open Graph and article:
//     meta tags (with <link rel=canonical>, <html lang>, <title>), then
//     <time datetime>. A field comes from the most trusted source that
//     has it; a modified date never stands in for a published one. Each
//     field says where it came from, so the importer can say why.
//   - Read is pure: it reads nothing but its arguments.
package htmlpage

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// MaxSize is the largest page Read accepts, after decompression; a news
// page is a few hundred kilobytes, the largest seen a few megabytes.
const MaxSize = 10 << 20

// Page is what Read finds in an HTML page.
type Page struct {
	// Paragraphs are the story's paragraphs in order, each one line of
	// plain text, without the headline.
	Paragraphs []string
	Meta       Meta
}

// Meta is what a page's markup says about its story. A field is empty
// (or zero) when the page does not say; From names, per field ("title",
// "outlet", "published", "modified", "canonical", "author", "language"),
// the source it came from, such as "JSON-LD" or "Open Graph".
type Meta struct {
	Title     string
	Outlet    string // site name or publisher
	Published time.Time
	Modified  time.Time
	Canonical string // absolute address
	Author    string // names joined by ", "
	Language  string // as the page gives it: "en", "ru-RU"
	From      map[string]string
}

// Read extracts the story and its metadata from page, the HTML as saved;
// pageURL, when not "", is the address it was fetched from, which
// resolves a relative canonical link. contentType, when not "", is the
// Content-Type it was served with, whose charset wins over the page's own.
func Read(page []byte, pageURL, contentType string) (*Page, error) {
	data, err := decode(page, contentType)
	if err != nil {
		return nil, err
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse html: %v", err)
	}
	var base *url.URL
	if pageURL != "" {
		if base, err = url.Parse(pageURL); err != nil || !base.IsAbs() {
			base = nil
		}
	}
	meta := readMeta(doc, base)
	res, err := extract(doc, base)
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
	return &Page{Paragraphs: paras, Meta: meta}, nil
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

func fill(field *string, m *Meta, name, value string) {
	if *field == "" && strings.TrimSpace(value) != "" {
		*field = strings.TrimSpace(value)
		m.From[name] = "page text"
	}
}

// IsGzip reports whether data starts with gzip's magic bytes.
func IsGzip(data []byte) bool {
	return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

// decode gunzips data when it is compressed and converts it to UTF-8.
func decode(data []byte, contentType string) ([]byte, error) {
	if IsGzip(data) {
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %v", err)
		}
		out, err := io.ReadAll(io.LimitReader(z, MaxSize+1))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %v", err)
		}
		data = out
	}
	switch {
	case len(data) > MaxSize:
		return nil, fmt.Errorf("page is larger than %d MB", MaxSize>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, errors.New("page is empty")
	case bytes.IndexByte(data, 0) >= 0 && !utf16(data):
		return nil, errors.New("page is binary, not HTML")
	}
	enc, name, certain := charset.DetermineEncoding(data, contentType)
	if name == "utf-8" || (!certain && utf8.Valid(data)) {
		return bytes.ToValidUTF8(data, []byte("\uFFFD")), nil
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %v", name, err)
	}
	return out, nil
}

// utf16 reports whether data starts with a UTF-16 byte order mark, the
// one case where an HTML page holds zero bytes.
func utf16(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff})
}

// paragraphs returns the text of each block of the extracted story (a
// paragraph, heading, list item, quotation, table cell), one line each,
// dropping a first block that repeats the headline: many pages print it
// inside the story's container.
func paragraphs(story *html.Node, title string) []string {
	if story == nil {
		return nil
	}
	var out []string
	var line strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(line.String()), " "); p != "" {
			out = append(out, p)
		}
		line.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			line.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Br {
				line.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && !inline[n.DataAtom] && n.Data != "hi"
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(story)
	flush()
	if len(out) > 0 && title != "" && strings.EqualFold(out[0], strings.Join(strings.Fields(title), " ")) {
		out = out[1:]
	}
	return out
}

// inline are the elements whose text continues the line around them.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Cite: true, atom.Code: true,
	atom.Em: true, atom.I: true, atom.Mark: true, atom.Q: true, atom.S: true,
	atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true, atom.Sup: true,
	atom.Time: true, atom.U: true, atom.Font: true,
}
