// Package render turns the site model into bytes: HTML pages from
// html/template layouts, Atom feeds, the sitemap, the search index and the
// static assets.
//
// Layouts are looked up by file name: a site's own layouts/NAME overrides
// the default of the same name that the binary carries. Each page layout
// defines "main" (and may define "head"); base.html defines "base", the
// frame every page is executed through. While base.html (and article.html,
// the list layouts' or the "entry" template) are the defaults, Go code
// writes what they would: see builtin.go.
//
// Links inside pages are relative to the page (so the site works under any
// base path, and from disk), except in 404.html, which GitHub Pages serves
// at any missing path: there they are absolute paths under the base URL.
// Feeds, the sitemap and canonical links use absolute URLs.
package render

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/layouts"
)

// PageLayouts are the page templates a site needs, without ".html".
var PageLayouts = []string{"home", "article", "list", "round", "rounds", "topic", "topics", "source", "sources", "search", "404"}

// BaseLayout is the frame shared by every page.
const BaseLayout = "base.html"

// builtinOrigin starts the name errors give a default layout.
const builtinOrigin = "(built-in layout) "

// LayoutsDir is where a site keeps its layouts, relative to its root.
const LayoutsDir = "layouts"

// StaticDir holds files copied as they are to the output root.
const StaticDir = "static"

// Templates is a parsed set of layouts and the static files beside them.
type Templates struct {
	pages  map[string]*template.Template
	origin map[string]string // layout file name -> path shown in errors
	Static map[string][]byte // output name -> bytes
	// entrySets names, for each page layout, the layout whose "entry"
	// template it shares: entries of layouts that share one are reused.
	entrySets map[string]string
	Hash      uint64 // changes whenever any layout or static file does

	// builtinBase is true when base.html is the default (or a
	// byte-for-byte copy), so that writeFrame can write every page's frame;
	// builtinArticle when article.html is too, so that writeArticle can
	// write article pages.
	builtinBase, builtinArticle bool
	// builtinMain holds the list layouts whose "main" writeListMain
	// writes: those that are the default, while base.html is too.
	builtinMain map[string]bool
	// builtinEntry holds the entry sets whose "entry" template is the
	// default one, so that writeEntry can write their entries.
	builtinEntry map[string]bool
}

// listLayouts are the layouts of list pages that writeListMain transcribes.
var listLayouts = map[string]bool{"list": true, "topic": true, "round": true, "source": true}

// LoadTemplates parses the layouts, taking each file from site (a site's
// root, which holds layouts/) when present and from defaults (a directory
// of default layouts) otherwise. site may be nil. Every parse error is
// reported, as a diag.List.
func LoadTemplates(defaults, site fs.FS) (*Templates, error) {
	t := &Templates{pages: map[string]*template.Template{}, origin: map[string]string{}, Static: map[string][]byte{},
		entrySets: map[string]string{}, builtinEntry: map[string]bool{}, builtinMain: map[string]bool{}}
	h := fnv.New64a()
	var errs diag.List

	// A site's files are read as content.ReadFile reads them: regular
	// files inside the site only, each through its size limit.
	read := func(name string) ([]byte, string, error) {
		if site != nil {
			p := path.Join(LayoutsDir, name)
			if b, err := content.ReadFile(site, p, content.LayoutFile); err == nil {
				return b, p, nil
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, p, bare(err)
			}
		}
		b, err := fs.ReadFile(defaults, name)
		return b, builtinOrigin + name, err
	}

	// sameAsBuiltin reports whether src is the default layout name, which
	// builtin.go transcribes.
	sameAsBuiltin := func(name string, src []byte) bool {
		b, err := fs.ReadFile(layouts.FS, name)
		return err == nil && bytes.Equal(b, src)
	}
	base, baseOrigin, err := read(BaseLayout)
	if err != nil {
		errs.Addf(baseOrigin, 0, "layout: %v", err)
	}
	t.origin[BaseLayout] = baseOrigin
	h.Write(base)
	var articleSrc []byte
	for _, name := range PageLayouts {
		file := name + ".html"
		src, origin, err := read(file)
		t.origin[file] = origin
		if err != nil {
			errs.Addf(origin, 0, "layout: %v", err)
			continue
		}
		h.Write([]byte(file))
		h.Write(src)
		if name == "article" {
			articleSrc = src
		}
		if listLayouts[name] && sameAsBuiltin(file, src) {
			t.builtinMain[name] = true
		}
		tpl := template.New(file).Funcs(funcs)
		if _, err := tpl.New(BaseLayout).Parse(string(base)); err != nil {
			errs.Add(t.templateDiag(err, ""))
			continue
		}
		if _, err := tpl.Parse(string(src)); err != nil {
			errs.Add(t.templateDiag(err, ""))
			continue
		}
		if tpl.Lookup("main") == nil {
			errs.Addf(origin, 0, "layout: %s does not define \"main\"", file)
			continue
		}
		t.pages[name] = tpl
	}

	t.builtinBase = sameAsBuiltin(BaseLayout, base)
	t.builtinArticle = t.builtinBase && sameAsBuiltin("article.html", articleSrc)
	if !t.builtinBase {
		clear(t.builtinMain)
	}

	// Layouts whose "entry" templates read the same share rendered entries.
	// Those that read as the default's are written by writeEntry.
	builtinEntry := ""
	if b, err := fs.ReadFile(layouts.FS, BaseLayout); err == nil {
		if tpl, err := template.New(BaseLayout).Funcs(funcs).Parse(string(b)); err == nil && tpl.Lookup("entry") != nil {
			builtinEntry = tpl.Lookup("entry").Tree.Root.String()
		}
	}
	first := map[string]string{} // entry source -> first layout with it
	for _, name := range PageLayouts {
		tpl := t.pages[name]
		if tpl == nil {
			continue
		}
		src := ""
		if e := tpl.Lookup("entry"); e != nil && e.Tree != nil {
			src = e.Tree.Root.String()
		}
		if _, ok := first[src]; !ok {
			first[src] = name
			t.builtinEntry[name] = src == builtinEntry && src != ""
		}
		t.entrySets[name] = first[src]
	}

	// Static files: defaults first, then the site's, which win by name.
	for i, fsys := range []fs.FS{defaults, site} {
		if fsys == nil {
			continue
		}
		dir := StaticDir
		if i == 1 {
			dir = path.Join(LayoutsDir, StaticDir)
			if _, fi, err := content.Resolve(fsys, dir); errors.Is(err, fs.ErrNotExist) {
				continue
			} else if err != nil {
				errs.Addf(dir, 0, "layout: %v", bare(err))
				continue
			} else if !fi.IsDir() {
				errs.Addf(dir, 0, "layout: not a directory; static files go in %s/NAME", dir)
				continue
			}
		}
		fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				errs.Addf(p, 0, "layout: %v", bare(err))
				return nil
			}
			if d.IsDir() {
				return nil
			}
			var b []byte
			if i == 0 {
				b, err = fs.ReadFile(fsys, p)
			} else {
				b, err = content.ReadListed(fsys, p, d, content.StaticFile)
			}
			if err != nil {
				errs.Addf(p, 0, "layout: %v", bare(err))
				return nil
			}
			t.Static[strings.TrimPrefix(p, dir+"/")] = b
			return nil
		})
	}
	names := make([]string, 0, len(t.Static))
	for n := range t.Static {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h.Write([]byte(n))
		h.Write(t.Static[n])
	}
	t.Hash = h.Sum64()

	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// LayoutsKey hashes the names and bytes of a site's own layout files
// (layouts/ in site), so that a caller keeping Templates knows when to load
// them again; the defaults are in the binary. A file that cannot be read,
// or is refused (see content.ReadFile), adds its error instead, which
// LoadTemplates then reports.
func LayoutsKey(site fs.FS) uint64 {
	var all []byte
	if _, _, err := content.Resolve(site, LayoutsDir); err != nil {
		return content.HashBytes([]byte(err.Error()))
	}
	fs.WalkDir(site, LayoutsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			all = append(append(all, p...), err.Error()...)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		kind := content.LayoutFile
		if strings.HasPrefix(p, LayoutsDir+"/"+StaticDir+"/") {
			kind = content.StaticFile
		}
		data, err := content.ReadListed(site, p, d, kind)
		if err != nil {
			data = []byte(err.Error())
		}
		all = append(append(append(all, p...), 0), data...)
		all = binary.LittleEndian.AppendUint64(all, uint64(len(data)))
		return nil
	})
	return content.HashBytes(all)
}

// bare is err without the path an fs.PathError repeats: diagnostics name
// the file already.
func bare(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Execute runs the page layout through the base frame into buf. An error
// names the layout file and line, and the page.
func (t *Templates) Execute(buf *bytes.Buffer, layout string, ctx *Context) error {
	tpl := t.pages[layout]
	if tpl == nil {
		return diag.Errorf("layouts/"+layout+".html", 0, "layout: no layout named %q", layout)
	}
	if err := tpl.ExecuteTemplate(buf, "base", ctx); err != nil {
		return t.templateDiag(err, ctx.Page.Path)
	}
	return nil
}

// executePart runs one part of a page layout, "head" or "main", for
// writeFrame. An error names the layout file and line, and the page.
func (t *Templates) executePart(buf *bytes.Buffer, layout, name string, ctx *Context) error {
	if err := t.pages[layout].ExecuteTemplate(buf, name, ctx); err != nil {
		return t.templateDiag(err, ctx.Page.Path)
	}
	return nil
}

// executeNamed runs one named template of a page layout's set, such as the
// "entry" partial.
func (t *Templates) executeNamed(buf *bytes.Buffer, layout, name string, data any) error {
	tpl := t.pages[layout]
	if tpl == nil {
		return fmt.Errorf("layout: no layout named %q", layout)
	}
	return tpl.ExecuteTemplate(buf, name, data)
}

// entrySet names the layout whose "entry" template layout uses.
func (t *Templates) entrySet(layout string) string { return t.entrySets[layout] }

// templatePos matches the position html/template puts in its errors:
// "template: article.html:12:5: ..." or "html/template:article.html:3:...".
var templatePos = regexp.MustCompile(`^(?:html/)?template: ?([^:]+):(\d+)(?::\d+)?: ?`)

func (t *Templates) templateDiag(err error, page string) diag.Diagnostic {
	msg := err.Error()
	d := diag.Diagnostic{File: "layouts", Msg: "template: " + msg}
	if m := templatePos.FindStringSubmatch(msg); m != nil {
		d.File = t.origin[m[1]]
		if d.File == "" {
			d.File = m[1]
		}
		d.Line, _ = strconv.Atoi(m[2])
		d.Msg = "template: " + msg[len(m[0]):]
	}
	if page != "" {
		d.Msg += fmt.Sprintf(" (rendering page /%s)", page)
	}
	return d
}

// funcs are the helpers layouts may call besides the Context's methods.
var funcs = template.FuncMap{
	"date":    func(t time.Time) string { return t.Format(longDate) },
	"isodate": func(t time.Time) string { return t.Format(isoDate) },
	"add":     func(a, b int) int { return a + b },
	"join":    strings.Join,
	"list":    func(v ...any) []any { return v },
}
