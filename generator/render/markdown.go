package render

import (
	"bytes"
	stdhtml "html"
	"html/template"
	"strings"
	"sync"
	"unicode/utf8"

	"digest/generator/content"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown renders article bodies. It is configured once, here: GitHub
// tables, strikethrough and autolinks; raw HTML in the markdown is dropped
// (goldmark's default without WithUnsafe), so scraped text can never inject
// markup; headings are demoted so the page title stays the only h1.
//
// Rendered HTML is not kept: each body is rendered when its page is, and
// pages are rendered only when their inputs change. Summaries are kept by
// the article file's hash, since lists, feeds and the search index need
// every one of them.
type Markdown struct {
	md        goldmark.Markdown
	mu        sync.Mutex
	summaries map[uint64]string
}

// Body is a rendered article body.
type Body struct {
	HTML    []byte
	Summary string // plain text of the first paragraph, shortened
}

// SummaryWords is the most words a summary keeps.
const SummaryWords = 60

// NewMarkdown returns a configured markdown renderer.
func NewMarkdown() *Markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(demotedHeadings{}, 100)),
		),
	)
	return &Markdown{md: md, summaries: map[uint64]string{}}
}

// Render renders src, the body of the article file with this hash, and
// remembers its summary.
func (m *Markdown) Render(hash uint64, src []byte) *Body {
	var buf bytes.Buffer
	s := m.RenderTo(&buf, hash, src)
	return &Body{HTML: buf.Bytes(), Summary: s}
}

// RenderTo appends the HTML of src, the body of the article file with this
// hash, to buf, remembers its summary and returns it.
//
// goldmark's time grows with the cube of the depth lists and block quotes
// nest to, so a body that may nest deeper than content.MaxNesting never
// reaches it: it is written as preformatted text, without a summary. The
// loader refuses such an article with its file and line; only a file
// changed (keeping its size) after it was loaded could get here.
func (m *Markdown) RenderTo(buf *bytes.Buffer, hash uint64, src []byte) string {
	if content.NestingOver(src, content.MaxNesting) > 0 {
		buf.WriteString("<pre>")
		template.HTMLEscape(buf, src)
		buf.WriteString("</pre>\n")
		m.mu.Lock()
		m.summaries[hash] = ""
		m.mu.Unlock()
		return ""
	}
	doc := m.md.Parser().Parse(text.NewReader(src))
	n := buf.Len()
	if err := m.md.Renderer().Render(bufWriter{buf}, src, doc); err != nil {
		// Rendering to a bytes.Buffer fails only on a renderer bug.
		buf.Truncate(n)
	}
	s := summary(doc, src)
	m.mu.Lock()
	m.summaries[hash] = s
	m.mu.Unlock()
	return s
}

// Summary returns the summary of the article file with this hash, reading
// and rendering its body only when the summary is not known yet.
func (m *Markdown) Summary(hash uint64, body func() ([]byte, error)) (string, error) {
	m.mu.Lock()
	s, ok := m.summaries[hash]
	m.mu.Unlock()
	if ok {
		return s, nil
	}
	src, err := body()
	if err != nil {
		return "", err
	}
	return m.Render(hash, src).Summary, nil
}

// Summaries calls fn with each known summary and the hash of the article
// file it was made from, for a cache file.
func (m *Markdown) Summaries(fn func(hash uint64, summary string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h, s := range m.summaries {
		fn(h, s)
	}
}

// SeedSummary adds a summary read from a cache file.
func (m *Markdown) SeedSummary(hash uint64, summary string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.summaries[hash] = summary
}

// Retain forgets the summaries of article versions that live does not
// hold, so a long preview session does not keep every old version of every
// article.
func (m *Markdown) Retain(live map[uint64]bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h := range m.summaries {
		if !live[h] {
			delete(m.summaries, h)
		}
	}
}

// demotedHeadings writes headings one level down, # as h2 and so on (at
// most h6): the article title is the page's h1. It takes the place of
// goldmark's heading renderer, which writes the same but for the level.
type demotedHeadings struct{}

func (demotedHeadings) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
}

func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := "0123456"[min(n.Level+1, 6)]
	if entering {
		w.WriteString("<h")
		w.WriteByte(level)
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
	} else {
		w.WriteString("</h")
		w.WriteByte(level)
		w.WriteString(">\n")
	}
	return ast.WalkContinue, nil
}

// bufWriter hands goldmark the page buffer as the buffered writer it
// wants, which it would otherwise put behind a bufio.Writer of its own:
// 4 KB more garbage and one more copy of every body.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Buffered() int { return 0 }
func (bufWriter) Flush() error  { return nil }

// summary returns the text of the first paragraph as a reader sees it,
// cut at SummaryWords: backslash escapes and character references resolved
// (as goldmark's HTML writer resolves them), code spans as written, raw
// HTML left out as the page leaves it out, line breaks as spaces.
func summary(doc ast.Node, src []byte) string {
	var para ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == ast.KindParagraph {
			para = n
			break
		}
	}
	if para == nil {
		return ""
	}
	// The text is written as goldmark writes it, HTML-escaped, then
	// unescaped: one definition of what a reader sees.
	var b bytes.Buffer
	w := bufWriter{&b}
	ast.Walk(para, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.CodeSpan:
			for c := t.FirstChild(); c != nil; c = c.NextSibling() {
				if s, ok := c.(*ast.Text); ok {
					v := s.Segment.Value(src)
					if l, ok := bytes.CutSuffix(v, []byte("\n")); ok {
						v = append(l[:len(l):len(l)], ' ')
					}
					html.DefaultWriter.RawWrite(w, v)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if t.IsRaw() {
				html.DefaultWriter.RawWrite(w, t.Segment.Value(src))
			} else {
				html.DefaultWriter.Write(w, t.Segment.Value(src))
			}
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if t.IsRaw() || t.IsCode() {
				html.DefaultWriter.RawWrite(w, t.Value)
			} else {
				html.DefaultWriter.Write(w, t.Value)
			}
		case *ast.AutoLink:
			html.DefaultWriter.RawWrite(w, t.Label(src))
		}
		return ast.WalkContinue, nil
	})
	return shorten(stdhtml.UnescapeString(b.String()), SummaryWords)
}

// shorten keeps the first n words of s, separated by single spaces,
// adding an ellipsis when it cut.
// The result is a string of its own, exactly as long as it is: summaries
// are kept for every article of the site.
func shorten(s string, n int) string {
	b := make([]byte, 0, min(len(s), 16*n)+len("…"))
	words := 0
	for w := range strings.FieldsSeq(s) {
		if words == n {
			b = bytes.TrimRightFunc(b, func(r rune) bool { return r == ',' || r == ';' || r == ':' || r == utf8.RuneError })
			b = append(b, "…"...)
			break
		}
		if words > 0 {
			b = append(b, ' ')
		}
		b = append(b, w...)
		words++
	}
	return string(b)
}
