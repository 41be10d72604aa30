package content

import (
	"errors"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"digest/generator/diag"
)

// Load reads the registries and every article of the site in fsys.
func Load(fsys fs.FS) (*Site, error) {
	return new(Loader).Load(fsys)
}

// Loader loads a site repeatedly, re-reading only the article files whose
// size or modification time changed since the previous Load. The zero value
// is ready to use; a Loader must not be used by two goroutines at once.
type Loader struct {
	cache map[string]cached
	paths []string // the article files of the last load, sorted

	// The registries of the last load, kept while their files do not
	// change, so that unchanged articles need not be resolved again.
	regKey   uint64
	reg      *Site
	regErr   error
	resolved map[*parsed]resolvedArticle
}

// resolvedArticle is a parsed file resolved against the kept registries.
type resolvedArticle struct {
	a    *Article
	errs diag.List
}

type cached struct {
	info fs.FileInfo
	p    *parsed
	// racy: the file was read while its modification time was too recent
	// to trust. An edit made within the file system's time resolution of
	// the read (a second or two on some file systems) can leave the size
	// and time as they were; such a file is read again next time and its
	// parse kept only if its bytes hash the same (the rule git calls
	// "racily clean").
	racy bool
}

// RacyWindow is how recent a file's modification time may be, at the time
// the file is read, for its size and time to be trusted afterwards: it
// covers the coarsest time resolutions in use (2 s on FAT, 1 s on HFS+
// and ext3).
const RacyWindow = 3 * time.Second

// isRacy tells whether a file of modification time mod, read at readAt, is
// racily clean: an edit could follow the read without changing mod.
func isRacy(mod, readAt time.Time) bool {
	return !mod.Before(readAt.Add(-RacyWindow))
}

// Load reads the registries and all articles. Drafts are checked like any
// article but left out of the returned Site. On failure the error is a
// diag.List of every problem found, sorted.
func (l *Loader) Load(fsys fs.FS) (*Site, error) {
	return l.load(fsys, nil, false)
}

// Reload is Load after a Load on the same Loader, when the caller knows
// which files changed (a file watcher does): only the changed paths
// (slash-separated, relative to the site root) are looked at again; every
// other article is taken as it was. A change to a registry is seen either
// way: registries are always read. Without a previous Load it loads all.
func (l *Loader) Reload(fsys fs.FS, changed []string) (*Site, error) {
	if l.paths == nil {
		return l.load(fsys, nil, false)
	}
	return l.load(fsys, changed, true)
}

func (l *Loader) load(fsys fs.FS, changed []string, hinted bool) (*Site, error) {
	var errs diag.List
	key := registriesKey(fsys)
	if l.reg == nil || key != l.regKey {
		l.reg, l.regErr = LoadRegistries(fsys)
		l.regKey = key
		l.resolved = map[*parsed]resolvedArticle{}
	}
	err := l.regErr
	site := &Site{} // still check the articles' own syntax when the registries are broken
	if err != nil {
		errs = append(errs, diag.From(err)...)
	} else {
		site = &Site{Config: l.reg.Config, Topics: l.reg.Topics, Rounds: l.reg.Rounds, Sources: l.reg.Sources,
			RegistriesKey: key}
	}

	var paths []string
	var infos []entry
	if hinted {
		paths, infos = l.known(fsys, changed, &errs)
	} else {
		paths, infos = walkArticles(fsys, &errs)
	}
	parsedFiles, n := l.parseAll(fsys, paths, infos, &errs)
	site.Parsed = n
	l.paths = paths

	bySlug := map[string]string{}
	kept := make(map[*parsed]resolvedArticle, len(parsedFiles)) // drops files gone or changed
	for _, p := range parsedFiles {
		if p == nil {
			continue
		}
		if err != nil { // registries broken: report only syntax problems
			errs = append(errs, p.errs...)
			continue
		}
		r, ok := l.resolved[p]
		if !ok {
			r.a, r.errs = p.resolve(site)
		}
		kept[p] = r
		a := r.a
		errs = append(errs, r.errs...)
		if a == nil {
			continue
		}
		if other, ok := bySlug[a.Slug]; ok {
			errs.Addf(a.Path, 0, "article: slug %q is already used by %s", a.Slug, other)
			continue
		}
		bySlug[a.Slug] = a.Path
		if !a.Draft {
			site.Articles = append(site.Articles, a)
		}
	}
	l.resolved = kept
	if err := errs.Err(); err != nil {
		return nil, err
	}
	SortArticles(site.Articles)
	return site, nil
}

// registriesKey hashes the registry files, so a Loader knows when the
// registries it keeps are still current.
func registriesKey(fsys fs.FS) uint64 {
	var all []byte
	for _, f := range []string{SiteFile, TopicsFile, RoundsFile, SourcesFile} {
		data, err := ReadFile(fsys, f, RegistryFile)
		if err != nil {
			all = append(all, err.Error()...)
		}
		all = append(all, data...)
		all = append(all, 0)
	}
	return hashBytes(all)
}

// entry is an article file as a listing or a look-up found it.
type entry struct {
	info fs.FileInfo // nil until looked up
	// listed says the file was seen in a listing of a checked directory,
	// with type mode; otherwise its type is not known yet.
	listed bool
	mode   fs.FileMode
	// file, when set, is the path the last load read it from, links
	// followed: it has not changed since.
	file string
}

// walkArticles lists the article files under ArticlesDir, sorted.
func walkArticles(fsys fs.FS, errs *diag.List) ([]string, []entry) {
	found := walkDir(fsys, ArticlesDir, errs)
	paths := make([]string, 0, len(found))
	for p := range found {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	infos := make([]entry, len(paths))
	for i, p := range paths {
		infos[i] = found[p]
	}
	return paths, infos
}

// isArticle reports whether a slash-separated path names an article file:
// a .md file under ArticlesDir whose name does not start with a dot.
func isArticle(path string) bool {
	name := path[strings.LastIndex(path, "/")+1:]
	return strings.HasPrefix(path, ArticlesDir+"/") && strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".")
}

// known lists the article files of the previous load, updated for the
// changed paths: each is looked at again, added, or dropped when gone. A
// changed directory (a folder moved in or out) is walked.
func (l *Loader) known(fsys fs.FS, changed []string, errs *diag.List) ([]string, []entry) {
	paths := l.paths
	infos := make(map[string]entry, len(changed))
	drop := map[string]bool{}
	dropUnder := func(dir string) {
		for _, p := range paths {
			if strings.HasPrefix(p, dir+"/") {
				drop[p] = true
			}
		}
	}
	for _, path := range changed {
		if path != ArticlesDir && !strings.HasPrefix(path, ArticlesDir+"/") {
			continue
		}
		fi, err := lstat(fsys, path) // a link is not walked, as in a full Load
		switch {
		case err != nil: // gone, with anything that was under it
			drop[path] = true
			dropUnder(path)
		case fi.IsDir():
			dropUnder(path)
			for p, e := range walkDir(fsys, path, errs) {
				infos[p] = e
				delete(drop, p)
			}
		case isArticle(path):
			infos[path] = entry{} // looked at again by parseAll: it may be a link now
			delete(drop, path)
		}
	}
	// Most rebuilds change one known file: keep the sorted list as it is.
	out := paths
	added := false
	for p := range infos {
		if _, ok := l.cache[p]; !ok {
			added = true
		}
	}
	if added || len(drop) > 0 {
		out = make([]string, 0, len(paths)+len(infos))
		for _, p := range paths {
			if !drop[p] {
				out = append(out, p)
			}
		}
		for p := range infos {
			if _, ok := l.cache[p]; !ok {
				out = append(out, p)
			}
		}
		sort.Strings(out)
	}
	list := make([]entry, 0, len(out))
	kept := out[:0:0]
	for _, p := range out {
		e, ok := infos[p]
		if !ok {
			c, cached := l.cache[p]
			if !cached {
				if _, err := lstat(fsys, p); err != nil {
					continue // could not be read last time, and is gone now
				}
			}
			// Unchanged since it was read and checked.
			e = entry{info: c.info, listed: cached}
			if cached {
				e.file = c.p.file
			}
		}
		kept = append(kept, p)
		list = append(list, e)
	}
	return kept, list
}

// walkDir lists the article files under one directory, with their types
// as listed and no file information yet. The directory itself is resolved
// first, so that a link out of the site is not walked. A missing
// ArticlesDir is a site without articles yet, not an error.
func walkDir(fsys fs.FS, dir string, errs *diag.List) map[string]entry {
	out := map[string]entry{}
	_, fi, err := Resolve(fsys, dir)
	switch {
	case dir == ArticlesDir && errors.Is(err, fs.ErrNotExist):
		return out
	case err != nil:
		errs.Addf(dir, 0, "read: %v", bare(err))
		return out
	case !fi.IsDir():
		errs.Addf(dir, 0, "read: not a directory; articles go in %s/NAME.md", ArticlesDir)
		return out
	}
	fs.WalkDir(fsys, dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs.Addf(path, 0, "read: %v", bare(err))
			return nil
		}
		if d.IsDir() || !isArticle(path) {
			return nil
		}
		out[path] = entry{listed: true, mode: d.Type()} // looked up by parseAll, on all cores
		return nil
	})
	return out
}

// lstat is fs.ReadLinkFS's Lstat when fsys has it, fs.Stat otherwise.
func lstat(fsys fs.FS, name string) (fs.FileInfo, error) {
	if l, ok := fsys.(fs.ReadLinkFS); ok {
		return l.Lstat(name)
	}
	return fs.Stat(fsys, name)
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

// parseAll parses the files in parallel, reusing cached results for files
// whose size and modification time did not change. A nil info is looked up
// here, on all cores, rather than while walking. Every file is checked as
// ReadFile checks it; a file listed as a regular one in a checked directory
// is opened at once, a link or a file of unknown type is resolved first.
func (l *Loader) parseAll(fsys fs.FS, paths []string, infos []entry, errs *diag.List) ([]*parsed, int) {
	old := l.cache
	l.cache = make(map[string]cached, len(paths))
	out := make([]*parsed, len(paths))
	readErrs := make([]error, len(paths))
	stats := make([]fs.FileInfo, len(paths))
	racy := make([]bool, len(paths))

	var next, parsedN atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf []byte // parseFile keeps nothing of the file's bytes
			for {
				i := int(next.Add(1)) - 1
				if i >= len(paths) {
					return
				}
				e, file := infos[i], paths[i]
				switch {
				case e.file != "":
					file = e.file
				case !e.listed || e.mode&fs.ModeSymlink != 0:
					f, fi, err := Resolve(fsys, file)
					if err == nil && !fi.Mode().IsRegular() {
						err = notRegular(fi.Mode())
					}
					if err != nil {
						readErrs[i] = err
						continue
					}
					file, e.info = f, fi
				case e.mode.Type() != 0:
					readErrs[i] = notRegular(e.mode) // never opened: a pipe would block
					continue
				}
				c, cached := old[paths[i]]
				if cached && e.info == nil {
					// Compared by size and time before anything is read.
					fi, err := fs.Stat(fsys, file)
					if err != nil {
						readErrs[i] = err
						continue
					}
					e.info = fi
				}
				same := cached && c.info.Size() == e.info.Size() && c.info.ModTime().Equal(e.info.ModTime()) &&
					!e.info.ModTime().IsZero() && (c.p.file == "" || c.p.file == file)
				if same && !c.racy {
					c.p.file = file
					out[i], stats[i] = c.p, e.info
					continue
				}
				readAt := time.Now()
				data, fi, err := readRegular(fsys, file, ArticleFile, -1, buf)
				if err != nil {
					readErrs[i] = err
					continue
				}
				buf = data
				racy[i] = isRacy(fi.ModTime(), readAt)
				if same && c.p.size == len(data) && c.p.hash == hashBytes(data) {
					c.p.file = file // racily clean, and the bytes did not change
					out[i], stats[i] = c.p, fi
					continue
				}
				out[i], stats[i] = parseFile(paths[i], data), fi
				out[i].file = file
				parsedN.Add(1)
			}
		})
	}
	wg.Wait()

	for i, p := range out {
		if readErrs[i] != nil {
			errs.Addf(paths[i], 0, "read: %v", bare(readErrs[i]))
			continue
		}
		l.cache[paths[i]] = cached{info: stats[i], p: p, racy: racy[i]}
	}
	return out, int(parsedN.Load())
}

// SortArticles orders articles newest first; articles of the same date
// by title, then by slug (the file name, which no two share), so every
// list built from them is in one order whatever order the files were read.
func SortArticles(list []*Article) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Slug < b.Slug
	})
}

// Round rule windows.
const (
	AftermathDays = 7  // an article up to this many days after a round belongs to it
	LeadUpDays    = 30 // otherwise, up to this many days before the next round
)

// AssignRound applies the round rule to an article date: the round it
// follows by at most AftermathDays days (counted from the round's last day),
// otherwise the next round at most LeadUpDays days ahead, otherwise nil.
// Rounds must be sorted by date. A date inside a round's span belongs to it.
func AssignRound(rounds []*Round, date time.Time) *Round {
	day := date.UTC().Truncate(24 * time.Hour)
	var after *Round // latest round that started on or before day
	for _, r := range rounds {
		if !r.Date.After(day) {
			after = r
		}
	}
	if after != nil && !day.After(after.Last().AddDate(0, 0, AftermathDays)) {
		return after
	}
	for _, r := range rounds {
		if r.Date.After(day) {
			if !r.Date.After(day.AddDate(0, 0, LeadUpDays)) {
				return r
			}
			break
		}
	}
	return nil
}

// Phase says where an article stands relative to its round.
type Phase string

// Phases of a round's coverage.
const (
	LeadUp    Phase = "lead-up"
	Talks     Phase = "talks"
	Aftermath Phase = "aftermath"
)

// PhaseOf tells whether date falls before, during or after round r.
func PhaseOf(r *Round, date time.Time) Phase {
	day := date.UTC().Truncate(24 * time.Hour)
	switch {
	case day.Before(r.Date.Time):
		return LeadUp
	case day.After(r.Last()):
		return Aftermath
	}
	return Talks
}
