package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const testBase = "https://example.github.io/briefing/"

// goodSite is a small built site, served at testBase, with nothing wrong.
func goodSite() map[string]string {
	return map[string]string{
		"index.html": `<!doctype html><html><head>
<link rel="stylesheet" href="/briefing/css/site.css">
<link rel="canonical" href="https://example.github.io/briefing/">
<link rel="alternate" type="application/atom+xml" href="/briefing/feed.xml">
</head><body id="top-of-page">
<a href="#top">top</a> <a href="#top-of-page">also top</a> <a href="">self</a>
<a href="/briefing/topics/">Topics</a>
<a href="topics/ceasefire/#latest">Ceasefire</a>
<a href="https://example.org/elsewhere">an outlet</a>
<a href="mailto:desk@example.org">write</a>
<script src="/briefing/js/nav.js"></script>
</body></html>`,
		"topics/index.html": `<!doctype html><title>Topics</title>
<a href="../">home</a> <a href="ceasefire/">Ceasefire</a> <a href="ceasefire/page/2/">older</a>`,
		"topics/ceasefire/index.html": `<!doctype html><title>Ceasefire</title>
<h2 id="latest">Latest</h2><a name="older"></a>
<img src="../../img/map.png" srcset="../../img/map.png 1x, ../../img/map@2x.png 2x" alt="">
<a href="https://example.github.io/briefing/topics/#top">up</a>
<link rel="next" href="page/2/">`,
		"topics/ceasefire/page/2/index.html": `<!doctype html><a href="../../#older">newer</a>`,
		"404.html":                           `<!doctype html><a href="/briefing/">home</a><link rel="stylesheet" href="/briefing/css/site.css">`,
		"css/site.css":                       `body{}`,
		"js/nav.js":                          `//`,
		"img/map.png":                        `png`,
		"img/map@2x.png":                     `png`,
		"feed.xml": `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>https://example.github.io/briefing/</id>
<link rel="self" href="https://example.github.io/briefing/feed.xml"/>
<link href="https://example.github.io/briefing/"/>
<entry><id>tag:example.github.io,2025:ceasefire</id>
<link href="https://example.github.io/briefing/topics/ceasefire/"/>
<link rel="related" href="https://example.org/original"/>
<content type="html">&lt;a href="https://example.github.io/briefing/topics/"&gt;topics&lt;/a&gt;</content>
</entry></feed>`,
		"sitemap.xml": `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.github.io/briefing/</loc></url>
<url><loc>https://example.github.io/briefing/topics/ceasefire/</loc></url>
</urlset>`,
		"robots.txt": "User-agent: *\nAllow: /\nSitemap: https://example.github.io/briefing/sitemap.xml\n",
		".nojekyll":  "",
	}
}

// plant returns goodSite with changes: a file set to "" is removed; a
// string of the form "+text" is appended to the file.
func plant(changes map[string]string) fstest.MapFS {
	files := goodSite()
	for name, text := range changes {
		switch {
		case text == "":
			delete(files, name)
		case strings.HasPrefix(text, "+"):
			files[name] += text[1:]
		default:
			files[name] = text
		}
	}
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

func TestFS(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		changes map[string]string
		want    []string
	}{
		{name: "good site", want: nil},
		{
			name:    "broken link",
			changes: map[string]string{"index.html": `+<a href="/briefing/rounds/">Rounds</a>`},
			want:    []string{"index.html: /briefing/rounds/: broken link: no rounds/index.html in the output"},
		},
		{
			name:    "broken anchor",
			changes: map[string]string{"index.html": `+<a href="topics/ceasefire/#nowhere">x</a>`},
			want:    []string{`index.html: topics/ceasefire/#nowhere: broken anchor: no id "nowhere" in topics/ceasefire/index.html`},
		},
		{
			name:    "broken anchor on the same page",
			changes: map[string]string{"topics/index.html": `+<a href="#missing">x</a>`},
			want:    []string{`topics/index.html: #missing: broken anchor: no id "missing" in topics/index.html`},
		},
		{
			name:    "missing asset",
			changes: map[string]string{"img/map@2x.png": ""},
			want:    []string{"topics/ceasefire/index.html: ../../img/map@2x.png: missing asset: no img/map@2x.png in the output"},
		},
		{
			name:    "missing stylesheet",
			changes: map[string]string{"css/site.css": ""},
			want: []string{
				"404.html: /briefing/css/site.css: missing asset: no css/site.css in the output",
				"index.html: /briefing/css/site.css: missing asset: no css/site.css in the output",
			},
		},
		{
			name:    "orphan page",
			changes: map[string]string{"about/index.html": `<!doctype html><a href="/briefing/">home</a>`},
			want:    []string{"about/index.html: orphan: not reachable by links from index.html"},
		},
		{
			name: "orphans behind an orphan",
			changes: map[string]string{
				"topics/ceasefire/page/2/index.html": `<!doctype html><a href="../3/">older</a>`,
				"topics/ceasefire/page/3/index.html": `<!doctype html><a href="../2/">newer</a>`,
				"topics/index.html":                  `<!doctype html><a href="../">home</a> <a href="ceasefire/">Ceasefire</a>`,
				"topics/ceasefire/index.html":        `<!doctype html><h2 id="latest"></h2><a name="older"></a>`,
			},
			want: []string{
				"topics/ceasefire/page/2/index.html: orphan: not reachable by links from index.html",
				"topics/ceasefire/page/3/index.html: orphan: not reachable by links from index.html",
			},
		},
		{
			name: "relative URL in feed",
			changes: map[string]string{"feed.xml": `<feed xmlns="http://www.w3.org/2005/Atom">
<id>https://example.github.io/briefing/</id>
<link rel="self" href="feed.xml"/>
<entry><id>tag:example.github.io,2025:a</id><link href="/briefing/topics/"/>
<content type="html">&lt;img src="/briefing/img/map.png"&gt;</content></entry></feed>`},
			want: []string{
				"feed.xml: /briefing/img/map.png: relative URL in feed content",
				"feed.xml: /briefing/topics/: relative URL in feed",
				"feed.xml: feed.xml: relative URL in feed",
			},
		},
		{
			name: "feed links outside the base URL",
			changes: map[string]string{"feed.xml": `<feed xmlns="http://www.w3.org/2005/Atom">
<id>https://example.github.io/briefing/</id>
<link rel="self" href="https://example.org/feed.xml"/>
<link href="https://example.github.io/feed.xml"/>
<link href="https://example.github.io/briefing/gone/"/></feed>`},
			want: []string{
				"feed.xml: https://example.github.io/briefing/gone/: broken link: no gone/index.html in the output",
				"feed.xml: https://example.github.io/feed.xml: broken link: outside the base path /briefing/",
				"feed.xml: https://example.org/feed.xml: not under the base URL https://example.github.io/briefing/",
			},
		},
		{
			name: "feed self link naming another file",
			changes: map[string]string{
				"topics/ceasefire/feed.xml": `<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:example.github.io,2025:ceasefire</id>` +
					`<link rel="self" href="https://example.github.io/briefing/feed.xml"/></feed>`,
			},
			want: []string{"topics/ceasefire/feed.xml: https://example.github.io/briefing/feed.xml: self link names feed.xml, not this feed"},
		},
		{
			name:    "malformed feed",
			changes: map[string]string{"feed.xml": "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>a</titel></feed>"},
			want:    []string{"feed.xml: malformed XML: XML syntax error on line 2: element <title> closed by </titel>"},
		},
		{
			name:    "two root elements",
			changes: map[string]string{"sitemap.xml": "<urlset/>\n<urlset/>"},
			want:    []string{"sitemap.xml: malformed XML: line 2: a second root element <urlset>"},
		},
		{
			name: "sitemap",
			changes: map[string]string{"sitemap.xml": `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/briefing/</loc></url>
<url><loc>https://briefing.example.org/</loc></url>
<url><loc>http://example.github.io/briefing/</loc></url>
</urlset>`},
			want: []string{
				"sitemap.xml: /briefing/: relative URL in sitemap",
				"sitemap.xml: http://example.github.io/briefing/: scheme http differs from the base URL's https",
				"sitemap.xml: https://briefing.example.org/: not under the base URL https://example.github.io/briefing/",
			},
		},
		{
			name: "link outside the base path",
			changes: map[string]string{"index.html": `+<a href="/topics/">x</a><a href="/briefing">home</a>` +
				`<a href="../../../etc/">up</a><a href="https://example.github.io/other/">sibling</a>`},
			want: []string{
				"index.html: ../../../etc/: broken link: outside the base path /briefing/",
				"index.html: /briefing: broken link: is the site root without its trailing slash; want /briefing/",
				"index.html: /topics/: broken link: outside the base path /briefing/",
				"index.html: https://example.github.io/other/: broken link: outside the base path /briefing/",
			},
		},
		{
			name:    "directory without its trailing slash",
			changes: map[string]string{"index.html": `+<a href="topics">x</a>`},
			want:    []string{"index.html: topics: broken link: is a directory; want a trailing slash: /briefing/topics/"},
		},
		{
			name:    "relative link in 404.html",
			changes: map[string]string{"404.html": `<a href="topics/">Topics</a><a href="#x" id="x">here</a>`},
			want:    []string{"404.html: topics/: relative link in 404.html, which is served at any missing path"},
		},
		{
			name: "canonical link",
			changes: map[string]string{
				"topics/index.html": `+<link rel="canonical" href="/briefing/topics/">`,
				"index.html":        `+<link rel="canonical" href="https://example.org/briefing/">`,
			},
			want: []string{
				"index.html: https://example.org/briefing/: canonical URL is not under the base URL https://example.github.io/briefing/",
				"topics/index.html: /briefing/topics/: canonical URL is not absolute",
			},
		},
		{
			name: "base element, srcset, meta refresh, form",
			changes: map[string]string{"topics/index.html": `+<base href="/briefing/img/">` +
				`<img srcset="map.png, gone.png 2x"><meta http-equiv="refresh" content="0; url='/briefing/moved/'">` +
				`<form action="/briefing/search/"></form>`},
			want: []string{
				"topics/index.html: /briefing/moved/: broken link: no moved/index.html in the output",
				"topics/index.html: /briefing/search/: broken link: no search/index.html in the output",
				// The base element applies to every relative link of the page.
				"topics/index.html: ceasefire/: broken link: no img/ceasefire/index.html in the output",
				"topics/index.html: ceasefire/page/2/: broken link: no img/ceasefire/page/2/index.html in the output",
				"topics/index.html: gone.png: missing asset: no img/gone.png in the output",
			},
		},
		{
			name:    "link inside noscript",
			changes: map[string]string{"topics/index.html": `+<noscript><a href="../search/">search</a></noscript>`},
			want:    []string{"topics/index.html: ../search/: broken link: no search/index.html in the output"},
		},
		{
			name:    "malformed URL",
			changes: map[string]string{"index.html": `+<a href="http://[::1">x</a>`},
			want:    []string{`index.html: http://[::1: malformed URL: missing ']' in host`},
		},
		{
			name:    "missing required files",
			changes: map[string]string{".nojekyll": "", "robots.txt": "", "404.html": "", "sitemap.xml": ""},
			want: []string{
				".nojekyll: missing",
				"404.html: missing",
				"robots.txt: missing",
				"sitemap.xml: missing",
			},
		},
		{
			name:    "missing home page",
			changes: map[string]string{"index.html": ""},
			want: []string{
				"404.html: /briefing/: broken link: no index.html in the output",
				"feed.xml: https://example.github.io/briefing/: broken link: no index.html in the output",
				"index.html: missing",
				"sitemap.xml: https://example.github.io/briefing/: broken link: no index.html in the output",
				"topics/index.html: ../: broken link: no index.html in the output",
			},
		},
		{
			name:    "robots.txt sitemap line",
			changes: map[string]string{"robots.txt": "User-agent: *\nSitemap: /briefing/sitemap.xml\n"},
			want:    []string{"robots.txt: /briefing/sitemap.xml: relative URL in robots.txt"},
		},
		{
			name:    "CNAME for another host",
			changes: map[string]string{"CNAME": "briefing.example.org\n"},
			want:    []string{"CNAME: names briefing.example.org but the base URL's host is example.github.io"},
		},
		{
			name:    "CNAME for the base URL's host",
			base:    "https://example.github.io/briefing",
			changes: map[string]string{"CNAME": "example.github.io\n"},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == "" {
				base = testBase
			}
			problems, err := FS(context.Background(), plant(tt.changes), base)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(strings_(problems), "\n")
			want := strings.Join(tt.want, "\n")
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestRootBaseURL checks a site served at the root of a domain, where
// root-absolute links have no prefix.
func TestRootBaseURL(t *testing.T) {
	fsys := fstest.MapFS{
		"index.html":        {Data: []byte(`<a href="/topics/">t</a><a href="/briefing/">old prefix</a><link rel="stylesheet" href="/site.css">`)},
		"topics/index.html": {Data: []byte(`<a href="/">home</a>`)},
		"site.css":          {Data: []byte(``)},
		"404.html":          {Data: []byte(`<a href="/">home</a>`)},
		"sitemap.xml":       {Data: []byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://briefing.example.org/topics/</loc></url></urlset>`)},
		"robots.txt":        {Data: []byte("User-agent: *\n")},
		".nojekyll":         {Data: nil},
		"CNAME":             {Data: []byte("briefing.example.org")},
	}
	problems, err := FS(context.Background(), fsys, "https://briefing.example.org/")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings_(problems), "\n")
	want := "index.html: /briefing/: broken link: no briefing/index.html in the output"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestDir plants a broken link, a broken anchor, a missing asset and an
// orphan page in a site on disk, without .nojekyll and robots.txt.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	changes := map[string]string{
		"index.html":       `+<a href="/briefing/rounds/">r</a><a href="/briefing/topics/#gone">t</a><img src="/briefing/img/seal.png">`,
		"about/index.html": `<a href="/briefing/">home</a>`,
		".nojekyll":        "",
		"robots.txt":       "",
	}
	for name, f := range plant(changes) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := Dir(context.Background(), dir, testBase)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings_(problems), "\n")
	want := strings.Join([]string{
		".nojekyll: missing",
		"about/index.html: orphan: not reachable by links from index.html",
		"index.html: /briefing/img/seal.png: missing asset: no img/seal.png in the output",
		"index.html: /briefing/rounds/: broken link: no rounds/index.html in the output",
		`index.html: /briefing/topics/#gone: broken anchor: no id "gone" in topics/index.html`,
		"robots.txt: missing",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestDirErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		dir, base, want string
	}{
		{dir, "/briefing/", `check: base URL "/briefing/": want an absolute http or https URL`},
		{dir, "ftp://example.org/", `check: base URL "ftp://example.org/": want an absolute http or https URL`},
		{dir, "https://example.org/?x=1", `check: base URL "https://example.org/?x=1": want no query or fragment`},
		{filepath.Join(dir, "none"), testBase, "check: stat " + filepath.Join(dir, "none") + ": no such file or directory"},
	}
	for _, tt := range tests {
		_, err := Dir(ctx, tt.dir, tt.base)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Dir(%q, %q): got %v; want %s", tt.dir, tt.base, err, tt.want)
		}
	}
}

func TestSrcsetURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a.png", "a.png"},
		{"a.png 1x, b.png 2x", "a.png|b.png"},
		{"  a.png  480w ,b.png 800w  ", "a.png|b.png"},
		{"a.png,b.png", "a.png,b.png"},
		{"a.png, b.png", "a.png|b.png"},
		{"a,1.png 1x, b.png (max-width: 1px, 2x) 2x, c.png", "a,1.png|b.png|c.png"},
		{"", ""},
	}
	for _, tt := range tests {
		got := strings.Join(srcsetURLs(tt.in), "|")
		if got != tt.want {
			t.Errorf("srcsetURLs(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestRefreshURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0; url=/briefing/x/", "/briefing/x/"},
		{"0;URL='../y/'", "../y/"},
		{`5; url = "z.html"`, "z.html"},
		{"0; /w/", "/w/"},
		{"30", ""},
	}
	for _, tt := range tests {
		if got := refreshURL(tt.in); got != tt.want {
			t.Errorf("refreshURL(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := FS(ctx, plant(nil), testBase); err != context.Canceled {
		t.Errorf("got %v; want %v", err, context.Canceled)
	}
}

func strings_(problems []Problem) []string {
	out := make([]string, len(problems))
	for i, p := range problems {
		out[i] = p.String()
	}
	return out
}

// BenchmarkFS checks a synthetic site of 2,000 article pages, each linking
// to its neighbours, a topic page and the home page, with anchors.
func BenchmarkFS(b *testing.B) {
	const n = 2000
	fsys := plant(nil)
	var home strings.Builder
	home.WriteString(`<!doctype html><a href="/briefing/topics/">topics</a>`)
	for i := range n {
		fmt.Fprintf(&home, `<a href="articles/a%d/">a%d</a>`, i, i)
		var page strings.Builder
		fmt.Fprintf(&page, `<!doctype html><html><head><link rel="stylesheet" href="/briefing/css/site.css">`+
			`<link rel="canonical" href="https://example.github.io/briefing/articles/a%d/"></head><body>`+
			`<h1 id="title">a%d</h1><a href="/briefing/">home</a><a href="../../topics/ceasefire/#latest">ceasefire</a>`, i, i)
		fmt.Fprintf(&page, `<a href="../a%d/#title">prev</a><a href="../a%d/#title">next</a>`, (i+n-1)%n, (i+1)%n)
		page.WriteString(strings.Repeat(`<p>Delegations met in Istanbul; <a href="https://example.org/x">an outlet</a> reported it.</p>`, 20))
		page.WriteString(`</body></html>`)
		fsys[fmt.Sprintf("articles/a%d/index.html", i)] = &fstest.MapFile{Data: []byte(page.String())}
	}
	fsys["index.html"] = &fstest.MapFile{Data: []byte(home.String())}
	b.ResetTimer()
	for b.Loop() {
		problems, err := FS(context.Background(), fsys, testBase)
		if err != nil || len(problems) > 0 {
			b.Fatalf("FS: %v %v", problems, err)
		}
	}
}
