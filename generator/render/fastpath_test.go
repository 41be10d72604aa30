package render

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"digest/generator/content"
	"digest/generator/internal/textdiff"
	"digest/generator/render/internal/fastgen"
	"digest/generator/site"
	"digest/layouts"
)

var write = flag.Bool("write", false, "rewrite the generated fast path files")

// fastTestGenerated is the code generated from testdata/layouts, set by
// fastpath_testlayouts_gen_test.go: layouts that use every construct the
// generator translates, and some it does not.
var fastTestGenerated fastCode

// generated lists the generated files and what they are generated from.
var generated = []struct {
	file string
	cfg  fastgen.Config
}{
	{"fastpath_gen.go", fastgen.Config{RenderDir: ".", LayoutsDir: filepath.Join("..", "..", "layouts")}},
	{"fastpath_testlayouts_gen_test.go", fastgen.Config{RenderDir: ".", LayoutsDir: filepath.Join("testdata", "layouts"), Var: "fastTestGenerated", Prefix: "fastTest"}},
}

// TestFastPathUpToDate fails when a generated file is not what the
// generator makes of the layouts now; -write rewrites them.
func TestFastPathUpToDate(t *testing.T) {
	for _, g := range generated {
		res, err := fastgen.Generate(g.cfg)
		if err != nil {
			t.Fatal(err)
		}
		old, err := os.ReadFile(g.file)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Equal(old, res.Source) {
			continue
		}
		if *write {
			if err := os.WriteFile(g.file, res.Source, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is stale: the layouts or the generator changed since it was generated; run %s", g.file, fastgen.Command)
	}
}

// layoutSets are the layouts the fast path is tested with: the defaults,
// and the test layouts.
func layoutSets(t *testing.T) []struct {
	name     string
	defaults fs.FS
	gen      *fastCode
} {
	return []struct {
		name     string
		defaults fs.FS
		gen      *fastCode
	}{
		{"default", layouts.FS, &fastGenerated},
		{"testdata", os.DirFS(filepath.Join("testdata", "layouts")), &fastTestGenerated},
	}
}

// testSites are the sites the fast path is tested on.
func testSites(t *testing.T) map[string]fs.FS {
	sites := map[string]fs.FS{"basic": siteFS(t, "basic.txtar"), "hostile": siteFS(t, "hostile.txtar")}
	// A site with a layout of its own, which adds to the head: its pages
	// run as templates, the others keep the fast path.
	head := siteFS(t, "hostile.txtar")
	topics, err := fs.ReadFile(layouts.FS, "topics.html")
	if err != nil {
		t.Fatal(err)
	}
	head["layouts/topics.html"] = &fstest.MapFile{Data: append(topics, `{{define "head"}}<meta name="keywords" content="{{.Page.Title}} & 'more'">{{end}}`...)}
	sites["own-topics"] = head
	if root := filepath.Join("..", ".."); fileExists(filepath.Join(root, "content", "site.yaml")) {
		sites["bundled"] = contentOnly{os.DirFS(root)}
	}
	return sites
}

// contentOnly is a site without its layouts/: the project's own are the
// defaults.
type contentOnly struct{ fsys fs.FS }

func (c contentOnly) Open(name string) (fs.File, error) {
	if name == LayoutsDir || strings.HasPrefix(name, LayoutsDir+"/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return c.fsys.Open(name)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// buildKinds are the two kinds of build the fast path must write as the
// templates do: for a server, and for disk (Renderer.ForDisk).
var buildKinds = []struct {
	name    string
	forDisk bool
}{{"served", false}, {"disk", true}}

// TestFastPathMatchesTemplates renders every page of each test site with
// the generated code and with the layouts run as templates, for both kinds
// of build, and compares the bytes. Every page whose layout has generated
// code must be written by it, without falling back to the template.
func TestFastPathMatchesTemplates(t *testing.T) {
	for _, ls := range layoutSets(t) {
		for name, fsys := range testSites(t) {
			for _, kind := range buildKinds {
				t.Run(ls.name+"/"+name+"/"+kind.name, func(t *testing.T) {
					s := loadSite(t, fsys)
					tpl, err := loadTemplates(ls.defaults, fsys, ls.gen)
					if err != nil {
						t.Fatal(err)
					}
					if len(tpl.fast) == 0 {
						t.Fatal("no layout has generated code")
					}
					fast := NewRenderer(fsys, tpl, NewMarkdown(), s.model, s.model.Config.BaseURL)
					fast.ForDisk = kind.forDisk
					slow := asTemplates(fast)
					written := map[string]int{}
					for _, p := range s.pages {
						got, want := page(t, fast, p), page(t, slow, p)
						if got != want {
							t.Errorf("/%s differs from its template's output:\n%s", p.Path, textdiff.First(got, want))
						}
						f := tpl.fast[p.Layout]
						if f == nil {
							continue
						}
						var buf bytes.Buffer
						if err := f.page(&fastWriter{buf: &buf, t: tpl, layout: p.Layout}, fast.context(p)); err != nil {
							t.Errorf("/%s: the generated code gave up: %v", p.Path, err)
						}
						written[p.Layout]++
					}
					for _, layout := range []string{"article", "list", "home"} {
						if written[layout] == 0 {
							t.Errorf("no %s page written by generated code", layout)
						}
					}
					if name == "own-topics" && tpl.fast["topics"] != nil {
						t.Error("the site's own topics.html has the default's generated code")
					}
				})
			}
		}
	}
}

// TestFastEntries checks that the generated "entry" writes each article's
// entry as the template does, without falling back.
func TestFastEntries(t *testing.T) {
	for _, ls := range layoutSets(t) {
		fsys := siteFS(t, "hostile.txtar")
		s := loadSite(t, fsys)
		tpl, err := loadTemplates(ls.defaults, fsys, ls.gen)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range buildKinds {
			r := NewRenderer(fsys, tpl, NewMarkdown(), s.model, s.model.Config.BaseURL)
			r.ForDisk = kind.forDisk
			for _, p := range s.pages {
				set := tpl.entrySet(p.Layout)
				fast := tpl.fastEntry[set]
				if fast == nil {
					continue
				}
				ctx := r.context(p)
				for _, a := range s.model.Articles {
					var got, want bytes.Buffer
					if err := fast(&fastWriter{buf: &got, t: tpl, layout: set}, []any{ctx, a}); err != nil {
						t.Errorf("%s: entry of %s: the generated code gave up: %v", ls.name, a.Path, err)
					}
					if err := tpl.executeNamed(&want, p.Layout, "entry", []any{ctx, a}); err != nil {
						t.Fatal(err)
					}
					if got.String() != want.String() {
						t.Errorf("%s, %s: entry of %s on /%s:\n%s", ls.name, kind.name, a.Path, p.Path, textdiff.First(got.String(), want.String()))
					}
				}
			}
		}
	}
}

// TestFastPathErrors checks that a page the generated code cannot write
// gets the template's own error: here an article whose file is gone.
func TestFastPathErrors(t *testing.T) {
	fsys := siteFS(t, "hostile.txtar")
	s := loadSite(t, fsys)
	delete(fsys, "content/articles/evil.md")
	fast := s.renderer(t, layouts.FS)
	slow := asTemplates(fast)
	var p *site.Page
	for _, pg := range s.pages {
		if pg.Path == "articles/evil/" {
			p = pg
		}
	}
	if p == nil {
		t.Fatal("no page articles/evil/")
	}
	var b1, b2 bytes.Buffer
	got, want := fast.Page(&b1, p), slow.Page(&b2, p)
	if got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("error %v; want the template's, %v", got, want)
	}
}

// TestEditedLayoutShows edits each default layout as a contributor would
// and checks that the pages show the edit: an edited layout is not the one
// the code was generated from, so it runs as a template until the code is
// generated again.
func TestEditedLayoutShows(t *testing.T) {
	fsys := siteFS(t, "basic.txtar")
	s := loadSite(t, fsys)
	files := []string{BaseLayout}
	for _, name := range PageLayouts {
		files = append(files, name+".html")
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			defaults := defaultLayouts(t)
			src := string(defaults[file].Data)
			mark := "EDITED " + file
			var edited string
			if file == BaseLayout {
				edited = strings.Replace(src, "<body>\n", "<body>\n"+mark+"\n", 1)
			} else {
				edited = strings.Replace(src, `{{define "main" -}}`, `{{define "main" -}}`+mark, 1)
			}
			if edited == src {
				t.Fatalf("%s: found no place to edit; update this test", file)
			}
			defaults[file] = &fstest.MapFile{Data: []byte(edited)}
			r := s.renderer(t, defaults)
			shown := 0
			for _, p := range s.pages {
				if file != BaseLayout && p.Layout+".html" != file {
					if fastGenerated.layouts[p.Layout].page != nil && r.Templates.fast[p.Layout] == nil {
						t.Errorf("%s lost its generated code when %s was edited", p.Layout, file)
					}
					continue
				}
				if r.Templates.fast[p.Layout] != nil {
					t.Errorf("%s: edited, yet it has generated code", p.Layout)
				}
				if !strings.Contains(page(t, r, p), mark) {
					t.Errorf("/%s does not show the edit of %s", p.Path, file)
				}
				shown++
			}
			if shown == 0 {
				t.Errorf("no page of the basic site uses %s", file)
			}
		})
	}
}

// TestOwnHomeKeepsFastEntries checks that a site's own home.html, the
// first layout of the default entry's set, leaves the other layouts'
// entries to the generated code.
func TestOwnHomeKeepsFastEntries(t *testing.T) {
	fsys := siteFS(t, "basic.txtar")
	b, err := fs.ReadFile(layouts.FS, "home.html")
	if err != nil {
		t.Fatal(err)
	}
	fsys["layouts/home.html"] = &fstest.MapFile{Data: append(b, "{{/* our own */}}"...)}
	tpl := loadSite(t, fsys).renderer(t, layouts.FS).Templates
	if tpl.fast["home"] != nil {
		t.Error("the site's own home.html has generated code")
	}
	if set := tpl.entrySet("list"); tpl.fastEntry[set] == nil {
		t.Errorf("list's entries (set %s) lost their generated code", set)
	}
}

// TestOwnCopyIsFast checks that a site's byte-for-byte copy of a default
// layout keeps the generated code.
func TestOwnCopyIsFast(t *testing.T) {
	fsys := siteFS(t, "basic.txtar")
	b, err := fs.ReadFile(layouts.FS, "article.html")
	if err != nil {
		t.Fatal(err)
	}
	fsys["layouts/article.html"] = &fstest.MapFile{Data: b}
	r := loadSite(t, fsys).renderer(t, layouts.FS)
	if r.Templates.fast["article"] == nil {
		t.Error("a copy of the default article.html lost the generated code")
	}
}

// TestGeneratorNotes checks that the generator says what stays a template:
// the test layouts have a script, whose escaper it does not translate.
func TestGeneratorNotes(t *testing.T) {
	res, err := fastgen.Generate(generated[1].cfg)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(res.Notes, "\n")
	for _, want := range []string{`template "js" stays a template`, `"jsvalescaper"`} {
		if !strings.Contains(all, want) {
			t.Errorf("notes do not say %s:\n%s", want, all)
		}
	}
}

// TestGeneratorGivesUp checks that a layout the generator cannot translate
// gets no generated code and a note saying so: here base.html reads a
// field Context does not have (the template fails too, when it runs).
func TestGeneratorGivesUp(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "layouts"))); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "base.html")
	b, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("<main>"), []byte("<main>{{.Nope}}"), 1)
	if err := os.WriteFile(base, b, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := fastgen.Generate(fastgen.Config{RenderDir: ".", LayoutsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(res.Notes, "\n")
	if !strings.Contains(all, `can't evaluate field Nope in type *render.Context`) || !strings.Contains(all, "its pages run as templates") {
		t.Errorf("notes:\n%s", all)
	}
	if bytes.Contains(res.Source, []byte("page: ")) {
		t.Errorf("generated code for layouts it could not translate:\n%s", res.Source)
	}
}

// TestPanicFallsBack checks that a panic in generated code (from a method
// the template calls too) makes the page run as its template.
func TestPanicFallsBack(t *testing.T) {
	f := &fastLayout{page: func(*fastWriter, *Context) error { panic("a method panics") }}
	if err := f.writePage(&fastWriter{buf: new(bytes.Buffer)}, nil); err != errFallback {
		t.Errorf("writePage after a panic: %v; want errFallback", err)
	}
	entry := func(*fastWriter, []any) error { panic("a method panics") }
	if err := writeEntry(entry, &fastWriter{buf: new(bytes.Buffer)}, nil); err != errFallback {
		t.Errorf("writeEntry after a panic: %v; want errFallback", err)
	}
}

// TestFastPageData checks what the generator is told about the pages
// against the pages themselves: each page's data has the type
// fastPageData gives for its layout, and entries receive fastEntryDot.
func TestFastPageData(t *testing.T) {
	for name, fsys := range testSites(t) {
		for _, p := range loadSite(t, fsys).pages {
			want, ok := fastPageData[p.Layout]
			if !ok {
				if p.Data != nil {
					t.Errorf("%s: /%s has data of type %T; fastPageData has no type for layout %s", name, p.Path, p.Data, p.Layout)
				}
				continue
			}
			if reflect.TypeOf(p.Data) != reflect.TypeOf(want) {
				t.Errorf("%s: /%s has data of type %T; fastPageData says %T", name, p.Path, p.Data, want)
			}
		}
	}
	ctx, a := reflect.TypeOf(fastEntryDot[0]), reflect.TypeOf(fastEntryDot[1])
	if ctx != reflect.TypeOf(&Context{}) || a != reflect.TypeOf(&content.Article{}) {
		t.Errorf("fastEntryDot is (%v, %v); Context.entry passes (*Context, *content.Article)", ctx, a)
	}
}
