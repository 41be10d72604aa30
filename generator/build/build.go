// Package build runs the pipeline: it loads the content of a site
// directory, groups it, renders every page and file, and writes the result
// to the output directory.
//
// The output is replaced whole or not at all (see output.go): a build that
// fails, is cancelled or is killed leaves the previous output as it was,
// and a reader sees either the previous build or the new one, never a mix.
// An output directory is refused unless a digest build made it (see
// guard.go), and every build marks its output with a file naming the base
// URL it was built for and the build's id.
//
// Each page's inputs are summed into a fingerprint: the layouts, the
// registries, the base URL (and whether the build is for disk), the articles the page shows (by file hash) and
// what else it shows (counts, page numbers). A page whose fingerprint did
// not change is not rendered again, and a file whose bytes did not change
// is not written again. Between runs of the command the fingerprints are
// kept in a cache file beside the output, with each article's parsed front
// matter (trusted while the file keeps its size and modification time) and
// the id of the output they describe. When the output's id is not that one
// (a build killed after its swap, an output changed by hand), every file
// of the output is checked by the hash of its bytes before any is reused,
// and a fresh tree replaces it, so that what no page owns goes.
package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/render"
	"digest/generator/review"
	"digest/generator/search"
	"digest/generator/site"
	"digest/layouts"
)

// Options configure a Builder.
type Options struct {
	Site    string // site root directory
	Out     string // output directory; default Site/public
	BaseURL string // overrides base_url of content/site.yaml when set
	// ForDisk builds a copy of the site to be opened from disk, as file:
	// URLs, rather than served: links name the index.html files they lead
	// to, and search reads its index through scripts (see
	// render.Renderer.ForDisk). The marker says so (see Marker), and the
	// output is refused, swapped in and kept as any other.
	ForDisk bool
	Log     io.Writer // progress lines; nil for none
	// NoCache disables the cache file kept beside Out (page fingerprints,
	// summaries and the articles' parsed front matter).
	NoCache bool
	// Once says the Builder builds one time only: it keeps nothing for a
	// later build in memory (parsed front matter, encoded search entries),
	// which leaves the collector less to scan in a large build.
	Once bool
	// ModTime, when set, is given to every file written, so that an archive
	// of the output is reproducible too, and is the updated time of a feed
	// that has no entry yet (the command sets it from SOURCE_DATE_EPOCH).
	// No build time appears anywhere.
	ModTime time.Time
}

// Result says what a build did.
type Result struct {
	Pages     int // HTML pages in the site
	Files     int // all files in the output
	Rendered  int // pages rendered this time
	Written   int // files written
	Removed   int // files removed
	Unchanged int // files left as they were
	Parsed    int // article files read and parsed (not taken from a cache)
	Encoded   int // articles encoded for the search index (not kept from a build before)
	// Repaired says the output was not the one the cache file describes
	// (a build was killed after its swap, or the output was changed): its
	// files were checked by content and a fresh tree replaced it.
	Repaired bool
	// Warnings are what an editor should see but need not fix for the
	// build to succeed: articles with fields to review, and outlets
	// missing from the sources registry (see review.Warnings).
	Warnings []string
	Duration time.Duration
}

// Builder builds one site, repeatedly. It must not be used by two
// goroutines at once.
type Builder struct {
	opts   Options
	loader content.Loader
	md     *render.Markdown
	state  map[string]fileState // output file -> what the last good build wrote
	live   bool                 // the output holds a build of this Builder

	generator string                      // identifies this binary for the cache file; see generatorID
	global    uint64                      // global inputs of the last build (see globalHash)
	search    map[*content.Article][]byte // encoded search entries, for global
	join      *search.Joiner              // the search index's postings, for global
	tpl       *render.Templates           // the layouts of the last build, parsed
	tplKey    uint64                      // hash of the site's layout files behind tpl

	paths    outputPaths
	given    string // the output as the caller named it, for messages
	disk     disk   // every change to the file system goes through it
	outID    uint64 // the id of the output's build, when live
	outFiles uint64 // the files' part of outID (see filesID)
	// The spare (see output.go) when known: the id of the build it holds
	// and where it differs from the output. spareID 0 for none.
	spareID      uint64
	spareDiffers map[string]bool
	cleaned      bool // leftovers of killed runs are removed

	onPhase func(name string, r *render.Renderer) // for tests: called as each phase of rendering starts
}

// fileState records a written file.
type fileState struct {
	FP   uint64 // fingerprint of the inputs (pages only; 0 for other files)
	Sum  uint64 // hash of the bytes
	Size int64
}

// New returns a Builder for opts.
func New(opts Options) (*Builder, error) {
	if opts.Site == "" {
		opts.Site = "."
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Site, "public")
	}
	given := opts.Out
	abs, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, fmt.Errorf("build: output %s: %v", opts.Out, err)
	}
	opts.Out = abs
	if fi, err := os.Stat(opts.Site); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("build: site %s: not a directory", opts.Site)
	}
	if err := refuseOutput(opts.Site, opts.Out, given); err != nil {
		return nil, err
	}
	b := &Builder{opts: opts, md: render.NewMarkdown(), paths: newOutputPaths(abs), given: given, disk: osDisk{}}
	if !opts.NoCache {
		// Only the cache file outlives the process, and only it must
		// tell this binary from another.
		b.generator = generatorID()
	}
	return b, nil
}

// Out returns the output directory.
func (b *Builder) Out() string { return b.opts.Out }

// Build builds the site. On failure it returns a diag.List naming every
// problem and leaves the output as it was.
func (b *Builder) Build(ctx context.Context) (*Result, error) {
	return b.build(ctx, nil, false)
}

// Rebuild is Build when the caller knows which files changed since the
// last build, as a file watcher does: changed are paths relative to the
// site root, slash-separated. Only those articles are looked at again, which
// spares a walk over every article of a large site. Registries and layouts
// are always read.
func (b *Builder) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	return b.build(ctx, changed, true)
}

func (b *Builder) build(ctx context.Context, changed []string, hinted bool) (*Result, error) {
	start := time.Now()
	siteFS := content.DirFS(b.opts.Site)
	if err := makeDir(b.disk, b.paths.parent); err != nil {
		return nil, fmt.Errorf("build: output %s: %v", b.given, err)
	}
	unlock, err := lockOutput(b.paths)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !b.cleaned {
		for _, p := range b.paths.leftovers() {
			b.disk.RemoveAll(p)
		}
		b.cleaned = true
	}

	// The first build of a command reads the cache file of the last run:
	// front matter for the loader now, file states once the global
	// inputs are known.
	var cache *cacheFile
	if !b.live && !b.opts.NoCache {
		if cache = b.readCache(); cache != nil {
			b.loader.Restore(cache.Articles)
		}
	}

	var s *content.Site
	if hinted && b.live {
		s, err = b.loader.Reload(siteFS, changed)
	} else {
		s, err = b.loader.Load(siteFS)
	}
	if err != nil {
		return nil, err
	}
	// The front matter for the cache file is encoded while the pages
	// render: it is needed only at the end. The build does not return, and
	// so the loader is not used again, before it is done.
	var saved []byte
	var savedDone sync.WaitGroup
	if !b.opts.NoCache {
		l := b.loader
		savedDone.Go(func() { saved = appendArticles(nil, l.Saved()) })
		defer savedDone.Wait()
	}
	if b.opts.Once {
		b.loader = content.Loader{} // what it parsed can go
	}
	b.logf("loaded %d articles (%d files parsed), %d topics, %d rounds, %d sources in %v",
		len(s.Articles), s.Parsed, len(s.Topics), len(s.Rounds), len(s.Sources), since(start))

	baseURL, err := b.baseURL(s.Config.BaseURL)
	if err != nil {
		return nil, err
	}
	// The layouts are parsed again only when the site's layout files
	// changed (the defaults are in the binary).
	tplKey := render.LayoutsKey(siteFS)
	tpl := b.tpl
	if tpl == nil || tplKey != b.tplKey {
		b.tpl = nil
		if tpl, err = render.LoadTemplates(layouts.FS, siteFS); err != nil {
			return nil, err
		}
		b.tpl, b.tplKey = tpl, tplKey
	}

	model := site.New(s)
	pages := model.Pages()
	r := render.NewRenderer(siteFS, tpl, b.md, model, baseURL)
	r.Epoch = b.opts.ModTime
	r.ForDisk = b.opts.ForDisk
	global := globalHash(s.RegistriesKey, tpl.Hash, baseURL, b.opts.ForDisk, b.generator)
	if b.opts.Once {
		b.search, b.join = nil, nil
	} else if b.search == nil || global != b.global {
		b.search, b.join = map[*content.Article][]byte{}, new(search.Joiner)
	}

	res := &Result{Pages: len(pages), Parsed: s.Parsed}
	o := b.out(cache, global)
	cache = nil
	// The search entries: the ones this Builder keeps, and on its first
	// build the ones the cache file kept, made for the same global inputs
	// (see searchKey). A build that keeps none (Once) still collects this
	// build's, for the cache file.
	entries := b.search
	if entries == nil && !b.opts.NoCache {
		entries = map[*content.Article][]byte{}
	}
	if o.search != nil {
		for _, a := range s.Articles {
			if e, ok := o.search[searchKey(a)]; ok {
				if _, has := entries[a]; !has {
					entries[a] = e
				}
			}
		}
		o.search = nil
	}
	r.SearchCache, r.SearchJoin = entries, b.join
	if o.repair {
		res.Repaired = true
		b.logf("the output is not the build the cache file describes: checking its files by content")
		o.prev = verifyOutput(b.opts.Out, o.prev)
	}
	if o.summaries != nil {
		for h, summary := range o.summaries {
			b.md.SeedSummary(h, summary)
		}
	}
	prev := o.prev
	src := &source{out: b.opts.Out, trust: b.live || o.repair}
	var sink sink
	spare, _ := ReadMarker(b.paths.spare())
	if o.exact && o.spareID != 0 && spare.ID == o.spareID {
		sink = newSpareSink(b.paths, b.disk, src, b.opts.ModTime, o.spareDiffers)
	} else {
		st, err := newStagingSink(b.paths, b.disk, src, b.opts.ModTime)
		if err != nil {
			return nil, err
		}
		st.always = o.repair
		sink = st
	}
	b.spareID = 0 // until the commit says what the spare holds
	next, changed, err := b.renderAll(ctx, r, pages, global, prev, sink, res)
	if err == nil {
		err = ctx.Err()
	}
	var c committed
	var gone []string
	var files uint64 // the files' part of the new build's id
	if err == nil {
		gone = goneFiles(prev, next, changed)
		if o.exact {
			files = updateFilesID(o.outFiles, prev, next, changed, gone)
		} else {
			files = filesID(next)
		}
		c, err = sink.commit(prev, next, gone, Marker{BaseURL: baseURL, ForDisk: b.opts.ForDisk, ID: buildID(files, baseURL)})
	}
	if err != nil {
		sink.abort()
		if ss, ok := sink.(*spareSink); ok && !ss.touched() {
			b.spareID, b.spareDiffers = o.spareID, o.spareDiffers // untouched: still good
		}
		return nil, err
	}
	if !c.swapped { // nothing changed: the spare is as it was
		b.spareID, b.spareDiffers = o.spareID, o.spareDiffers
	}
	if c.old != "" {
		// The previous output is the spare of the next build when it is
		// known to hold prev and nothing else; otherwise it goes.
		if o.exact && !src.damaged.Load() {
			if c.old != b.paths.spare() {
				b.disk.RemoveAll(b.paths.spare())
			}
			if c.old == b.paths.spare() || b.disk.Rename(c.old, b.paths.spare()) == nil {
				b.spareID, b.spareDiffers = o.outID, spareDiff(prev, changed, gone)
			}
		}
		if b.spareID == 0 {
			b.disk.RemoveAll(c.old)
		}
	}
	if b.spareID == 0 {
		b.disk.RemoveAll(b.paths.spare()) // an unknown spare is of no use
	}
	res.Removed = c.removed
	current := make(map[*content.Article]bool, len(s.Articles))
	live := make(map[uint64]bool, len(s.Articles))
	for _, a := range s.Articles {
		current[a] = true
		live[a.Hash] = true
	}
	res.Files = len(next)
	b.state = next
	b.live = true
	b.outID, b.outFiles = buildID(files, baseURL), files
	b.global = global
	for h := range b.search { // forget entries of articles gone or changed
		if !current[h] {
			delete(b.search, h)
		}
	}
	if !b.opts.NoCache {
		kept := make(map[uint64][]byte, len(entries))
		for _, a := range s.Articles {
			if e, ok := entries[a]; ok {
				kept[searchKey(a)] = e
			}
		}
		savedDone.Wait()
		b.writeCache(global, next, kept, saved)
	}
	b.md.Retain(live)
	res.Warnings = review.Warnings(siteFS, s)
	res.Duration = time.Since(start)
	b.logf("%d pages, %d files: %d rendered, %d written, %d unchanged, %d removed in %v",
		res.Pages, res.Files, res.Rendered, res.Written, res.Unchanged, res.Removed, since(start))
	return res, nil
}

// baseURL picks the base URL and checks it is absolute.
func (b *Builder) baseURL(configured string) (string, error) {
	raw, file := configured, content.SiteFile
	if b.opts.BaseURL != "" {
		raw, file = b.opts.BaseURL, "--base-url"
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", diag.List{{File: file, Msg: fmt.Sprintf("base URL %q: want an absolute http or https URL such as https://owner.github.io/repo/", raw)}}
	}
	if !strings.HasSuffix(raw, "/") {
		raw += "/"
	}
	return raw, nil
}

// renderAll renders every page whose fingerprint changed and every other
// file, handing the bytes to sink. It returns the new state of the output
// and the files whose bytes are not those of prev (new ones included).
func (b *Builder) renderAll(ctx context.Context, r *render.Renderer, pages []*site.Page, global uint64,
	prev map[string]fileState, sink sink, res *Result) (next map[string]fileState, changed []string, err error) {
	next = make(map[string]fileState, len(pages)+64)
	var mu sync.Mutex
	var errs diag.List
	var wf writeFailures

	put := func(name string, fp uint64, data []byte) error {
		st := fileState{FP: fp, Sum: sum(data), Size: int64(len(data))}
		old, had := prev[name]
		same := had && old.Sum == st.Sum && old.Size == st.Size && sink.has(name, old)
		if err := sink.put(name, data, same); err != nil {
			return err
		}
		mu.Lock()
		next[name] = st
		if !same {
			changed = append(changed, name)
		}
		if same {
			res.Unchanged++
		} else {
			res.Written++
		}
		mu.Unlock()
		return nil
	}

	// Pages, in parallel: article pages first, since rendering them
	// records the summaries that list pages, feeds and search show.
	renderPage := func(p *site.Page, buf *bytes.Buffer) {
		name := render.OutputName(p.Path)
		buf.Reset()
		fp := fingerprint(global, p, buf.AvailableBuffer())
		if old, ok := prev[name]; ok && old.FP == fp && sink.has(name, old) {
			if err := sink.keep(name); err != nil {
				wf.add(name, err)
				return
			}
			mu.Lock()
			next[name] = old
			res.Unchanged++
			mu.Unlock()
			return
		}
		buf.Reset()
		if err := r.Page(buf, p); err != nil {
			mu.Lock()
			errs = append(errs, diag.From(err)...)
			mu.Unlock()
			return
		}
		mu.Lock()
		res.Rendered++
		mu.Unlock()
		if err := put(name, fp, buf.Bytes()); err != nil {
			wf.add(name, err)
		}
	}
	var articles, lists []*site.Page
	for _, p := range pages {
		if p.Layout == "article" {
			articles = append(articles, p)
		} else {
			lists = append(lists, p)
		}
	}
	// Feeds, fingerprinted like pages: an edit rewrites only the feeds
	// that list the article.
	writeFeeds := func() diag.List {
		var ferrs diag.List
		for _, fd := range r.Feeds() {
			fp := fingerprint(global, &site.Page{Path: fd.Name, Layout: "feed", Key: fd.Title, Deps: fd.Articles}, nil)
			if old, ok := prev[fd.Name]; ok && old.FP == fp && sink.has(fd.Name, old) {
				if err := sink.keep(fd.Name); err != nil {
					wf.add(fd.Name, err)
				}
				mu.Lock()
				next[fd.Name] = old
				res.Unchanged++
				mu.Unlock()
				continue
			}
			data, err := r.Atom(fd)
			if err != nil {
				return append(ferrs, diag.From(err)...)
			}
			if err := put(fd.Name, fp, data); err != nil {
				wf.add(fd.Name, err)
			}
		}
		return ferrs
	}

	// The phases (see phases): the article pages, then the list pages
	// beside the finishing outputs. The search index is started first, so
	// that the article pages hand it the bodies they render.
	ix := r.StartSearchIndex(render.SearchOutput{
		Keep: func(name string, fp uint64) bool {
			old, ok := prev[name]
			if !ok || old.FP != fp || !sink.has(name, old) || sink.keep(name) != nil {
				return false
			}
			mu.Lock()
			next[name] = old
			res.Unchanged++
			mu.Unlock()
			return true
		},
		Put: func(name string, fp uint64, data []byte) {
			if err := put(name, fp, data); err != nil {
				wf.add(name, err)
			}
		},
	})
	pagePhase := func(name string, pages []*site.Page) phase {
		return phase{name: name, run: func() {
			var done atomic.Int64
			stop := b.progress(name, len(pages), &done)
			parallel(ctx, pages, func(p *site.Page, buf *bytes.Buffer) {
				renderPage(p, buf)
				done.Add(1)
			})
			stop()
		}, done: func() string { return fmt.Sprintf("%d %s", len(pages), name) }}
	}
	var fin finishing
	b.phases(r, pagePhase(phaseArticles, articles), pagePhase(phaseLists, lists), phase{
		name: phaseFinishing,
		run: func() {
			fin.search, fin.err = ix.Finish()
			res.Encoded = ix.Encoded()
			fin.sitemap = r.Sitemap(pages)
			fin.feeds = writeFeeds()
		},
		done: func() string {
			return fmt.Sprintf("%s: search index (articles encoded: %d of %d; %d files besides the documents), sitemap, %d feeds",
				phaseFinishing, res.Encoded, len(r.Model.Articles), len(fin.search), len(r.Feeds()))
		},
	})
	errs = append(errs, fin.feeds...)
	if fin.err != nil {
		errs = append(errs, diag.From(fin.err)...)
	}
	if len(errs) > 0 || len(wf.byKind) > 0 {
		errs = append(errs, wf.list(b.given)...)
		return nil, nil, errs.Err()
	}

	// Sitemap, search index and the files GitHub Pages needs.
	files := []render.File{
		{Name: "sitemap.xml", Data: fin.sitemap},
		{Name: "robots.txt", Data: r.Robots()},
		{Name: ".nojekyll", Data: []byte{}},
	}
	files = append(files, fin.search...)
	if d := r.Model.Config.Domain; d != "" {
		files = append(files, render.File{Name: "CNAME", Data: []byte(d + "\n")})
	}
	for name, data := range r.Templates.Static {
		files = append(files, render.File{Name: name, Data: data})
	}
	if r.ForDisk {
		for name, data := range r.Templates.Disk {
			files = append(files, render.File{Name: name, Data: data})
		}
	}
	for _, f := range files {
		if _, dup := next[f.Name]; dup {
			errs.Addf("layouts/static/"+f.Name, 0, "build: %s would overwrite a generated file", f.Name)
			continue
		}
		if err := put(f.Name, 0, f.Data); err != nil {
			wf.add(f.Name, err)
		}
	}
	errs = append(errs, wf.list(b.given)...)
	return next, changed, errs.Err()
}

// The phases of rendering, by name, as the log says them.
const (
	phaseArticles  = "article pages"
	phaseLists     = "list pages"
	phaseFinishing = "finishing outputs"
)

// phase is one step of rendering: run does its work, and done then says
// what it made, for the log.
type phase struct {
	name string
	run  func()
	done func() string
}

// finishing is what the finishing outputs phase made.
type finishing struct {
	search  []render.File // the search index's shards and manifest (the documents are written as made)
	sitemap []byte
	err     error     // the search index's
	feeds   diag.List // the feeds'
}

// phases runs the phases of rendering, in this order, and logs each one's
// time. The article pages come first: rendering them records every
// article's summary, which the list pages, the feeds and the search index
// show, and hands the search index the bodies it reads. Then the list
// pages render, and beside them the finishing outputs (the search index
// finished, the sitemap, the feeds), which need every summary and nothing
// the list pages make: they start when the article pages are done, and
// rendering ends when both are. (b.onPhase, for tests, sees each phase
// start.)
func (b *Builder) phases(r *render.Renderer, articles, lists, finishing phase) {
	run := func(p phase) {
		if b.onPhase != nil {
			b.onPhase(p.name, r)
		}
		t0 := time.Now()
		p.run()
		b.logf("%s in %v", p.done(), since(t0))
	}
	run(articles)
	var wg sync.WaitGroup
	wg.Go(func() { run(finishing) })
	run(lists)
	wg.Wait()
}

// parallel calls fn for each page on all cores, each worker with its own
// reused buffer, and stops handing out pages once ctx is cancelled. Pages
// are handed out by an atomic counter: a rebuild goes through every page
// to compare fingerprints, at about a microsecond each.
func parallel(ctx context.Context, pages []*site.Page, fn func(*site.Page, *bytes.Buffer)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			// Room for a page, and for fingerprints in a rebuild that
			// renders few pages (see fingerprint).
			var buf bytes.Buffer
			buf.Grow(64 << 10)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pages) || ctx.Err() != nil {
					return
				}
				fn(pages[i], &buf)
			}
		})
	}
	wg.Wait()
}

// fingerprint sums what a page shows: see the package comment.
// scratch is space to sum in, so that the 10,000s of fingerprints of a
// large site allocate nothing.
func fingerprint(global uint64, p *site.Page, scratch []byte) uint64 {
	buf := binary.LittleEndian.AppendUint64(scratch[:0], global)
	buf = append(buf, p.Path...)
	buf = append(buf, 0)
	buf = append(buf, p.Layout...)
	buf = append(buf, 0)
	buf = append(buf, p.Key...)
	for _, a := range p.Deps {
		buf = append(buf, 0)
		buf = append(buf, a.Slug...)
		buf = binary.LittleEndian.AppendUint64(buf, a.Hash)
	}
	return content.HashBytes(buf)
}

// searchKey is what an article's search entry is kept by in the cache
// file: its file's hash and its name, which the entry's document holds
// (two files may have the same bytes). The rest the entry depends on is
// in global.
func searchKey(a *content.Article) uint64 {
	buf := binary.LittleEndian.AppendUint64(nil, a.Hash)
	return content.HashBytes(append(buf, a.Slug...))
}

// globalHash sums what every page depends on: the registries, the layouts,
// the base URL, whether the build is for disk, and the generator itself.
func globalHash(registries, layouts uint64, baseURL string, forDisk bool, generator string) uint64 {
	buf := binary.LittleEndian.AppendUint64(nil, registries)
	buf = binary.LittleEndian.AppendUint64(buf, layouts)
	buf = append(buf, baseURL...)
	buf = append(buf, 0)
	if forDisk {
		buf = append(buf, "for disk\x00"...)
	}
	buf = append(buf, generator...)
	return content.HashBytes(buf)
}

// generatorID identifies the binary, so a new version of the generator
// does not reuse pages rendered by an old one.
func generatorID() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return fileID(exe)
}

// fileID identifies a file by its bytes, not its modification time:
// `make build` links the binary again each time, with the same bytes when
// the code did not change. When the file cannot be read, its size and
// modification time stand in.
func fileID(path string) string {
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		if h, err := content.HashReader(f); err == nil { // streamed: the binary is megabytes
			return strconv.FormatUint(h, 16)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprint(fi.Size(), fi.ModTime().UnixNano())
}

// sum tells two versions of an output file apart.
func sum(data []byte) uint64 { return content.HashBytes(data) }

// progressEvery is how often a long phase says how far it got.
const progressEvery = 2 * time.Second

// progress prints "N of total what" every progressEvery until stop is
// called, so a build of a large site is not silent for long.
func (b *Builder) progress(what string, total int, done *atomic.Int64) (stop func()) {
	if b.opts.Log == nil {
		return func() {}
	}
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				b.logf("  %d of %d %s", done.Load(), total, what)
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

func (b *Builder) logf(format string, args ...any) {
	if b.opts.Log != nil {
		fmt.Fprintf(b.opts.Log, format+"\n", args...)
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

// errNotDir is returned when the output path exists but is a file.
var errNotDir = errors.New("exists and is not a directory")

// outState is what a build knows of the output before it starts.
type outState struct {
	prev      map[string]fileState // the output's files, as last recorded
	summaries map[uint64]string    // from the cache file, when its global inputs are this build's
	search    map[uint64][]byte    // search entries by searchKey, likewise
	exact     bool                 // the output holds prev and nothing else; its id is outID
	repair    bool                 // the output is not the one prev describes: check it by content
	outID     uint64
	outFiles  uint64 // the files' part of outID
	// The spare, as last recorded: see Builder.spareID.
	spareID      uint64
	spareDiffers map[string]bool
}

// out says what the output holds: what this Builder last wrote, or what
// the cache file says when the output's marker names the build it
// describes.
func (b *Builder) out(cache *cacheFile, global uint64) outState {
	if b.live {
		return outState{prev: b.state, exact: true, outID: b.outID, outFiles: b.outFiles, spareID: b.spareID, spareDiffers: b.spareDiffers}
	}
	if cache == nil {
		return outState{}
	}
	o := outState{prev: cache.Files}
	if cache.Global == global {
		o.summaries, o.search = cache.Summaries, cache.Search
	}
	if m, err := ReadMarker(b.opts.Out); err == nil && m.ID == cache.OutID {
		o.exact, o.outID, o.spareID, o.spareDiffers = true, cache.OutID, cache.SpareID, cache.SpareDiffers
		o.outFiles = m.ID - sum([]byte(m.BaseURL))
		return o
	}
	if _, err := os.Lstat(b.opts.Out); err != nil {
		return outState{summaries: o.summaries, search: o.search} // no output: a cold build
	}
	o.repair = true
	return o
}
