// Package importer turns raw scraped pages into articles of the digest.
//
// For each raw page (a .txt file of a page's visible text) it finds the
// article's paragraphs with package clean, then its title, source, date,
// topics and round from the page and the site's registries, and writes
// content/articles/<slug>.md: front matter with those fields, the raw
// file's path in raw:, the fields it is unsure of in review:, and a comment
// beside each inferred field saying what it was based on; then the
// paragraphs as markdown, escaped so scraped text can never become markup.
//
// Contract:
//   - Nothing is lost. An existing article is never overwritten unless
//     Force is set; with Force, the fields an editor has confirmed (present
//     and not listed in review:) are kept and only the others re-derived.
//     Writes are atomic (a temporary file renamed into place).
//   - Importing the same page twice gives the same file.
//   - An empty, binary, non-UTF-8 or oversized page is reported with one
//     line naming it; the other pages are still imported.
//
// Analyze and Render are pure; Import does the file I/O.
package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"digest/generator/content"
	"digest/generator/diag"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// MaxPageSize is the largest raw page Import reads; a scraped article page
// is tens of kilobytes.
const MaxPageSize = 2 << 20

// Options configure Import.
type Options struct {
	Site      string    // site root; registries are read from Site/content
	Out       string    // where articles are written; default Site/content/articles
	Force     bool      // replace existing articles, keeping confirmed fields
	DryRun    bool      // analyze and report, write nothing
	FetchedAt time.Time // when the pages were scraped, for "6 days ago"; zero if unknown
	Log       io.Writer // one line per page; may be nil
}

// Import imports each raw page in paths (files, or folders whose .txt
// files are imported in name order), printing one line per imported page
// to opts.Log. It returns a diag.List naming every page that could not be
// imported, one diagnostic each; the other pages are imported regardless.
func Import(ctx context.Context, opts Options, paths []string) error {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Out == "" {
		opts.Out = filepath.Join(opts.Site, filepath.FromSlash(content.ArticlesDir))
	}
	site, err := content.LoadRegistries(os.DirFS(opts.Site))
	if err != nil {
		return err
	}
	files, errs := expand(paths)
	existing := indexArticles(opts.Out)
	taken := &names{dir: opts.Out, taken: map[string]bool{}, next: map[string]int{}}
	// Analysing a page is pure and takes milliseconds: do it on all cores.
	// Naming and writing stay in file order, so names are the same
	// whatever the timing.
	drafts := analyzeAll(ctx, site, opts, files)
	for i, file := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := "", drafts[i].err
		if err == nil {
			line, err = place(opts, drafts[i].d, existing, taken)
		}
		if err != nil {
			errs.Addf(relSlash(opts.Site, file), 0, "import: %v", err)
			continue
		}
		fmt.Fprintln(opts.Log, line)
	}
	return errs.Err()
}

// analyzed is the outcome of analysing one raw file.
type analyzed struct {
	d   *Draft
	err error
}

// analyzeAll reads and analyses the files in parallel.
func analyzeAll(ctx context.Context, site *content.Site, opts Options, files []string) []analyzed {
	out := make([]analyzed, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i].d, out[i].err = analyzeOne(site, opts, files[i])
			}
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// expand lists the raw files named by paths: a folder stands for its .txt
// files.
func expand(paths []string) ([]string, diag.List) {
	var files []string
	var errs diag.List
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs.Addf(filepath.ToSlash(p), 0, "import: %v", unwrapPath(err))
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			errs.Addf(filepath.ToSlash(p), 0, "import: %v", unwrapPath(err))
			continue
		}
		for _, e := range entries {
			if !e.IsDir() && isRawPage(e.Name()) {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
	}
	return files, errs
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// analyzeOne reads a raw page and its sidecar and analyses them.
func analyzeOne(site *content.Site, opts Options, file string) (*Draft, error) {
	if isHTML(file) {
		return analyzeHTML(site, opts, file)
	}
	data, err := readPage(file)
	if err != nil {
		return nil, err
	}
	page := Page{Raw: relSlash(opts.Site, file), Text: string(data), Fetched: opts.FetchedAt}
	if err := readSidecar(file, &page); err != nil {
		return nil, err
	}
	return Analyze(site, page)
}

// place names the article of an analysed page and writes it, unless an
// article exists and --force is not given.
func place(opts Options, d *Draft, existing map[string]string, taken *names) (string, error) {
	// The same raw page imported before keeps its file, whatever its
	// name; a new page gets a free name.
	target, ok := existingArticle(existing, d)
	if ok {
		taken.use(target)
	} else {
		target = taken.free(d.Slug)
		indexURL(existing, d.URL, target)
	}
	status := "new"
	old, err := os.ReadFile(target)
	switch {
	case err == nil:
		if opts.Force {
			if err := keepConfirmed(d, old); err != nil {
				return "", fmt.Errorf("%s: %v", relSlash(opts.Site, target), err)
			}
		}
		if bytes.Equal(old, Render(d)) {
			status = "unchanged"
		} else if !opts.Force {
			return summary(opts, target, d, "exists, kept (--force re-imports it)"), nil
		} else {
			status = "replaced"
		}
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	if opts.DryRun {
		status += ", dry run"
	} else if status != "unchanged" {
		if err := writeAtomic(target, Render(d)); err != nil {
			return "", err
		}
	}
	return summary(opts, target, d, status), nil
}

// summary is the line printed for an imported page.
func summary(opts Options, target string, d *Draft, status string) string {
	review := "-"
	if len(d.Review) > 0 {
		review = strings.Join(d.Review, ",")
	}
	return fmt.Sprintf("%s -> %s (%s): %q | %s | %s | %s | %s | review: %s",
		d.Raw, relSlash(opts.Site, target), status, d.Title, d.Source,
		d.Date.Format(time.DateOnly), d.Topic, d.Round, review)
}

// readPage reads a raw page and rejects what cannot be one.
func readPage(file string) ([]byte, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxPageSize+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	switch {
	case len(data) > MaxPageSize:
		return nil, fmt.Errorf("file is larger than %d MiB; not a scraped page", MaxPageSize>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return nil, fmt.Errorf("file is empty")
	case bytes.IndexByte(data, 0) >= 0:
		return nil, fmt.Errorf("file is binary, not text")
	case !utf8.Valid(data):
		return nil, fmt.Errorf("file is not valid UTF-8 text")
	}
	return data, nil
}

// sidecar is what a scraper may save beside a page as NAME.yaml.
type sidecar struct {
	URL       string `yaml:"url"`
	FetchedAt string `yaml:"fetched_at"` // YYYY-MM-DD or RFC 3339
}

// readSidecar reads NAME.yaml beside NAME.txt, if there is one: the
// page's URL and when it was fetched, which --fetched-at does not
// override.
func readSidecar(file string, p *Page) error {
	name := strings.TrimSuffix(file, filepath.Ext(file)) + ".yaml"
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var sc sidecar
	if err := yaml.Unmarshal(data, &sc); err != nil {
		return fmt.Errorf("sidecar %s: %v", filepath.Base(name), err)
	}
	p.URL = sc.URL
	if sc.FetchedAt != "" {
		t, err := content.ParseDate(sc.FetchedAt)
		if err != nil {
			return fmt.Errorf("sidecar %s: fetched_at %q: want YYYY-MM-DD or RFC 3339", filepath.Base(name), sc.FetchedAt)
		}
		p.Fetched = t.UTC()
	}
	return nil
}

// indexArticles maps the raw: path of each article in dir to its file.
func indexArticles(dir string) map[string]string {
	index := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return index
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			continue
		}
		if fm, err := frontMatter(data); err == nil {
			if raw, ok := fm["raw"].(string); ok && raw != "" {
				if _, dup := index[raw]; !dup {
					index[raw] = filepath.Join(dir, n)
				}
			}
			if u, ok := fm["url"].(string); ok {
				indexURL(index, u, filepath.Join(dir, n))
			}
		}
	}
	return index
}

// names hands out the article files of one run: dir/slug.md, or
// dir/slug-2.md and so on when that is taken by another page's article or
// by this run.
type names struct {
	dir   string
	taken map[string]bool // files this run chose
	next  map[string]int  // slug -> the first suffix not yet known to be taken
}

// free returns the first free file for slug. The suffixes found taken are
// not looked at again in the same run, so importing many pages of one
// title costs one look at the disk each, not one for every copy before it.
func (n *names) free(slug string) string {
	for i := max(n.next[slug], 1); ; i++ {
		name := slug
		if i > 1 {
			name = fmt.Sprintf("%s-%d", slug, i)
		}
		p := filepath.Join(n.dir, name+".md")
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) && !n.taken[p] {
			n.next[slug] = i + 1
			n.use(p)
			return p
		}
	}
}

// use marks p as this run's, so that free does not hand it out.
func (n *names) use(p string) { n.taken[p] = true }

// frontMatter decodes the front matter of an article file.
func frontMatter(data []byte) (map[string]any, error) {
	m := map[string]any{}
	if _, err := frontmatter.MustParse(bytes.NewReader(data), &m); err != nil {
		return nil, fmt.Errorf("front matter: %v", err)
	}
	return m, nil
}

// keepConfirmed copies into d the fields an editor confirmed in the
// existing article old: every field it has that its review: list does not
// name. Those fields lose their explanation, which was about the importer's
// guess.
func keepConfirmed(d *Draft, old []byte) error {
	fm, err := frontMatter(old)
	if err != nil {
		return err
	}
	inReview := map[string]bool{}
	if list, ok := fm["review"].([]any); ok {
		for _, v := range list {
			inReview[fmt.Sprint(v)] = true
		}
	}
	// keep returns the confirmed value of field, if any, as text; a value
	// other than the importer's own loses the importer's explanation.
	keep := func(field, derived string) (string, bool) {
		v, ok := fm[field]
		if !ok || v == nil || inReview[field] {
			return "", false
		}
		s := text(v)
		if s != derived {
			delete(d.Why, field)
		}
		d.Review = remove(d.Review, field)
		return s, true
	}
	if v, ok := keep("title", d.Title); ok {
		d.Title = v
	}
	if v, ok := keep("source", d.Source); ok {
		d.Source = v
	}
	if v, ok := keep("date", d.Date.Format(time.DateOnly)); ok {
		t, err := content.ParseDate(v)
		if err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD", v)
		}
		d.Date = t
	}
	if v, ok := keep("topic", d.Topic); ok {
		d.Topic = v
	}
	if v, ok := keep("topics", strings.Join(d.Topics, ", ")); ok {
		d.Topics = nil
		if v != "" {
			d.Topics = strings.Split(v, ", ")
		}
	}
	if v, ok := keep("round", d.Round); ok {
		d.Round = v
	}
	if v, ok := keep("url", d.URL); ok {
		d.URL = v
	}
	return nil
}

// text renders a front matter value as the importer writes it: a date as
// YYYY-MM-DD, a list joined by ", ".
func text(v any) string {
	switch v := v.(type) {
	case time.Time:
		return v.Format(time.DateOnly)
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = text(x)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

func remove(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// writeAtomic writes data to path through a temporary file in the same
// folder, renamed into place, so a reader never sees half a file.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".import-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// relSlash returns path relative to root, slash-separated; path itself
// when it lies outside root.
func relSlash(root, path string) string {
	absRoot, err1 := filepath.Abs(root)
	absPath, err2 := filepath.Abs(path)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absRoot, absPath); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(path)
}
