package render

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestSummaryPlainText checks that a summary is the text a reader sees on
// the page: no markdown escapes, references resolved, code as written.
func TestSummaryPlainText(t *testing.T) {
	md := NewMarkdown()
	tests := []struct{ src, want string }{
		{`\*x\* and \_y\_ \[z\]`, "*x* and _y_ [z]"},
		{"a &amp; b &lt;c&gt; &#x41;&#66; &copy; &nosuch;", "a & b <c> AB © &nosuch;"},
		{`\&amp; stays`, "&amp; stays"},
		{"code `\\*a\\* &amp;` kept", `code \*a\* &amp; kept`},
		{"`two\nlines` joined", "two lines joined"},
		{"<b>bold</b> and <!-- c --> text", "bold and text"},
		{"see https://example.org/a?b=1&c=2 and <mail@example.org>", "see https://example.org/a?b=1&c=2 and mail@example.org"},
		{"hard\\\nbreak and soft\nbreak", "hard break and soft break"},
		{"![alt text](x.png) after", "alt text after"},
		{"nul\x00byte", "nul\uFFFDbyte"},
	}
	for i, tt := range tests {
		if got := md.Render(uint64(i), []byte(tt.src)).Summary; got != tt.want {
			t.Errorf("summary of %q = %q; want %q", tt.src, got, tt.want)
		}
	}
}

// TestRenderDeepNesting checks that a body nested past the limit, which
// the loader refuses, never reaches goldmark if it gets here: it is shown
// escaped, at once.
func TestRenderDeepNesting(t *testing.T) {
	var src strings.Builder
	for i := range 3000 {
		src.WriteString(strings.Repeat("  ", i) + "- <b>item</b>\n")
	}
	md := NewMarkdown()
	var buf bytes.Buffer
	start := time.Now()
	s := md.RenderTo(&buf, 1, []byte(src.String()))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v; want no parse", d)
	}
	got := buf.String()
	if s != "" || !strings.HasPrefix(got, "<pre>- &lt;b&gt;item&lt;/b&gt;\n  - ") || !strings.HasSuffix(got, "</pre>\n") {
		t.Errorf("summary %q, HTML %.60q...; want none and the text escaped in <pre>", s, got)
	}
	if sum, _ := md.Summary(1, nil); sum != "" {
		t.Errorf("remembered summary %q; want none", sum)
	}
}
