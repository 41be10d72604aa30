// Package htmlpage holds what the digest knows of a saved or fetched news
// page's HTML without extracting its story: the types a reading returns,
// the size limit, the decoding of the bytes as saved, and the page's own
// metadata.
//
// The story's paragraphs are extracted by package htmlpage/extract, which
// links go-trafilatura and its dependencies; their package initialisation
// costs a quarter of a second and tens of megabytes at every start of a
// program that links them, so only the digest-html program does, and the
// digest binary runs it through package htmlpage/external. This package
// must not import either.
//
// Contract:
//   - Parse accepts HTML bytes as saved (UTF-8, a legacy charset named by
//     the page or the caller, or gzip-compressed, detected by its magic
//     bytes) and never fails on malformed markup; it fails only when the
//     bytes are not a page.
//   - The metadata is read by this package, in this order of trust:
//     JSON-LD (NewsArticle and its kin), then Open Graph and article:
//     meta tags (with <link rel=canonical>, <html lang>, <title>), then
//     <time datetime>. A field comes from the most trusted source that
//     has it; a modified date never stands in for a published one. Each
//     field says where it came from, so the importer can say why.
//   - Parse is pure: it reads nothing but its arguments.
package htmlpage

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// MaxSize is the largest page Parse accepts, after decompression; a news
// page is a few hundred kilobytes, the largest seen a few megabytes.
const MaxSize = 10 << 20

// Page is what a reading of an HTML page finds: see package
// htmlpage/extract. It is also what the digest-html program writes, as
// JSON, so its fields must survive encoding/json unchanged.
type Page struct {
	// Paragraphs are the story's paragraphs in order, each one line of
	// plain text, without the headline.
	Paragraphs []string
	Meta       Meta
}

// Meta is what a page's markup says about its story. A field is empty
// (or zero) when the page does not say; From names, per field ("title",
// "outlet", "published", "modified", "canonical", "author", "language"),
// the source it came from, such as FromJSONLD or FromOG.
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

// Doc is a decoded and parsed page, ready for extraction.
type Doc struct {
	Root *html.Node
	Base *url.URL // the page's address when given and absolute, else nil
	Meta Meta     // what the page's own tags say
}

// Parse decodes page, the HTML as saved, parses it and reads its
// metadata. pageURL, when not "", is the address it was fetched from,
// which resolves a relative canonical link. contentType, when not "", is
// the Content-Type it was served with, whose charset wins over the
// page's own.
func Parse(page []byte, pageURL, contentType string) (*Doc, error) {
	data, err := decode(page, contentType)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse html: %v", err)
	}
	var base *url.URL
	if pageURL != "" {
		if base, err = url.Parse(pageURL); err != nil || !base.IsAbs() {
			base = nil
		}
	}
	return &Doc{Root: root, Base: base, Meta: readMeta(root, base)}, nil
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
