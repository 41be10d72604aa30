package render

import (
	"cmp"
	"errors"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/search"
	"digest/generator/site"
)

// SearchOutput receives the documents of the search index (search/d) as
// they are made, so that a build never holds every article's text at once.
// Both functions are called from several goroutines.
type SearchOutput struct {
	// Keep keeps the file name as written before when its fingerprint
	// then was fp, and reports whether it did; nil keeps nothing.
	Keep func(name string, fp uint64) bool
	// Put writes the file name with fingerprint fp.
	Put func(name string, fp uint64, data []byte)
}

// SearchIndex returns the files of the search index (see package search):
// every article's title, lead, outlet, round, topics and body, with the
// spelling variants of content/spellings.yaml, when there is one, folded
// on top of the defaults. Its errors name the file and line.
func (r *Renderer) SearchIndex() ([]File, error) {
	var mu sync.Mutex
	var docs []File
	files, err := r.WriteSearchIndex(SearchOutput{Put: func(name string, _ uint64, data []byte) {
		mu.Lock()
		docs = append(docs, File{Name: name, Data: data})
		mu.Unlock()
	}})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(docs, func(a, b File) int { // by number
		return cmp.Or(cmp.Compare(len(a.Name), len(b.Name)), strings.Compare(a.Name, b.Name))
	})
	return append(docs, files...), nil
}

// WriteSearchIndex is SearchIndex handing each document to out as soon as
// it is made, or keeping it (out.Keep) when the article's kept entry says
// it is unchanged; it returns the other files, the shards and the
// manifest. A document's fingerprint is its entry's DocSum. In a build for
// disk every file goes out in its script form too (see disk.go).
func (r *Renderer) WriteSearchIndex(out SearchOutput) ([]File, error) {
	return r.StartSearchIndex(out).Finish()
}

// SearchIndexer makes the search index of one build in two steps. Started
// before the article pages render (StartSearchIndex), it encodes each
// article whose body an article page renders, from the body the page has
// just read and the summary it has just made, so that no body is read
// twice; Finish, once the article pages are done, encodes the articles no
// page rendered (their pages were unchanged, or a layout shows no body),
// keeping the entries and documents of unchanged articles, and joins all
// entries into the shards and the manifest.
type SearchIndexer struct {
	r    *Renderer
	out  SearchOutput
	sp   *search.Spellings
	err  error                    // reading the spellings; Finish returns it
	at   map[*content.Article]int // place in r.Model.Articles
	encs chan *search.Encoder     // free Encoders, one a goroutine at a time

	// mu is held for reading while a page encodes an article, and for
	// writing when Finish takes over: no page encodes one after it.
	mu       sync.RWMutex
	encoded  atomic.Int64 // articles encoded, not kept
	finished bool
	entries  []search.Entry // by place; nil until encoded
	claimed  []atomic.Bool  // by place: encoded, or being encoded, by a page
}

// StartSearchIndex starts the search index of this build: from now on the
// article pages the renderer renders hand it their bodies. The documents
// go to out; call Finish for the rest. A renderer has one index at a time.
func (r *Renderer) StartSearchIndex(out SearchOutput) *SearchIndexer {
	out = r.withScripts(out) // a build for disk writes each file twice
	ix := &SearchIndexer{r: r, out: out, sp: search.DefaultSpellings()}
	if data, err := fs.ReadFile(r.Bodies, search.SpellingsFile); err == nil {
		ix.sp, ix.err = search.ParseSpellings(search.SpellingsFile, data)
	} else if !errors.Is(err, fs.ErrNotExist) {
		ix.err = diag.Errorf(search.SpellingsFile, 0, "read: %v", err)
	}
	arts := r.Model.Articles
	ix.at = make(map[*content.Article]int, len(arts))
	for i, a := range arts {
		ix.at[a] = i
	}
	ix.entries = make([]search.Entry, len(arts))
	ix.claimed = make([]atomic.Bool, len(arts))
	ix.encs = make(chan *search.Encoder, runtime.GOMAXPROCS(0)+1)
	if ix.err == nil {
		r.search.Store(ix)
	}
	return ix
}

// docName returns the document's name of the article at place i.
func (ix *SearchIndexer) docName(i int) string { return search.DocName(len(ix.entries) - 1 - i) }

// encoder returns a free Encoder; put it back with release.
func (ix *SearchIndexer) encoder() *search.Encoder {
	select {
	case enc := <-ix.encs:
		return enc
	default:
		return new(search.Encoder)
	}
}

func (ix *SearchIndexer) release(enc *search.Encoder) {
	select {
	case ix.encs <- enc:
	default: // enough kept
	}
}

// kept reports whether the article at place i has an entry kept from an
// earlier build, made with these spellings: Finish then keeps its
// document as written, when the build still has it.
func (ix *SearchIndexer) kept(a *content.Article) bool {
	e, ok := ix.r.SearchCache[a]
	return ok && search.Entry(e).Current(ix.sp)
}

// articleBody is called by an article page with the body it rendered, src,
// and its summary. It encodes the article unless another page has, or an
// entry of it is kept, or Finish has begun.
func (ix *SearchIndexer) articleBody(a *content.Article, src []byte, summary string) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	i, ok := ix.at[a]
	if ix.finished || !ok || ix.kept(a) || !ix.claimed[i].CompareAndSwap(false, true) {
		return
	}
	enc := ix.encoder()
	e, doc := enc.Encode(ix.r.searchDoc(a, string(src), summary), ix.sp)
	ix.release(enc)
	ix.entries[i] = e
	ix.encoded.Add(1)
	ix.out.Put(ix.docName(i), e.DocSum(), doc)
}

// Encoded returns how many articles the index encoded in this build; the
// others' entries were kept from an earlier one.
func (ix *SearchIndexer) Encoded() int { return int(ix.encoded.Load()) }

// Finish encodes the articles no page has, on every core, and returns the
// shards and the manifest; its errors name the file and line. After it,
// pages no longer hand their bodies to the index.
func (ix *SearchIndexer) Finish() ([]File, error) {
	r := ix.r
	ix.mu.Lock()
	ix.finished = true
	ix.mu.Unlock()
	if ix.err != nil {
		return nil, ix.err
	}
	// Entries are kept by article across builds; the ones missing or made
	// with other spellings, or whose document is not kept as written, are
	// encoded on every core.
	arts := r.Model.Articles
	entries := ix.entries
	var todo []int
	for i, a := range arts {
		switch {
		case entries[i] != nil: // encoded by its page
			todo = append(todo, i) // for the cache below; nothing to encode
		case ix.kept(a) && ix.out.Keep != nil && ix.out.Keep(ix.docName(i), search.Entry(r.SearchCache[a]).DocSum()):
			entries[i] = r.SearchCache[a]
		default:
			todo = append(todo, i)
		}
	}
	errs := make([]error, len(arts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(todo))) {
		wg.Go(func() {
			enc := ix.encoder()
			defer ix.release(enc)
			for {
				k := int(next.Add(1)) - 1
				if k >= len(todo) {
					return
				}
				i := todo[k]
				if entries[i] != nil {
					continue
				}
				d, err := r.readSearchDoc(arts[i])
				if err != nil {
					errs[i] = err
					continue
				}
				e, doc := enc.Encode(d, ix.sp)
				entries[i] = e
				ix.encoded.Add(1)
				ix.out.Put(ix.docName(i), e.DocSum(), doc)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if r.SearchCache != nil {
		for _, i := range todo {
			r.SearchCache[arts[i]] = entries[i]
		}
	}
	var idx []search.File
	if r.SearchJoin != nil {
		idx = r.SearchJoin.Join(entries, ix.sp)
	} else {
		idx = search.BuildEntries(entries, ix.sp)
	}
	files := make([]File, len(idx))
	for i, f := range idx {
		files[i] = File{Name: f.Name, Data: f.Data}
	}
	return r.addScripts(files), nil
}

// readSearchDoc is searchDoc for an article whose body no page has
// rendered in this build.
func (r *Renderer) readSearchDoc(a *content.Article) (search.Doc, error) {
	lead, err := r.Summary(a)
	if err != nil {
		return search.Doc{}, err
	}
	body, err := a.ReadBody(r.Bodies)
	if err != nil {
		return search.Doc{}, err
	}
	return r.searchDoc(a, string(body), lead), nil
}

// searchDoc returns the article as the index sees it, from its body (the
// markdown) and its summary.
func (r *Renderer) searchDoc(a *content.Article, body, lead string) search.Doc {
	src := r.Model.SourceOf(a)
	path := site.ArticlePath(a)
	if r.ForDisk {
		path = DiskPath(path) // search.js links the result as it is
	}
	d := search.Doc{
		Path:        path,
		Title:       BidiSafe(a.Title),
		Lead:        BidiSafe(lead),
		Text:        BidiSafe(PlainText(body)),
		Date:        a.Date.UTC().Format("2006-01-02"),
		Source:      search.Facet{ID: src.ID, Name: BidiSafe(src.Name)},
		Affiliation: search.Facet{ID: content.Slugify(src.Affiliation()), Name: src.Affiliation()},
	}
	if a.Round != nil {
		d.Round = search.Facet{ID: a.Round.ID, Name: BidiSafe(a.Round.Name)}
	}
	for _, t := range a.AllTopics() {
		d.Topics = append(d.Topics, search.Facet{ID: t.ID, Name: BidiSafe(t.Name)})
	}
	return d
}
