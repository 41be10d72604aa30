package render

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown renders article bodies. It is configured once, here: GitHub
// tables, strikethrough and autolinks; raw HTML in the markdown is dropped
// (goldmark's default without WithUnsafe), so scraped text can never inject
// markup; headings are demoted so the page title stays the only h1.
// Rendered bodies are cached by the article file's hash.
type Markdown struct {
	md    goldmark.Markdown
	mu    sync.Mutex
	cache map[uint64]*Body
	used  map[uint64]bool
	// summaries outlive cache: they are small, and a build that renders no
	// article still needs every summary for the feeds and search index.
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
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(demoteHeadings{}, 100)),
		),
	)
	return &Markdown{md: md, cache: map[uint64]*Body{}, used: map[uint64]bool{}, summaries: map[uint64]string{}}
}

// Render renders src, or returns the cached result for the same hash.
func (m *Markdown) Render(hash uint64, src []byte) *Body {
	m.mu.Lock()
	b, ok := m.cache[hash]
	m.used[hash] = true
	m.mu.Unlock()
	if ok {
		return b
	}
	doc := m.md.Parser().Parse(text.NewReader(src))
	var buf bytes.Buffer
	if err := m.md.Renderer().Render(&buf, src, doc); err != nil {
		// Rendering to a bytes.Buffer fails only on a renderer bug.
		buf.Reset()
	}
	b = &Body{HTML: buf.Bytes(), Summary: summary(doc, src)}
	m.mu.Lock()
	m.cache[hash] = b
	m.summaries[hash] = b.Summary
	m.mu.Unlock()
	return b
}

// Summary returns the summary of src, rendering it only when no summary
// for this hash is known.
func (m *Markdown) Summary(hash uint64, src []byte) string {
	m.mu.Lock()
	s, ok := m.summaries[hash]
	if ok {
		m.used[hash] = true
	}
	m.mu.Unlock()
	if ok {
		return s
	}
	return m.Render(hash, src).Summary
}

// Summaries returns the known summaries by hex hash, for a cache file.
func (m *Markdown) Summaries() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]string, len(m.summaries))
	for h, s := range m.summaries {
		out[strconv.FormatUint(h, 16)] = s
	}
	return out
}

// SeedSummaries adds summaries read from a cache file.
func (m *Markdown) SeedSummaries(by map[string]string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, s := range by {
		if h, err := strconv.ParseUint(k, 16, 64); err == nil {
			m.summaries[h] = s
		}
	}
}

// Sweep forgets cached bodies not rendered or looked up since the last
// Sweep, so a long preview session does not keep every old version.
func (m *Markdown) Sweep() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for h := range m.cache {
		if !m.used[h] {
			delete(m.cache, h)
		}
	}
	for h := range m.summaries {
		if !m.used[h] {
			delete(m.summaries, h)
		}
	}
	m.used = map[uint64]bool{}
}

// demoteHeadings turns # into h2 and so on (at most h6): the article title
// is the page's h1.
type demoteHeadings struct{}

func (demoteHeadings) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < 6 {
			h.Level++
		}
		return ast.WalkContinue, nil
	})
}

// summary returns the text of the first paragraph, cut at SummaryWords.
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
	var b strings.Builder
	ast.Walk(para, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return shorten(b.String(), SummaryWords)
}

// shorten keeps the first n words of s, adding an ellipsis when it cut.
func shorten(s string, n int) string {
	words := strings.Fields(s)
	if len(words) <= n {
		return strings.Join(words, " ")
	}
	out := strings.Join(words[:n], " ")
	out = strings.TrimRightFunc(out, func(r rune) bool { return r == ',' || r == ';' || r == ':' || r == utf8.RuneError })
	return out + "…"
}
