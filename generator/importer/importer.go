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
//     Force is set. With Force, what an editor did is kept: fields edited,
//     fields confirmed (taken off review:), a body edited by hand, fields
//     put on review:, and every front matter key the importer does not
//     write; only the importer's untouched guesses are worked out again,
//     and the line printed names what was kept. To tell an edit from its
//     own output the importer records, in each article, hashes of what it
//     wrote (see RecordKey).
//     DiscardEdits drops the edits instead, and says which.
//   - An article is never overwritten without a backup of it first, in
//     SITE/.import-backups/ (see BackupDir), named in the line printed.
//   - Writes are atomic: a temporary file .import-*.tmp beside the
//     article, renamed into place (synced first when it replaces an
//     article, and so are backups). A run that is killed can leave one;
//     the next run that writes removes them, from the articles folder,
//     the inbox and the folders of the pages it is given, and says so.
//   - Importing the same page twice gives the same file.
//   - An empty, binary, non-UTF-8 or oversized page is reported with one
//     line naming it; the other pages are still imported. An article the
//     importer cannot read back to merge with is reported with its file
//     and line, and left as it is.
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
	"digest/generator/htmlpage"

	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// MaxPageSize is the largest raw page Import reads; a scraped article page
// is tens of kilobytes.
const MaxPageSize = 2 << 20

// Options configure Import.
type Options struct {
	Site  string // site root; registries are read from Site/content
	Out   string // where articles are written; default Site/content/articles
	Force bool   // re-import over existing articles, keeping what editors wrote
	// DiscardEdits, with Force, re-imports as if there were no article:
	// an editor's edits are dropped (the backup keeps them).
	DiscardEdits bool
	DryRun       bool      // analyze and report, write nothing
	FetchedAt    time.Time // when the pages were scraped, for "6 days ago"; zero if unknown
	Log          io.Writer // one line per page; may be nil
	// Now gives the time backups are named by; nil for time.Now.
	Now func() time.Time
	// ReadHTML reads an HTML page's story and metadata, as extract.Read
	// does: the digest binary runs the digest-html program (package
	// htmlpage/external), tests may call extract.Read directly. It is
	// called from several goroutines at once. Nil refuses HTML pages.
	ReadHTML HTMLReader
}

// HTMLReader reads page, an HTML page as saved, fetched from pageURL
// (or "") and served as contentType (or ""); see package htmlpage. It is
// safe for concurrent use.
type HTMLReader func(ctx context.Context, page []byte, pageURL, contentType string) (*htmlpage.Page, error)

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
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if fi, err := os.Stat(opts.Out); err == nil && !fi.IsDir() {
		return diag.Errorf(relSlash(opts.Site, opts.Out), 0, "import: not a folder; the articles are written into a folder")
	}
	site, err := content.LoadRegistries(os.DirFS(opts.Site))
	if err != nil {
		return err
	}
	files, errs := expand(paths)
	if len(errs) > 0 && len(files) == 0 {
		return errs.Err()
	}
	if !opts.DryRun {
		if removed := removeLeftovers(leftoverDirs(opts, paths)); len(removed) > 0 {
			for i, p := range removed {
				removed[i] = relSlash(opts.Site, p)
			}
			fmt.Fprintf(opts.Log, "removed %s left by an interrupted import: %s\n",
				plural(len(removed), "temporary file"), strings.Join(removed, ", "))
		}
	}
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
		var d diag.Diagnostic
		if errors.As(err, &d) {
			errs.Add(d) // about the article, which names its own file
			continue
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

// analyzeAll reads and analyses the files in parallel. An HTML page is
// read by opts.ReadHTML on one of these workers, so at most as many pages
// are read at once as there are workers.
func analyzeAll(ctx context.Context, site *content.Site, opts Options, files []string) []analyzed {
	out := make([]analyzed, len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				out[i].d, out[i].err = analyzeOne(ctx, site, opts, files[i])
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
func analyzeOne(ctx context.Context, site *content.Site, opts Options, file string) (*Draft, error) {
	if isHTML(file) {
		return analyzeHTML(ctx, site, opts, file)
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
// article exists and --force is not given. Over an existing article it
// keeps the editor's edits (see reimport) and a backup.
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
	rel := relSlash(opts.Site, target)
	data, err := fresh(d)
	if err != nil {
		return "", err
	}
	status := "new"
	old, err := os.ReadFile(target)
	switch {
	case err == nil:
		if !opts.Force {
			if bytes.Equal(old, data) {
				return summary(opts, target, d, "unchanged"), nil
			}
			return summary(opts, target, d, "exists, kept (--force re-imports it)"), nil
		}
		r, err := reimport(rel, d, old, opts.DiscardEdits)
		if err != nil {
			return "", err
		}
		data, d = r.data, r.draft
		same := bytes.Equal(old, data)
		status = "replaced"
		if same {
			status = "unchanged"
		}
		if len(r.edits) > 0 {
			verb := "kept"
			if opts.DiscardEdits {
				verb = "discarded"
			}
			status += fmt.Sprintf(", %s the editor's %s", verb, joinNames(r.edits))
		}
		if same {
			return summary(opts, target, d, status), nil
		}
		if opts.DryRun {
			break
		}
		backup, err := keepBackup(opts, target, old)
		if err != nil {
			return "", fmt.Errorf("backup of %s: %v; the article is unchanged", rel, unwrapPath(err))
		}
		status += ", backup " + relSlash(opts.Site, backup)
		// An editor saving the article meanwhile would lose that save.
		if now, err := os.ReadFile(target); err != nil || !bytes.Equal(now, old) {
			return "", fmt.Errorf("%s changed while it was re-imported; it is kept as it is now, import again", rel)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	if opts.DryRun {
		return summary(opts, target, d, status+", dry run"), nil
	}
	if err := writeAtomic(target, data, status != "new"); err != nil {
		what := "no article was written"
		if status != "new" {
			what = "the article is unchanged"
		}
		return "", fmt.Errorf("write %s: %v; %s", rel, unwrapPath(err), what)
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
		raw := ""
		if fm, err := frontMatter(data); err == nil {
			raw, _ = fm["raw"].(string)
			if u, ok := fm["url"].(string); ok {
				indexURL(index, u, filepath.Join(dir, n))
			}
		} else {
			// A broken article is still the page's: found here, it is
			// reported, not shadowed by a second article of the page.
			raw = rawLine(data)
		}
		if _, dup := index[raw]; raw != "" && !dup {
			index[raw] = filepath.Join(dir, n)
		}
	}
	return index
}

// rawLine finds the raw: line of a front matter that does not parse,
// looking only at its lines up to the next --- line.
func rawLine(data []byte) string {
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if i > 0 && strings.TrimSpace(line) == "---" {
			break
		}
		if !strings.HasPrefix(line, "raw:") {
			continue
		}
		var v struct{ Raw string }
		if yaml.Unmarshal([]byte(line), &v) == nil {
			return v.Raw
		}
	}
	return ""
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
