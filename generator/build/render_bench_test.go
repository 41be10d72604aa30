package build

import (
	"bytes"
	"os"
	"testing"

	"digest/generator/content"
	"digest/generator/corpus"
	"digest/generator/render"
	"digest/generator/site"
	"digest/layouts"
)

// BenchmarkTemplates splits the rendering of a 1,000-article site into
// article pages (markdown included), markdown alone, and list pages.
func BenchmarkTemplates(b *testing.B) {
	dir := b.TempDir()
	corpus.Write(dir, 1000, 1)
	fsys := os.DirFS(dir)
	s, err := content.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := render.LoadTemplates(layouts.FS, fsys)
	m := site.New(s)
	pages := m.Pages()
	md := render.NewMarkdown()
	r := render.NewRenderer(fsys, tpl, md, m, "https://x.org/")
	var buf bytes.Buffer
	for _, p := range pages {
		r.Page(&buf, p)
	}
	bodies := map[*content.Article][]byte{}
	for _, a := range s.Articles {
		bodies[a], _ = a.ReadBody(fsys)
	}
	b.Run("articles", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, p := range pages {
				if p.Layout == "article" {
					buf.Reset()
					r.Page(&buf, p)
				}
			}
		}
	})
	b.Run("markdown", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for a, src := range bodies {
				md.Render(a.Hash, src)
			}
		}
	})
	b.Run("lists", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, p := range pages {
				if p.Layout != "article" {
					buf.Reset()
					r.Page(&buf, p)
				}
			}
		}
	})
}
