package importer

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digest/generator/content"
	"digest/generator/htmlpage"
	"digest/generator/htmlpage/extract"
)

// story is the body of the HTML pages below: it says "on Friday" and
// names a date in the text, which the metadata must win over.
const story = `<article><h1>Russia and Ukraine agree to swap 1,000 prisoners each</h1>
<p>Delegations from Russia and Ukraine met in Istanbul for their first direct talks in three years, at the Dolmabahce palace on the shore of the Bosphorus, with Turkish officials in the room.</p>
<p>The meeting lasted under two hours. Both sides agreed to a prisoner exchange of a thousand prisoners each in the coming days, the largest swap since the start of the war.</p>
<p>No agreement was reached on a ceasefire. A further meeting was discussed for 2 June 2025, officials said, without a venue being named.</p>
</article>`

// readHTML is the extraction in process: the test binary may link
// go-trafilatura, the digest binary runs it in digest-html.
func readHTML(_ context.Context, page []byte, pageURL, contentType string) (*htmlpage.Page, error) {
	return extract.Read(page, pageURL, contentType)
}

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(s))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImportHTML imports a gzip-compressed HTML page with JSON-LD beside
// a sidecar: title, outlet, date and address come from the metadata and
// are not to be reviewed, the round follows from the date, the topic from
// the text, the address from the metadata over the sidecar's, and the raw
// page is the .html.gz.
func TestImportHTML(t *testing.T) {
	page := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Swap | KI</title>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Russia and Ukraine agree to swap 1,000 prisoners each",
"datePublished":"2025-05-16T18:30:00+03:00","dateModified":"2025-06-20T10:00:00Z",
"publisher":{"@type":"Organization","name":"The Kyiv Independent"},"url":"https://kyivindependent.example/swap"}</script>
</head><body><nav><a href="/">Home</a> <a href="/war">War</a></nav>` + story + `<footer>All rights reserved</footer></body></html>`
	dir := testSite(t, map[string][]byte{
		"swap.html.gz": gz(t, page),
		"swap.yaml":    []byte("url: https://kyivindependent.example/swap?from=feed\nfetched_at: 2025-06-21\n"),
	})
	log, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, log)
	}
	got := articles(t, dir)["russia-and-ukraine-agree-to-swap-1-000-prisoners-each.md"]
	if got == "" {
		t.Fatalf("no article for the page; wrote %v\n%s", keys(articles(t, dir)), log)
	}
	for _, want := range []string{
		"title: Russia and Ukraine agree to swap 1,000 prisoners each",
		"source: The Kyiv Independent  # page metadata (JSON-LD)",
		// The text's "2 June 2025" points at round-2: the date from the
		// metadata decides, and only the round is left for review.
		"date: 2025-05-16  # page metadata (JSON-LD)",
		"topic: prisoner-exchange",
		"round: round-1  # date; the text names round-2",
		"review: [round]\n",
		"url: https://kyivindependent.example/swap\n",
		"raw: content/inbox/swap.html.gz",
		"Delegations from Russia and Ukraine met in Istanbul",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("article lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"All rights reserved", "Home"} {
		if strings.Contains(got, not) {
			t.Errorf("article has %q:\n%s", not, got)
		}
	}
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading the imported article: %v", err)
	}
	if len(site.Articles) != 1 {
		t.Errorf("loaded %d articles; want 1", len(site.Articles))
	}
	// The same page imported again gives the same file.
	before := got
	if _, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox", "swap.html.gz")); err != nil {
		t.Fatal(err)
	}
	if after := articles(t, dir)["russia-and-ukraine-agree-to-swap-1-000-prisoners-each.md"]; after != before {
		t.Errorf("re-import changed the article:\n%s\nwant:\n%s", after, before)
	}
}

// TestImportHTMLWithoutMetadata: where the page's markup is silent, the
// text rules decide, as for a text page, and the fields are left for
// review.
func TestImportHTMLWithoutMetadata(t *testing.T) {
	page := `<html><head><meta charset="utf-8"></head><body><div>` + story + `</div></body></html>`
	dir := testSite(t, map[string][]byte{"plain.htm": []byte(page)})
	log, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox", "plain.htm"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, log)
	}
	arts := articles(t, dir)
	if len(arts) != 1 {
		t.Fatalf("wrote %v; want one article", keys(arts))
	}
	for _, got := range arts {
		for _, want := range []string{"title: Russia and Ukraine agree to swap 1,000 prisoners each", "source: unknown", "raw: content/inbox/plain.htm", "review: [", "source"} {
			if !strings.Contains(got, want) {
				t.Errorf("article lacks %q:\n%s", want, got)
			}
		}
		if strings.Contains(got, "page metadata") {
			t.Errorf("article cites metadata the page does not have:\n%s", got)
		}
	}
}

// TestImportBadHTML: a page that is not HTML, or has no story, is named
// with its reason and the others are imported.
func TestImportBadHTML(t *testing.T) {
	good := `<html><head><meta charset="utf-8"></head><body>` + story + `</body></html>`
	dir := testSite(t, map[string][]byte{
		"good.html":   []byte(good),
		"empty.html":  []byte(" \n"),
		"menu.html":   []byte("<html><body><nav><a href=/>Home</a></nav></body></html>"),
		"bad.html.gz": {0x1f, 0x8b, 1, 2},
	})
	log, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	if err == nil {
		t.Fatal("import of bad pages succeeded; want errors")
	}
	for _, want := range []string{
		"content/inbox/bad.html.gz: import: gunzip",
		"content/inbox/empty.html: import: page is empty",
		"content/inbox/menu.html: import: no article text found",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%v", want, err)
		}
	}
	if n := len(articles(t, dir)); n != 1 || !strings.Contains(log, "good.html") {
		t.Errorf("wrote %d articles, log %q; want the good page imported", n, log)
	}
}

// TestSamePageTwice: the same story saved as text and as HTML (its
// canonical address written differently) gives one article, and the HTML
// page is reported as kept.
func TestSamePageTwice(t *testing.T) {
	html := `<html><head><meta charset="utf-8"><link rel="canonical" href="https://www.example.org/lavrov/?utm_source=feed#top"></head><body>` + story + `</body></html>`
	dir := testSite(t, map[string][]byte{
		"001.txt":  seed(t, "001_ddd55587bb5b04cc.txt"),
		"001.yaml": []byte("url: https://example.org/lavrov\nfetched_at: 2025-07-21\n"),
		"002.html": []byte(html),
		"003.html": []byte(strings.Replace(html, "lavrov", "other-story", 1)),
	})
	log, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, log)
	}
	if arts := articles(t, dir); len(arts) != 2 {
		t.Errorf("wrote %v; want 2 articles: the text and HTML of one story, and another story", keys(arts))
	}
	if !strings.Contains(log, "content/inbox/002.html -> content/articles/"+lavrov+" (exists, kept") {
		t.Errorf("log does not say the HTML page's article exists:\n%s", log)
	}
	if key, want := urlKey("https://www.example.org/lavrov/?utm_source=feed#top"), urlKey("https://example.org/lavrov"); key != want {
		t.Errorf("got key %q; want %q", key, want)
	}
	if urlKey("https://example.org/story?id=1") == urlKey("https://example.org/story?id=2") {
		t.Error("addresses differing in a meaningful parameter share a key")
	}
}

// TestImportHTMLWithoutReader checks that when the HTML reader cannot
// read (as when digest-html is missing) or there is none, an HTML page is
// refused with the reason, named by its file, and the text page beside it
// is still imported.
func TestImportHTMLWithoutReader(t *testing.T) {
	dir := testSite(t, map[string][]byte{
		"page.html": []byte("<html><body>" + story + "</body></html>"),
		"001.txt":   []byte("Istanbul talks\n\nDelegations from Russia and Ukraine met in Istanbul on 16 May 2025 for their first direct talks in three years.\n"),
	})
	noReader := func(context.Context, []byte, string, string) (*htmlpage.Page, error) {
		return nil, errors.New("HTML pages need the digest-html program beside digest (make build builds both)")
	}
	log, err := run(t, Options{Site: dir, ReadHTML: noReader}, filepath.Join(dir, "content", "inbox"))
	want := "content/inbox/page.html: import: HTML pages need the digest-html program beside digest (make build builds both)"
	if err == nil || err.Error() != want {
		t.Errorf("got error %v; want %q", err, want)
	}
	if n := len(articles(t, dir)); n != 1 {
		t.Errorf("got %d articles; want 1, from the text page\n%s", n, log)
	}
	if _, err := analyzeHTML(context.Background(), nil, Options{Site: dir}, filepath.Join(dir, "content", "inbox", "page.html")); err == nil {
		t.Error("with no reader: got no error; want one")
	}
}
