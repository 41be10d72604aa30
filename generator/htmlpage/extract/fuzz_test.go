package extract

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzRead feeds Read arbitrary bytes, starting from the test pages: it
// must return a page or an error, never panic, and a page's text must be
// valid UTF-8 with no empty paragraph.
func FuzzRead(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("<script type=application/ld+json>[[{\"@type\":[\"NewsArticle\"],\"author\":[1,{}]}]]</script>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Read(data, "https://example.org/a/b", "")
		if err != nil {
			return
		}
		for _, para := range p.Paragraphs {
			if para == "" || !utf8.ValidString(para) {
				t.Fatalf("got paragraph %q; want non-empty UTF-8", para)
			}
		}
		if !utf8.ValidString(p.Meta.Title) || !utf8.ValidString(p.Meta.Outlet) {
			t.Fatalf("got title %q, outlet %q; want UTF-8", p.Meta.Title, p.Meta.Outlet)
		}
	})
}
