package render

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"

	"digest/layouts"
)

// TestFiles checks the feeds, sitemap, search index and robots.txt of the
// hostile site: each parses, covers what it should, and carries no markup
// from the scraped text.
func TestFiles(t *testing.T) {
	fsys := siteFS(t, "hostile.txtar")
	s := loadSite(t, fsys)
	r := s.renderer(t, layouts.FS)

	feeds := r.Feeds()
	if want := 1 + len(s.model.Content.Topics) + len(s.model.Content.Rounds); len(feeds) != want {
		t.Errorf("%d feeds; want %d (all, each topic, each round)", len(feeds), want)
	}
	for _, fd := range feeds {
		data, err := r.Atom(fd)
		if err != nil {
			t.Fatal(err)
		}
		var feed struct {
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Entries []struct {
				Title   string `xml:"title"`
				Summary string `xml:"summary"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(data, &feed); err != nil {
			t.Fatalf("%s: %v\n%s", fd.Name, err, data)
		}
		if feed.Title != fd.Title || len(feed.Entries) != len(fd.Articles) {
			t.Errorf("%s: title %q, %d entries; want %q, %d", fd.Name, feed.Title, len(feed.Entries), fd.Title, len(fd.Articles))
		}
		if len(fd.Articles) > 0 && feed.Updated != fd.Articles[0].Date.UTC().Format("2006-01-02T15:04:05Z07:00") {
			t.Errorf("%s: updated %s; want the newest article's date", fd.Name, feed.Updated)
		}
		if strings.Contains(string(data), "<script") {
			t.Errorf("%s carries markup:\n%s", fd.Name, data)
		}
	}

	var sitemap struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(r.Sitemap(s.pages), &sitemap); err != nil {
		t.Fatal(err)
	}
	if len(sitemap.URLs) != len(s.pages)-1 {
		t.Errorf("sitemap: %d URLs for %d pages (all but 404.html)", len(sitemap.URLs), len(s.pages))
	}
	lastmods := 0
	for _, u := range sitemap.URLs {
		if !strings.HasPrefix(u.Loc, r.BaseURL) || strings.HasSuffix(u.Loc, "404.html") {
			t.Errorf("sitemap URL %q", u.Loc)
		}
		if u.LastMod != "" {
			lastmods++
		}
	}
	if lastmods != len(s.model.Articles) {
		t.Errorf("sitemap: %d lastmod; want one per article, %d", lastmods, len(s.model.Articles))
	}

	index, err := r.SearchIndex()
	if err != nil {
		t.Fatal(err)
	}
	docs, manifest := 0, false
	for _, f := range index {
		switch {
		case f.Name == "search/index.json":
			manifest = true
		case strings.HasPrefix(f.Name, "search/d/"):
			docs++
			var d struct{ T, P, S, D string }
			if err := json.Unmarshal(f.Data, &d); err != nil {
				t.Fatalf("%s: %v\n%s", f.Name, err, f.Data)
			}
			if d.T == "" || !strings.HasPrefix(d.P, "articles/") || d.S == "" {
				t.Errorf("%s: %+v", f.Name, d)
			}
		}
		if strings.ContainsAny(string(f.Data), "<>") {
			t.Errorf("%s holds markup:\n%s", f.Name, f.Data)
		}
	}
	if !manifest || docs != len(s.model.Articles) {
		t.Errorf("search index: manifest %v, %d documents for %d articles", manifest, docs, len(s.model.Articles))
	}

	if got := string(r.Robots()); !strings.Contains(got, "Sitemap: "+r.BaseURL+"sitemap.xml\n") {
		t.Errorf("robots.txt:\n%s", got)
	}
}

// TestLayoutsKey checks that the key of a site's layouts changes with any
// of its layout files, and only with them.
func TestLayoutsKey(t *testing.T) {
	fsys := fstest.MapFS{"content/site.yaml": {Data: []byte("title: x\n")}}
	none := LayoutsKey(fsys)
	fsys["layouts/topics.html"] = &fstest.MapFile{Data: []byte("a")}
	one := LayoutsKey(fsys)
	fsys["layouts/topics.html"] = &fstest.MapFile{Data: []byte("b")}
	changed := LayoutsKey(fsys)
	fsys["content/site.yaml"] = &fstest.MapFile{Data: []byte("title: y\n")}
	if none == one || one == changed || changed != LayoutsKey(fsys) {
		t.Errorf("keys: none %x, one %x, changed %x, content changed %x", none, one, changed, LayoutsKey(fsys))
	}
}

// TestSummaries checks that summaries are kept by file hash, seeded from a
// cache file, listed for it, and forgotten when no live article has them.
func TestSummaries(t *testing.T) {
	md := NewMarkdown()
	md.Render(1, []byte("One."))
	md.SeedSummary(2, "Two.")
	got := map[uint64]string{}
	md.Summaries(func(h uint64, s string) { got[h] = s })
	if len(got) != 2 || got[1] != "One." || got[2] != "Two." {
		t.Errorf("summaries %v", got)
	}
	md.Retain(map[uint64]bool{2: true})
	read := false
	s, err := md.Summary(1, func() ([]byte, error) { read = true; return []byte("Again."), nil })
	if err != nil || s != "Again." || !read {
		t.Errorf("summary of a forgotten hash: %q, %v, read %v", s, err, read)
	}
	if s, _ := md.Summary(2, nil); s != "Two." {
		t.Errorf("retained summary %q", s)
	}
}
