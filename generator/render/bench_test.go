package render

import (
	"bytes"
	"os"
	"testing"

	"digest/generator/corpus"
	"digest/generator/site"
	"digest/layouts"
)

// BenchmarkPages renders the article pages (markdown bodies included) and
// the other pages (entries rendered again each time) of a 1,000-article
// site, with the generated code and with the layouts run as templates.
func BenchmarkPages(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	s := loadSite(b, fsys)
	tpl, err := LoadTemplates(layouts.FS, fsys)
	if err != nil {
		b.Fatal(err)
	}
	md := NewMarkdown()
	var articles, lists []*site.Page
	for _, p := range s.pages {
		if p.Layout == "article" {
			articles = append(articles, p)
		} else {
			lists = append(lists, p)
		}
	}
	for _, kind := range []struct {
		name  string
		pages []*site.Page
	}{{"articles", articles}, {"lists", lists}} {
		for _, way := range []string{"generated", "templates"} {
			b.Run(kind.name+"/"+way, func(b *testing.B) {
				var buf bytes.Buffer
				for b.Loop() {
					r := NewRenderer(fsys, tpl, md, s.model, s.model.Config.BaseURL)
					if way == "templates" {
						r = asTemplates(r)
					}
					for _, p := range kind.pages {
						buf.Reset()
						if err := r.Page(&buf, p); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
