package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"digest/generator/content"
	"digest/generator/site"
	"digest/layouts"

	"golang.org/x/tools/txtar"
)

// siteFS reads a txtar archive under testdata into a site's files.
func siteFS(t *testing.T, archive string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", archive))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

// defaultLayouts returns the default layouts as files to edit.
func defaultLayouts(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fs.WalkDir(layouts.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(layouts.FS, p)
		fsys[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

// testSite is a site loaded for rendering.
type testSite struct {
	fsys  fs.FS
	model *site.Model
	pages []*site.Page
}

func loadSite(t testing.TB, fsys fs.FS) *testSite {
	t.Helper()
	s, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	m := site.New(s)
	return &testSite{fsys: fsys, model: m, pages: m.Pages()}
}

// renderer returns a renderer of the site with the layouts of defaults
// and the site.
func (s *testSite) renderer(t *testing.T, defaults fs.FS) *Renderer {
	t.Helper()
	tpl, err := LoadTemplates(defaults, s.fsys)
	if err != nil {
		t.Fatal(err)
	}
	return NewRenderer(s.fsys, tpl, NewMarkdown(), s.model, s.model.Config.BaseURL)
}

// asTemplates turns the fast path of r off: every page and entry runs as
// a template.
func asTemplates(r *Renderer) *Renderer {
	t := *r.Templates
	t.fast, t.fastEntry = nil, nil
	slow := NewRenderer(r.Bodies, &t, r.Markdown, r.Model, r.BaseURL)
	slow.ForDisk = r.ForDisk
	return slow
}

// bundled returns the project's own site, or skips.
func bundled(t *testing.T) fs.FS {
	t.Helper()
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "content", "site.yaml")); err != nil {
		t.Skipf("the bundled site is not beside the package: %v", err)
	}
	return os.DirFS(root)
}

func page(t *testing.T, r *Renderer, p *site.Page) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Page(&buf, p); err != nil {
		t.Fatalf("/%s: %v", p.Path, err)
	}
	return buf.String()
}
