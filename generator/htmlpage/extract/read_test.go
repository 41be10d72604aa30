package extract

import (
	"bytes"
	"compress/gzip"
	"digest/generator/htmlpage"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func readTestPage(t *testing.T, name, pageURL string) *htmlpage.Page {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(data, pageURL, "")
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return p
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestMeta checks each field's value and where it came from, on pages
// written for the test: one per source of metadata, one whose sources
// disagree, and one with none.
func TestMeta(t *testing.T) {
	for _, tc := range []struct {
		file, url string
		want      htmlpage.Meta
	}{
		{"jsonld.html", "", htmlpage.Meta{
			Title:     "Russia and Ukraine agree prisoner swap in first direct talks",
			Outlet:    "Example News",
			Published: date("2025-05-16T17:42:00+03:00"),
			Modified:  date("2025-05-17T09:00:00+03:00"),
			Canonical: "https://news.example/2025/05/16/talks",
			Author:    "Anna Petrova, John Smith",
			Language:  "en",
			From: map[string]string{"title": htmlpage.FromJSONLD, "outlet": htmlpage.FromJSONLD, "published": htmlpage.FromJSONLD,
				"modified": htmlpage.FromJSONLD, "canonical": htmlpage.FromJSONLD, "author": htmlpage.FromJSONLD, "language": htmlpage.FromJSONLD},
		}},
		{"opengraph.html", "https://herald.example/world/ceasefire-elusive", htmlpage.Meta{
			Title:     "Ceasefire elusive after Istanbul meeting",
			Outlet:    "The Example Herald",
			Published: date("2025-06-02T19:05:00+03:00"),
			Modified:  date("2025-06-03T07:30:00+03:00"),
			Canonical: "https://herald.example/world/ceasefire-elusive", // <link rel=canonical>, resolved
			Author:    "Maria Ivanova",
			Language:  "en",
			From: map[string]string{"title": htmlpage.FromOG, "outlet": htmlpage.FromOG, "published": htmlpage.FromOG,
				"modified": htmlpage.FromOG, "canonical": htmlpage.FromOG, "author": htmlpage.FromOG, "language": htmlpage.FromOG},
		}},
		{"time.html", "", htmlpage.Meta{
			Title:     "Second round in Istanbul",
			Published: date("2025-06-02T12:00:00Z"), // itemprop=datePublished before the first <time>
			Language:  "uk",
			Author:    "Staff", // no author tag: the byline, read by the library
			From:      map[string]string{"title": "<title>", "published": htmlpage.FromTime, "language": htmlpage.FromOG, "author": "page text"},
		}},
		{"conflicting.html", "", htmlpage.Meta{
			// JSON-LD has only a modified date: it does not stand in for
			// the published one, which comes from Open Graph, not from
			// the text's "first published on 20 July" nor the <time>.
			Title:     "Talks resume in Istanbul",
			Outlet:    "Example Wire",
			Published: date("2025-07-23T21:15:00+03:00"),
			Modified:  date("2025-07-24T10:00:00Z"),
			Language:  "en", // no tag: the library's guess from the text
			From: map[string]string{"title": htmlpage.FromJSONLD, "outlet": htmlpage.FromJSONLD, "published": htmlpage.FromOG,
				"modified": htmlpage.FromJSONLD, "language": "page text"},
		}},
		{"missing.html", "", htmlpage.Meta{Language: "en", From: map[string]string{"language": "page text"}}},
	} {
		p := readTestPage(t, tc.file, tc.url)
		got := p.Meta
		if got.Title != tc.want.Title || got.Outlet != tc.want.Outlet || got.Canonical != tc.want.Canonical ||
			got.Author != tc.want.Author || got.Language != tc.want.Language {
			t.Errorf("%s: got title %q, outlet %q, canonical %q, author %q, language %q; want %q, %q, %q, %q, %q",
				tc.file, got.Title, got.Outlet, got.Canonical, got.Author, got.Language,
				tc.want.Title, tc.want.Outlet, tc.want.Canonical, tc.want.Author, tc.want.Language)
		}
		if !got.Published.Equal(tc.want.Published) || !got.Modified.Equal(tc.want.Modified) {
			t.Errorf("%s: got published %v, modified %v; want %v, %v",
				tc.file, got.Published, got.Modified, tc.want.Published, tc.want.Modified)
		}
		for field, want := range tc.want.From {
			if got.From[field] != want {
				t.Errorf("%s: got %s from %q; want from %q", tc.file, field, got.From[field], want)
			}
		}
		if len(got.From) != len(tc.want.From) {
			t.Errorf("%s: got sources %v; want %v", tc.file, got.From, tc.want.From)
		}
		story := p.Paragraphs
		if len(story) > 0 && strings.HasPrefix(story[0], "Updated on") {
			story = story[1:] // conflicting.html's dates in the text
		}
		if len(story) != 3 || !strings.HasPrefix(story[0], "Delegations from Russia") {
			t.Errorf("%s: got paragraphs %q; want the three of the story, first \"Delegations from Russia...\"", tc.file, p.Paragraphs)
		}
		for _, para := range p.Paragraphs {
			if para == tc.want.Title || strings.Contains(para, "Copyright") || strings.Contains(para, "Home") {
				t.Errorf("%s: got paragraph %q; want only the story", tc.file, para)
			}
		}
	}
}

// TestReadEncodings reads the same page gzip-compressed, and in
// windows-1251 as older Russian sites serve it, named by the page or only
// by the Content-Type.
func TestReadEncodings(t *testing.T) {
	story := "<p>Делегации России и Украины встретились в Стамбуле в пятницу на первых за три года прямых переговорах во дворце Долмабахче на берегу Босфора.</p>" +
		"<p>Встреча длилась меньше двух часов. Стороны договорились обменяться тысячей пленных с каждой стороны в ближайшие дни, сообщили официальные лица.</p>" +
		"<p>Соглашения о прекращении огня достигнуто не было. Украинская сторона заявила, что российская делегация выдвинула новые требования.</p>"
	page := func(head string) string {
		return "<html><head>" + head + "<title>Переговоры в Стамбуле</title></head><body><article>" + story + "</article></body></html>"
	}
	cp1251 := func(s string) []byte {
		b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write([]byte(page(`<meta charset="utf-8">`)))
	z.Close()
	for _, tc := range []struct {
		name        string
		data        []byte
		contentType string
	}{
		{"gzip", gz.Bytes(), ""},
		{"windows-1251 in <meta>", cp1251(page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`)), ""},
		{"windows-1251 in Content-Type", cp1251(page("")), "text/html; charset=windows-1251"},
	} {
		p, err := Read(tc.data, "", tc.contentType)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if p.Meta.Title != "Переговоры в Стамбуле" || len(p.Paragraphs) == 0 || !strings.HasPrefix(p.Paragraphs[0], "Делегации России") {
			t.Errorf("%s: got title %q, paragraphs %q; want %q and the story", tc.name, p.Meta.Title, p.Paragraphs, "Переговоры в Стамбуле")
		}
	}
}

// TestReadRejects checks that what is not a page is refused with a reason.
func TestReadRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", []byte("  \n"), "page is empty"},
		{"binary", []byte("%PDF-1.4\x00\x01\x02"), "page is binary"},
		{"no story", []byte("<html><body><nav><a href=/>Home</a></nav></body></html>"), "no article text"},
		{"broken gzip", []byte{0x1f, 0x8b, 0, 0}, "gunzip"},
	} {
		_, err := Read(tc.data, "", "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}
