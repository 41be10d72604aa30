package render

//go:generate go run ./internal/fastgen/cmd/fastgen
//go:generate go run ./internal/fastgen/cmd/fastgen -layouts testdata/layouts -var fastTestGenerated -prefix fastTest -o fastpath_testlayouts_gen_test.go

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"digest/generator/content"
	"digest/generator/site"
)

// The fast path. Article pages are most of a site's pages, and
// html/template spends about as long running a layout as goldmark spends
// rendering the body, so the default layouts are also compiled into Go:
// fastpath_gen.go is generated from layouts/*.html by internal/fastgen
// (`make generate`, which runs `go generate ./...`), which lets
// html/template choose each action's escaper and writes Go code that calls
// the writers below in its place.
//
// The generated file records the SHA-256 of every layout file it was made
// from. A page layout takes the fast path only while base.html and its own
// file both have those hashes (whether they come from the binary or from a
// site's byte-for-byte copy); any other layout, such as a default edited
// since the code was generated, runs as a template. The fast path writes
// the template's bytes or gives up: on any error, nil pointer or value of
// an unexpected type it returns an error, the page's bytes so far are
// dropped and the template runs instead, giving the same bytes or the
// template's own error.

// The generator's contract with this package: internal/fastgen reads these
// declarations from the source.
var (
	// fastPageData is the type of Context.Data on the pages of each page
	// layout (see site.Model.Pages); the generated code asserts it.
	fastPageData = map[string]any{
		"home":    (*site.HomeData)(nil),
		"article": (*site.ArticleData)(nil),
		"list":    (*site.ListData)(nil),
		"round":   (*site.ListData)(nil),
		"topic":   (*site.ListData)(nil),
		"source":  (*site.ListData)(nil),
		"rounds":  (*site.IndexData)(nil),
		"topics":  (*site.IndexData)(nil),
		"sources": (*site.IndexData)(nil),
	}
	// fastEntryDot is what the "entry" template receives: the page's
	// Context and the article (see Context.entry).
	fastEntryDot = []any{(*Context)(nil), (*content.Article)(nil)}
)

// fastCode is the code generated from one directory of layouts.
type fastCode struct {
	hashes  map[string]string     // the SHA-256 of each layout file the code was generated from
	layouts map[string]fastLayout // each page layout's code
}

// fastGenerated is the code generated from the default layouts, set by
// fastpath_gen.go's init. Without that file (deleted to start afresh)
// every page runs as a template.
var fastGenerated fastCode

// fastLayout is the generated code of one page layout.
type fastLayout struct {
	page  func(w *fastWriter, dot *Context) error // runs "base"
	entry func(w *fastWriter, dot []any) error    // runs "entry"; nil when it stays a template
}

// writePage runs the generated code of a page. A panic, from a method the
// template would have called too (text/template turns it into an error),
// is a fallback like any error.
func (f *fastLayout) writePage(w *fastWriter, c *Context) (err error) {
	defer func() {
		if recover() != nil {
			err = errFallback
		}
	}()
	return f.page(w, c)
}

// writeEntry runs generated entry code as writePage does.
func writeEntry(entry func(*fastWriter, []any) error, w *fastWriter, dot []any) (err error) {
	defer func() {
		if recover() != nil {
			err = errFallback
		}
	}()
	return entry(w, dot)
}

// errFallback is what generated code returns when it cannot write a page
// as its template would.
var errFallback = errors.New("render: the fast path cannot write this page")

// layout returns the generated code that writes layout, a page layout
// parsed from base and src; nil when either file is not the one the code
// was generated from.
func (c *fastCode) layout(layout string, base, src []byte) *fastLayout {
	f, ok := c.layouts[layout]
	if !ok || c.hashes[BaseLayout] != sum(base) || c.hashes[layout+".html"] != sum(src) {
		return nil
	}
	return &f
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fastWriter is where generated code writes a page, with html/template's
// escapers.
type fastWriter struct {
	buf    *bytes.Buffer
	t      *Templates
	layout string // the page layout whose template set is running
}

// template runs the named template of the layout's set with data: what
// generated code does for a template it could not translate.
func (w *fastWriter) template(name string, data any) error {
	return w.t.executeNamed(w.buf, w.layout, name, data)
}

func (w *fastWriter) raw(s string) { w.buf.WriteString(s) }

// text writes s escaped for HTML text, RCDATA and quoted attribute values,
// as html/template's htmlEscaper, rcdataEscaper and attrEscaper do for a
// string: NUL becomes U+FFFD, and " & ' + < > become character references.
func (w *fastWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if !textSpecial[s[i]] {
			continue
		}
		w.buf.WriteString(s[last:i])
		w.buf.WriteString(textEscapes[s[i]])
		last = i + 1
	}
	w.buf.WriteString(s[last:])
}

// textSpecial marks the bytes text escapes, textEscapes says how: most
// text has none of them.
var (
	textSpecial = [256]bool{0: true, '"': true, '&': true, '\'': true, '+': true, '<': true, '>': true}
	textEscapes = [256]string{0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;"}
)

// url writes s as html/template writes a value at the start of a URL in a
// quoted attribute (urlFilter, urlNormalizer, attrEscaper): a URL whose
// scheme is not http, https or mailto becomes "#ZgotmplZ"; bytes outside
// the URL's own characters are percent-encoded (well-formed escapes are
// kept); then & and + are escaped for the attribute.
func (w *fastWriter) url(s string) {
	if !safeScheme(s) {
		w.buf.WriteString("#ZgotmplZ")
		return
	}
	w.urlPart(s)
}

// urlPart writes s as html/template writes a value later in a URL's path
// in a quoted attribute (urlNormalizer, attrEscaper).
func (w *fastWriter) urlPart(s string) { w.percent(s, true) }

// urlQuery writes s as html/template writes a value in a URL's query or
// fragment in a quoted attribute (urlEscaper, attrEscaper).
func (w *fastWriter) urlQuery(s string) { w.percent(s, false) }

// percent writes s percent-encoded as html/template's urlProcessor does
// (norm keeps reserved characters and well-formed escapes), then escaped
// for a quoted attribute.
func (w *fastWriter) percent(s string, norm bool) {
	const hex = "0123456789abcdef"
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var rep string
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~", c) >= 0:
			continue
		case norm && c == '&':
			rep = "&amp;"
		case norm && c == '+':
			rep = "&#43;"
		case norm && strings.IndexByte("!#$*,/:;=?@[]", c) >= 0,
			norm && c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		w.buf.WriteString(s[last:i])
		if rep != "" {
			w.buf.WriteString(rep)
		} else {
			w.buf.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
		last = i + 1
	}
	w.buf.WriteString(s[last:])
}

// nospace writes s escaped for an unquoted attribute value, as
// html/template's htmlNospaceEscaper does for a string.
func (w *fastWriter) nospace(s string) {
	if s == "" {
		w.buf.WriteString("ZgotmplZ")
		return
	}
	last := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		rep := ""
		if int(r) < len(nospaceEscapes) {
			rep = nospaceEscapes[r]
		} else if 0xfdd0 <= r && r <= 0xfdef || 0xfff0 <= r && r <= 0xffff {
			rep = "&#x" + strconv.FormatInt(int64(r), 16) + ";"
		}
		if rep != "" {
			w.buf.WriteString(s[last:i])
			w.buf.WriteString(rep)
			last = i + size
		}
		i += size
	}
	w.buf.WriteString(s[last:])
}

var nospaceEscapes = [...]string{
	0: "&#xfffd;", '\t': "&#9;", '\n': "&#10;", '\v': "&#11;", '\f': "&#12;", '\r': "&#13;", ' ': "&#32;",
	'"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '=': "&#61;", '>': "&gt;", '`': "&#96;",
}

// filterURL, normalizeURL and escapeURL are html/template's urlFilter,
// urlNormalizer and urlEscaper for a string, for the chains of escapers
// that the writers above do not write in one pass.
func filterURL(s string) string {
	if !safeScheme(s) {
		return "#ZgotmplZ"
	}
	return s
}

func normalizeURL(s string) string { return processURL(s, true) }

func escapeURL(s string) string { return processURL(s, false) }

func processURL(s string, norm bool) string {
	var b bytes.Buffer
	(&fastWriter{buf: &b}).percent(s, norm)
	// percent also escaped & and + for an attribute: undo that.
	return strings.NewReplacer("&amp;", "&", "&#43;", "+").Replace(b.String())
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// safeScheme reports whether s has no scheme or an http, https or mailto
// one, as html/template's urlFilter decides.
func safeScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// truth reports whether a template's if, with or range takes v as true,
// for values whose type is known only when the page runs.
func truth(v any) bool {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return false
	}
	switch rv.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return rv.Len() > 0
	case reflect.Bool:
		return rv.Bool()
	case reflect.Complex64, reflect.Complex128:
		return rv.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !rv.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	}
	return true
}
