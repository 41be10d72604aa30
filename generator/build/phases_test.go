package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"digest/generator/render"
)

// TestPhases checks the order of the phases of rendering: the finishing
// outputs (search index, sitemap, feeds) start once, after the article
// pages, when every article's summary is known, and their files are
// written.
func TestPhases(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	b, err := New(Options{Site: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	var started []string
	articles := 0
	b.onPhase = func(name string, r *render.Renderer) {
		started = append(started, name) // phases start from one goroutine, in order
		if name != phaseFinishing {
			return
		}
		articles = len(r.Model.Articles)
		for _, a := range r.Model.Articles {
			// A summary not yet known would be made from the body.
			if _, err := r.Markdown.Summary(a.Hash, func() ([]byte, error) { return nil, errors.New("not known") }); err != nil {
				t.Errorf("%s: no summary when the finishing outputs start", a.Path)
			}
		}
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if articles == 0 {
		t.Fatalf("phases started: %q; want %q once, with the site's articles", started, phaseFinishing)
	}
	if len(started) != 3 || started[0] != phaseArticles || !slices.Contains(started, phaseLists) || !slices.Contains(started, phaseFinishing) {
		t.Errorf("phases started: %q; want %q, then %q and %q", started, phaseArticles, phaseLists, phaseFinishing)
	}
	out := filepath.Join(dir, "public")
	for _, name := range []string{"search/index.json", "sitemap.xml", "feed.xml"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("finishing output %s: %v", name, err)
		}
	}
}

// TestSearchIndexFromPages checks that the search index the build makes,
// most articles encoded from the bodies their pages render, is the index
// render.SearchIndex makes reading every body itself, byte for byte.
func TestSearchIndexFromPages(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	b, err := New(Options{Site: dir, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	var index []render.File
	b.onPhase = func(name string, r *render.Renderer) {
		if name == phaseArticles { // before any page renders; a Markdown of its own knows no summary
			index, err = render.NewRenderer(r.Bodies, r.Templates, render.NewMarkdown(), r.Model, r.BaseURL).SearchIndex()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	got := files(t, out)
	docs := 0
	for _, f := range index {
		if strings.HasPrefix(f.Name, "search/d/") {
			docs++
		}
		if _, ok := got[f.Name]; !ok {
			t.Errorf("%s: not written by the build", f.Name)
		} else if g := read(t, out, f.Name); g != string(f.Data) {
			t.Errorf("%s: the build's\n%.300s\nwant SearchIndex's\n%.300s", f.Name, g, f.Data)
		}
	}
	for name := range got {
		if (strings.HasPrefix(name, "search/d/") || strings.HasPrefix(name, "search/t/")) && !slices.ContainsFunc(index, func(f render.File) bool { return f.Name == name }) {
			t.Errorf("%s: written by the build, not in SearchIndex's files", name)
		}
	}
	if docs == 0 {
		t.Errorf("SearchIndex made %d files, no document; want one per article", len(index))
	}
}

// TestSearchEntriesInCacheFile checks that a new run of the command takes
// the search entries of unchanged articles from the cache file, encoding
// only the articles that changed (an article renamed is one: its document
// names its path), and that what it writes is what a fresh build writes.
func TestSearchEntriesInCacheFile(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	run := func(what string, encoded int) {
		t.Helper()
		if res := build(t, Options{Site: dir, Once: true}); res.Encoded != encoded {
			t.Errorf("%s: %d articles encoded for the search index; want %d", what, res.Encoded, encoded)
		}
		fresh := filepath.Join(t.TempDir(), "public")
		build(t, Options{Site: dir, Out: fresh, NoCache: true})
		got, want := files(t, out), files(t, fresh)
		for _, name := range sortedKeys(want) {
			if got[name] != want[name] {
				t.Errorf("%s: %s differs from a fresh build's", what, name)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d files; a fresh build writes %d", what, len(got), len(want))
		}
	}
	arts := filepath.Join(dir, "content", "articles")
	run("cold", 5) // the draft is not in the index
	run("nothing changed", 0)
	f, err := os.OpenFile(filepath.Join(arts, "talks-day.md"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\nA line added about the ceasefire.\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	run("one edited", 1)
	if err := os.Rename(filepath.Join(arts, "between.md"), filepath.Join(arts, "in-between.md")); err != nil {
		t.Fatal(err)
	}
	run("one renamed", 1)
}
