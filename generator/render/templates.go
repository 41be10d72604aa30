// Package render turns the site model into bytes: HTML pages from
// html/template layouts, Atom feeds, the sitemap, the search index and the
// static assets.
//
// Layouts are looked up by file name: a site's own layouts/NAME overrides
// the default of the same name that the binary carries. Each page layout
// defines "main" (and may define "head"); base.html defines "base", the
// frame every page is executed through. While a page layout and base.html
// are the files the fast path was generated from, generated Go code writes
// what they would: see fastpath.go.
//
// Links inside pages are relative to the page (so the site works under any
// base path), except in 404.html, which GitHub Pages serves at any missing
// path: there they are absolute paths under the base URL. A build for disk
// (Renderer.ForDisk) links 404.html relatively too, and every link to a
// folder names its index.html, so that the site works from file: URLs.
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

// DiskDir holds files copied as they are to the output root of a build for
// disk only (see Renderer.ForDisk), such as search-disk.js.
const DiskDir = "disk"

// Templates is a parsed set of layouts and the static files beside them.
type Templates struct {
	pages  map[string]*template.Template
	origin map[string]string // layout file name -> path shown in errors
	Static map[string][]byte // output name -> bytes
	Disk   map[string][]byte // the same, for a build for disk only (DiskDir)
	// entrySets names, for each page layout, the layout whose "entry"
	// template it shares: entries of layouts that share one are reused.
	entrySets map[string]string
	Hash      uint64 // changes whenever any layout or static file does

	// fast holds the generated code of the page layouts that are the
	// files it was generated from; fastEntry the same for entry sets.
	fast      map[string]*fastLayout
	fastEntry map[string]func(w *fastWriter, dot []any) error
}

// LoadTemplates parses the layouts, taking each file from site (a site's
// root, which holds layouts/) when present and from defaults (a directory
// of default layouts) otherwise. site may be nil. Every parse error is
// reported, as a diag.List.
func LoadTemplates(defaults, site fs.FS) (*Templates, error) {
	return loadTemplates(defaults, site, &fastGenerated)
}

// loadTemplates is LoadTemplates with the code generated for the layouts.
func loadTemplates(defaults, site fs.FS, gen *fastCode) (*Templates, error) {
	t := &Templates{pages: map[string]*template.Template{}, origin: map[string]string{}, Static: map[string][]byte{}, Disk: map[string][]byte{},
		entrySets: map[string]string{}, fast: map[string]*fastLayout{}, fastEntry: map[string]func(*fastWriter, []any) error{}}
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

	base, baseOrigin, err := read(BaseLayout)
	if err != nil {
		errs.Addf(baseOrigin, 0, "layout: %v", err)
	}
	t.origin[BaseLayout] = baseOrigin
	h.Write(base)
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
		if f := gen.layout(name, base, src); f != nil {
			t.fast[name] = f
		}
	}

	// Layouts whose "entry" templates read the same share rendered entries,
	// written by generated code when one of them has some.
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
		}
		set := first[src]
		t.entrySets[name] = set
		// Any layout of the set with generated code has the set's "entry"
		// (a site's own home.html, say, leaves the default entry).
		if f := t.fast[name]; f != nil && f.entry != nil && t.fastEntry[set] == nil {
			t.fastEntry[set] = f.entry
		}
	}

	// Static files, and the files only a build for disk writes: defaults
	// first, then the site's, which win by name.
	for _, kind := range []struct {
		sub  string
		into map[string][]byte
	}{{StaticDir, t.Static}, {DiskDir, t.Disk}} {
		loadFiles(defaults, site, kind.sub, kind.into, &errs)
	}
	for _, files := range []map[string][]byte{t.Static, t.Disk} {
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			h.Write([]byte(n))
			h.Write(files[n])
		}
	}
	t.Hash = h.Sum64()

	if err := errs.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// loadFiles reads the files of directory sub of defaults, then of
// layouts/sub of site, into into, by name relative to sub: the site's
// win. Each file of the site is read as content.ReadListed reads a static
// file.
func loadFiles(defaults, site fs.FS, sub string, into map[string][]byte, errs *diag.List) {
	for i, fsys := range []fs.FS{defaults, site} {
		if fsys == nil {
			continue
		}
		dir := sub
		if i == 1 {
			dir = path.Join(LayoutsDir, sub)
			if _, fi, err := content.Resolve(fsys, dir); errors.Is(err, fs.ErrNotExist) {
				continue
			} else if err != nil {
				errs.Addf(dir, 0, "layout: %v", bare(err))
				continue
			} else if !fi.IsDir() {
				errs.Addf(dir, 0, "layout: not a directory; %s files go in %s/NAME", sub, dir)
				continue
			}
		}
		fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if i == 0 && p == dir && errors.Is(err, fs.ErrNotExist) {
					return nil // a set of defaults without such files
				}
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
			into[strings.TrimPrefix(p, dir+"/")] = b
			return nil
		})
	}
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

// executeNamed runs one named template of a page layout's set, such as the
// "entry" partial, or one that generated code runs as a template.
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
// They are named functions, so that the generated fast path can call them.
var funcs = template.FuncMap{
	"date":    longDateOf,
	"isodate": isoDateOf,
	"add":     add,
	"join":    strings.Join,
	"list":    list,
}

// Formats of the "isodate" and "date" template functions.
const (
	isoDate  = "2006-01-02"
	longDate = "2 January 2006"
)

func longDateOf(t time.Time) string { return t.Format(longDate) }
func isoDateOf(t time.Time) string  { return t.Format(isoDate) }
func add(a, b int) int              { return a + b }
func list(v ...any) []any           { return v }
