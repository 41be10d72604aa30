package htmlpage

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// TestParse checks that Parse decodes gzip and a served charset, reads
// the metadata and resolves a relative canonical link.
func TestParse(t *testing.T) {
	page := `<html lang="ru"><head><meta property="og:title" content="Переговоры">
<link rel="canonical" href="/world/talks"></head><body><p>Стамбул</p></body></html>`
	var gz bytes.Buffer
	z := gzip.NewWriter(&gz)
	z.Write([]byte(page))
	z.Close()
	doc, err := Parse(gz.Bytes(), "https://herald.example/feed/1", "")
	if err != nil {
		t.Fatal(err)
	}
	m := doc.Meta
	if m.Title != "Переговоры" || m.From["title"] != FromOG || m.Canonical != "https://herald.example/world/talks" || m.Language != "ru" {
		t.Errorf("got %+v; want title %q from %s, canonical https://herald.example/world/talks, language ru", m, "Переговоры", FromOG)
	}
	if doc.Base == nil || doc.Base.Host != "herald.example" || doc.Root == nil {
		t.Errorf("got base %v, root %v; want the page's address and its tree", doc.Base, doc.Root)
	}
	cp1251 := []byte("<title>\xcf\xe5\xf0\xe5\xe3\xee\xe2\xee\xf0\xfb</title>")
	if doc, err := Parse(cp1251, "", "text/html; charset=windows-1251"); err != nil || doc.Meta.Title != "Переговоры" {
		t.Errorf("windows-1251 by Content-Type: got %v, %v; want title %q", doc, err, "Переговоры")
	}
}

// TestParseRejects checks that what is not a page is refused with a reason.
func TestParseRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", []byte("  \n"), "page is empty"},
		{"binary", []byte("%PDF-1.4\x00\x01\x02"), "page is binary"},
		{"broken gzip", []byte{0x1f, 0x8b, 0, 0}, "gunzip"},
		{"too large", bytes.Repeat([]byte("<p>"), MaxSize/3+1), "page is larger than 10 MB"},
	} {
		_, err := Parse(tc.data, "", "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v; want one containing %q", tc.name, err, tc.want)
		}
	}
}
