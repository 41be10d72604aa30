package serve

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"digest/generator/build"
	"digest/generator/render"
)

// bidiSite writes a small site whose scraped texts carry bidirectional
// formatting characters left open, closed without opening, and paired:
// an outlet whose name opens a right-to-left override, and an article
// whose title opens one and an isolate and closes an isolate it never
// opened. Two articles of one round link to each other.
func bidiSite(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	files := map[string]string{
		"content/site.yaml":    "title: Bidi Briefing\nbase_url: https://example.github.io/briefing/\nlanguage: en\n",
		"content/topics.yaml":  "- id: ceasefire\n  name: Ceasefire\n",
		"content/rounds.yaml":  "- id: round-1\n  name: First round\n  date: 2025-05-16\n",
		"content/sources.yaml": "- name: RT\n",
		"content/articles/override.md": "---\n" +
			`title: "Talks ` + "\u202E" + `elbatpecca` + "\u2069" + ` end ` + "\u2066" + `early"` + "\n" +
			`source: "Gazette ` + "\u202E" + `of the day"` + "\n" +
			"date: 2025-05-16\ntopic: ceasefire\n" +
			`url: "https://exa` + "\u202E" + `mple.org/a"` + "\n---\n\nA summary \u202Ewith an override left open.\n",
		"content/articles/paired.md": "---\n" +
			`title: "Quote ` + "\u202B" + `in an embedding` + "\u202C" + ` closed"` + "\n" +
			"source: RT\ndate: 2025-05-17\ntopic: ceasefire\n---\n\nBody.\n",
	}
	for name, text := range files {
		writeFile(t, filepath.Join(site, filepath.FromSlash(name)), text)
	}
	return site
}

// buildSite builds site into a new directory for a preview at
// http://127.0.0.1:1313/briefing/ and returns it.
func buildSite(t testing.TB, site string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	b, err := build.New(build.Options{Site: site, Out: out, BaseURL: "http://127.0.0.1:1313/briefing/", NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out
}

// pages returns the HTML files of a built site, by slash-separated path.
func pages(t testing.TB, out string) map[string]*html.Node {
	t.Helper()
	docs := map[string]*html.Node{}
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		docs[filepath.ToSlash(rel)] = doc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// elements returns the element children of n.
func elements(n *html.Node) []*html.Node {
	var list []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			list = append(list, c)
		}
	}
	return list
}

func find(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, a); f != nil {
			return f
		}
	}
	return nil
}

// TestPagesDeclarePolicy builds the repository's site and the bidi site
// and checks every page, the 404 page too: it declares its language, then
// as the first two elements of its head the charset and PagePolicy; it
// has no inline script, event handler attribute, style element or
// attribute, or script and stylesheet from another origin, any of which
// the policy would block.
func TestPagesDeclarePolicy(t *testing.T) {
	for name, site := range map[string]string{"repository": copySite(t), "bidi": bidiSite(t)} {
		docs := pages(t, buildSite(t, site))
		if _, ok := docs["404.html"]; !ok {
			t.Errorf("%s site: no 404.html", name)
		}
		for path, doc := range docs {
			where := name + " site: " + path
			root := find(doc, atom.Html)
			if lang, _ := attr(root, "lang"); lang == "" {
				t.Errorf("%s: <html> declares no language", where)
			}
			head := elements(find(doc, atom.Head))
			if len(head) < 2 {
				t.Errorf("%s: head has %d elements", where, len(head))
				continue
			}
			if cs, _ := attr(head[0], "charset"); head[0].DataAtom != atom.Meta || cs != "utf-8" {
				t.Errorf("%s: first element of the head is not <meta charset=\"utf-8\">", where)
			}
			equiv, _ := attr(head[1], "http-equiv")
			policy, _ := attr(head[1], "content")
			if head[1].DataAtom != atom.Meta || equiv != "Content-Security-Policy" || policy != PagePolicy {
				t.Errorf("%s: second element of the head is <%s http-equiv=%q content=%q>; want the policy %q",
					where, head[1].Data, equiv, policy, PagePolicy)
			}
			checkPolicyKept(t, where, doc)
		}
		t.Logf("%s site: %d pages checked", name, len(docs))
	}
}

// checkPolicyKept reports what in doc PagePolicy would block.
func checkPolicyKept(t *testing.T, where string, n *html.Node) {
	t.Helper()
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "style" {
				t.Errorf("%s: <%s %s=%q>", where, n.Data, a.Key, a.Val)
			}
		}
		src, hasSrc := attr(n, "src")
		switch n.DataAtom {
		case atom.Script:
			if !hasSrc {
				t.Errorf("%s: inline <script>", where)
			}
		case atom.Style:
			t.Errorf("%s: <style> element", where)
		case atom.Link:
			if rel, _ := attr(n, "rel"); rel == "stylesheet" {
				src, hasSrc = attr(n, "href")
			}
		}
		if hasSrc && (strings.Contains(src, "//") || strings.Contains(src, ":")) {
			t.Errorf("%s: <%s> loads %q from another origin", where, n.Data, src)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		checkPolicyKept(t, where, c)
	}
}

// bidiControl reports whether s holds a bidi embedding, override or
// isolate character, paired or not.
func bidiControl(s string) bool {
	return strings.ContainsAny(s, "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069")
}

// TestBidiIsolated checks where the bidi site's texts land: in every page
// a text that carries a bidi control is the whole of its block (the h1,
// the summary, a paragraph of the body) or inside a <bdi>, unless it is
// already balanced; the page title, the feeds and the search index carry
// the titles and names BidiSafe.
func TestBidiIsolated(t *testing.T) {
	out := buildSite(t, bidiSite(t))
	const (
		title     = "Talks \u202Eelbatpecca\u2069 end \u2066early"
		safeTitle = "Talks elbatpecca end early"
		source    = "Gazette \u202Eof the day"
		safeSrc   = "Gazette of the day"
		paired    = "Quote \u202Bin an embedding\u202C closed"
	)
	if got := render.BidiSafe(title); got != safeTitle {
		t.Fatalf("BidiSafe(%+q) = %+q; want %+q", title, got, safeTitle)
	}
	docs := pages(t, out)
	isolatedTitles := 0
	for path, doc := range docs {
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode && bidiControl(n.Data) && render.BidiSafe(n.Data) != n.Data {
				p := n.Parent
				alone := n.PrevSibling == nil && n.NextSibling == nil &&
					(p.DataAtom == atom.H1 || p.DataAtom == atom.P)
				inBdi := false
				for a := p; a != nil; a = a.Parent {
					if a.DataAtom == atom.Bdi {
						inBdi = true
					}
				}
				if !alone && !inBdi {
					t.Errorf("%s: text %+q in <%s> is not isolated", path, n.Data, p.Data)
				}
				if inBdi && n.Data == title {
					isolatedTitles++
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	if isolatedTitles < 5 {
		t.Errorf("the title was isolated %d times; want it in every list and the next link (5 or more)", isolatedTitles)
	}

	article := docs["articles/override/index.html"]
	if got := find(article, atom.Title).FirstChild.Data; got != safeTitle+" · Bidi Briefing" {
		t.Errorf("<title> %+q; want %+q", got, safeTitle+" · Bidi Briefing")
	}
	pairedPage := docs["articles/paired/index.html"]
	if got := find(pairedPage, atom.Title).FirstChild.Data; got != paired+" · Bidi Briefing" {
		t.Errorf("<title> %+q; want the paired embedding kept: %+q", got, paired+" · Bidi Briefing")
	}

	for _, tt := range []struct {
		file      string
		want, bad []string
	}{
		{"feed.xml", []string{"<title>" + safeTitle + "</title>", "<name>" + safeSrc + "</name>", "<title>" + paired + "</title>", "A summary with an override left open."}, []string{"\u202E", "\u2066"}},
		{"topics/ceasefire/feed.xml", []string{"<title>" + safeTitle + "</title>"}, []string{"\u202E", "\u2066"}},
		{"search/d/", []string{`"t":"` + safeTitle + `"`, `"s":"` + safeSrc + `"`, `"t":"` + paired + `"`}, []string{"\u202E", "\u2066"}},
	} {
		var data []byte
		if dir, ok := strings.CutSuffix(tt.file, "/"); ok {
			// The search index's documents, one an article, read as one.
			entries, err := os.ReadDir(filepath.Join(out, filepath.FromSlash(dir)))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(dir), e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				data = append(append(data, b...), '\n')
			}
		} else {
			var err error
			if data, err = os.ReadFile(filepath.Join(out, filepath.FromSlash(tt.file))); err != nil {
				t.Fatal(err)
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s does not contain %+q", tt.file, w)
			}
		}
		for _, b := range tt.bad {
			if strings.Contains(string(data), b) {
				t.Errorf("%s contains %+q", tt.file, b)
			}
		}
	}
}
