package render

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

func TestSummary(t *testing.T) {
	md := NewMarkdown()
	tests := []struct{ src, want string }{
		{"First *para*graph\nwraps here.\n\nSecond.", "First paragraph wraps here."},
		{"# Heading\n\nText after a heading.", "Text after a heading."},
		{"<script>x()</script>\n\nPlain & simple.", "Plain & simple."},
		{strings.Repeat("word ", 80), strings.TrimSpace(strings.Repeat("word ", SummaryWords)) + "…"},
		{"", ""},
	}
	for i, tt := range tests {
		if got := md.Render(uint64(i), []byte(tt.src)).Summary; got != tt.want {
			t.Errorf("summary of %q = %q; want %q", tt.src, got, tt.want)
		}
	}
}

func TestMarkdownDropsRawHTML(t *testing.T) {
	md := NewMarkdown()
	got := string(md.Render(1, []byte("<img src=x onerror=alert(1)>\n\nA [link](javascript:alert(1)) and <b>bold</b>.\n\n# Title\n")).HTML)
	for _, bad := range []string{"<img", "javascript:", "<b>", "<h1>"} {
		if strings.Contains(got, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, got)
		}
	}
	if !strings.Contains(got, "<h2>Title</h2>") {
		t.Errorf("heading not demoted:\n%s", got)
	}
}

func TestPaths(t *testing.T) {
	for path, want := range map[string]string{"": "", "topics/": "../", "rounds/round-1/ceasefire/": "../../../", "404.html": ""} {
		if got := rootFor(path); got != want {
			t.Errorf("rootFor(%q) = %q; want %q", path, got, want)
		}
	}
	for path, want := range map[string]string{"": "index.html", "topics/": "topics/index.html", "404.html": "404.html"} {
		if got := OutputName(path); got != want {
			t.Errorf("OutputName(%q) = %q; want %q", path, got, want)
		}
	}
	r := NewRenderer(nil, nil, nil, nil, "https://example.github.io/briefing")
	if r.BaseURL != "https://example.github.io/briefing/" || r.basePath != "/briefing/" {
		t.Errorf("base %q path %q", r.BaseURL, r.basePath)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"", 3, ""},
		{"  one \t two\nthree  ", 3, "one two three"},
		{"one two three four", 3, "one two three…"},
		{"one, two; three: four", 3, "one, two; three…"},
		{"one two, three", 2, "one two…"},
		{"ünï cødé wörds", 2, "ünï cødé…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.s, tt.n); got != tt.want {
			t.Errorf("shorten(%q, %d) = %q; want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestEscapers checks the escaping of the generated code against
// html/template's own, in text, RCDATA, a quoted attribute, and at the
// start, in the path and in the query of an href.
func TestEscapers(t *testing.T) {
	tpl := template.Must(template.New("").Parse(`{{.}}|<title>{{.}}</title>|<p title="{{.}}">|<a href="{{.}}">|<a href="/x/{{.}}">|<a href="/x?q={{.}}">` +
		`|<p title={{.}}>|<a href={{.}}>|<a href=/x/{{.}}>|<a href=/x#{{.}}>|<meta http-equiv="refresh" content="1; url={{.}}">`))
	inputs := []string{
		"", "plain", `<script>alert('x')</script>`, `"quotes" & 'apostrophes' + plus`, "nul\x00byte",
		"ünïcödé — “typographic”", "invalid \xff\xfe utf-8", "\ufdd0\uffff",
		"https://example.org/a b?c=1&d=2+3#frag", "https://example.org/%41%zz%4", "%", "100%", "%4g%e9",
		"javascript:alert(1)", "JavaScript:x", "mailto:a@b.org", "HTTPS://X.org/", "data:text/html,x",
		"../../articles/x/", "./", "/briefing/", "rel/path:with-colon", "a'b(c)d`e{f}g|h\\i^j",
		"tab\tnew\nline ret\r= sign `tick`", "\ufdd0\ufdef\ufff0\uffff\ufffe",
	}
	for _, s := range inputs {
		var want bytes.Buffer
		if err := tpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		w := &fastWriter{buf: &got}
		w.text(s)
		w.raw(`|<title>`)
		w.text(s)
		w.raw(`</title>|<p title="`)
		w.text(s)
		w.raw(`">|<a href="`)
		w.url(s)
		w.raw(`">|<a href="/x/`)
		w.urlPart(s)
		w.raw(`">|<a href="/x?q=`)
		w.urlQuery(s)
		w.raw(`">|<p title=`)
		w.nospace(s)
		w.raw(`>|<a href=`)
		w.nospace(normalizeURL(filterURL(s)))
		w.raw(`>|<a href=/x/`)
		w.nospace(normalizeURL(s))
		w.raw(`>|<a href=/x#`)
		w.nospace(escapeURL(s))
		w.raw(`>|<meta http-equiv="refresh" content="1; url=`)
		w.text(filterURL(s))
		w.raw(`">`)
		if got.String() != want.String() {
			t.Errorf("%q:\n got %s\nwant %s", s, got.String(), want.String())
		}
	}
}

func TestHeadingsDemoted(t *testing.T) {
	md := NewMarkdown()
	got := string(md.Render(1, []byte("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six <i>x</i>\n\nSetext\n======\n")).HTML)
	want := "<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n<h5>Four</h5>\n<h6>Five</h6>\n<h6>Six <!-- raw HTML omitted -->x<!-- raw HTML omitted --></h6>\n<h2>Setext</h2>\n"
	if got != want {
		t.Errorf("headings:\n got %q\nwant %q", got, want)
	}
}
