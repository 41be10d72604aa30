package bench

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"digest/generator/build"
	"digest/generator/content"
	"digest/generator/corpus"
	"digest/generator/render"
	"digest/generator/site"
	"digest/layouts"
)

// TestBuildCorpus checks that the digest builds a small corpus, so the
// benchmarks below measure a working build.
func TestBuildCorpus(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, 30, 1); err != nil {
		t.Fatal(err)
	}
	b, err := build.New(build.Options{Site: dir, Out: filepath.Join(dir, "public"), NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "public", "articles", "*", "index.html"))
	if len(pages) != 30 {
		t.Errorf("article pages: got %d; want 30", len(pages))
	}
	if res.Pages <= 30 {
		t.Errorf("pages: got %d; want the 30 articles and the list pages", res.Pages)
	}
}

// editor appends a line to one article of a site on each call.
type editor struct {
	path     string
	original []byte
	n        int
}

func newEditor(b *testing.B, siteDir string) *editor {
	b.Helper()
	matches, _ := filepath.Glob(filepath.Join(siteDir, "content", "articles", "*.md"))
	if len(matches) == 0 {
		b.Fatal("no articles in", siteDir)
	}
	slices.Sort(matches)
	data, err := os.ReadFile(matches[0])
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(matches[0], data, 0o644) })
	return &editor{path: matches[0], original: data}
}

func (e *editor) edit(b *testing.B) {
	e.n++
	data := fmt.Appendf(slices.Clip(e.original), "\nEdited for rebuild %d.\n", e.n)
	if err := os.WriteFile(e.path, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

func newBuilder(b *testing.B, siteDir, out string, noCache bool) *build.Builder {
	b.Helper()
	bl, err := build.New(build.Options{Site: siteDir, Out: out, NoCache: noCache})
	if err != nil {
		b.Fatal(err)
	}
	return bl
}

// BenchmarkLoad times loading the registries and every article.
func BenchmarkLoad(b *testing.B) {
	fsys := os.DirFS(benchSite(b))
	for b.Loop() {
		if _, err := content.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModel times grouping the loaded site into pages.
func BenchmarkModel(b *testing.B) {
	s, err := content.Load(os.DirFS(benchSite(b)))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		site.New(s).Pages()
	}
}

// BenchmarkBuildCold times a full build into an empty output, without the
// cache file: `digest build` on a fresh checkout.
func BenchmarkBuildCold(b *testing.B) {
	siteDir := benchSite(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		out := filepath.Join(b.TempDir(), "public")
		b.StartTimer()
		if _, err := newBuilder(b, siteDir, out, true).Build(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildWarmCommand times a new Builder on an output built before,
// with its cache file, and nothing changed: `digest build` run twice.
func BenchmarkBuildWarmCommand(b *testing.B) {
	siteDir := benchSite(b)
	out := filepath.Join(b.TempDir(), "public")
	ctx := context.Background()
	if _, err := newBuilder(b, siteDir, out, false).Build(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := newBuilder(b, siteDir, out, false).Build(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildWarm times a rebuild with nothing changed on the same
// Builder, as the preview server does.
func BenchmarkBuildWarm(b *testing.B) {
	siteDir := benchSite(b)
	bl := newBuilder(b, siteDir, filepath.Join(b.TempDir(), "public"), true)
	ctx := context.Background()
	if _, err := bl.Build(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := bl.Build(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildEditOne times a rebuild on the same Builder after one
// article changed.
func BenchmarkBuildEditOne(b *testing.B) {
	siteDir := benchSite(b)
	bl := newBuilder(b, siteDir, filepath.Join(b.TempDir(), "public"), true)
	ctx := context.Background()
	if _, err := bl.Build(ctx); err != nil {
		b.Fatal(err)
	}
	ed := newEditor(b, siteDir)
	for b.Loop() {
		b.StopTimer()
		ed.edit(b)
		b.StartTimer()
		if _, err := bl.Build(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuildEditOne times Builder.Rebuild told which article
// changed, as the preview server's watcher tells it.
func BenchmarkRebuildEditOne(b *testing.B) {
	siteDir := benchSite(b)
	bl := newBuilder(b, siteDir, filepath.Join(b.TempDir(), "public"), true)
	ctx := context.Background()
	if _, err := bl.Build(ctx); err != nil {
		b.Fatal(err)
	}
	ed := newEditor(b, siteDir)
	rel, err := filepath.Rel(siteDir, ed.path)
	if err != nil {
		b.Fatal(err)
	}
	changed := []string{filepath.ToSlash(rel)}
	for b.Loop() {
		b.StopTimer()
		ed.edit(b)
		b.StartTimer()
		if _, err := bl.Rebuild(ctx, changed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArticlePages times rendering every article page (bodies
// included) into memory: with the default layouts, which render writes
// with Go code ("builtin"), and with copies of them that differ by a
// comment, which it runs through html/template ("templates"). The output
// is the same; see TestBuiltinArticleMatchesTemplates in package build.
func BenchmarkArticlePages(b *testing.B) {
	siteDir := benchSite(b)
	s, err := content.Load(os.DirFS(siteDir))
	if err != nil {
		b.Fatal(err)
	}
	model := site.New(s)
	var articles []*site.Page
	for _, p := range model.Pages() {
		if p.Layout == "article" {
			articles = append(articles, p)
		}
	}
	copies := fstest.MapFS{}
	for _, name := range []string{"base.html", "article.html"} {
		data, err := fs.ReadFile(layouts.FS, name)
		if err != nil {
			b.Fatal(err)
		}
		copies[render.LayoutsDir+"/"+name] = &fstest.MapFile{Data: append(data, "{{/* a copy */}}\n"...)}
	}
	for _, bc := range []struct {
		name string
		site fs.FS
	}{{"builtin", nil}, {"templates", copies}} {
		b.Run(bc.name, func(b *testing.B) {
			tpl, err := render.LoadTemplates(layouts.FS, bc.site)
			if err != nil {
				b.Fatal(err)
			}
			r := render.NewRenderer(os.DirFS(siteDir), tpl, render.NewMarkdown(), model, "https://example.org/")
			var buf bytes.Buffer
			for b.Loop() {
				for _, p := range articles {
					buf.Reset()
					if err := r.Page(&buf, p); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(articles)), "µs/page")
		})
	}
}
