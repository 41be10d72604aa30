package render

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"digest/generator/search"
	"digest/layouts"
)

func TestDiskPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "index.html"},
		{"rounds/", "rounds/index.html"},
		{"rounds/round-1/ceasefire/", "rounds/round-1/ceasefire/index.html"},
		{"rounds/#latest", "rounds/index.html#latest"},
		{"search/?q=kyiv", "search/index.html?q=kyiv"},
		{"?q=kyiv", "index.html?q=kyiv"},
		{"style.css", "style.css"},
		{"topics/ceasefire/feed.xml", "topics/ceasefire/feed.xml"},
		{"search/index.json", "search/index.json"},
		{"404.html#x", "404.html#x"},
	} {
		if got := DiskPath(tc.in); got != tc.want {
			t.Errorf("DiskPath(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// links matches the links of a page: href and src attributes, and the
// search form's data-index and data-root.
var links = regexp.MustCompile(`\s(href|src|data-index|data-root)="([^"]*)"`)

var canonicalLink = regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)

// TestDiskLinks renders every page of the basic and hostile sites for disk
// and as served: for disk, every link inside the site names a file (none
// ends in "/", the search form's root aside), 404.html links relatively,
// and the canonical link stays absolute; as served, no link names
// index.html.
func TestDiskLinks(t *testing.T) {
	for _, archive := range []string{"basic.txtar", "hostile.txtar"} {
		s := loadSite(t, siteFS(t, archive))
		served := s.renderer(t, layouts.FS)
		disk := s.renderer(t, layouts.FS)
		disk.ForDisk = true
		for _, p := range s.pages {
			var canonical []string
			for _, kind := range []*Renderer{served, disk} {
				html := page(t, kind, p)
				if m := canonicalLink.FindStringSubmatch(html); m != nil {
					canonical = append(canonical, m[1])
				}
				for _, m := range links.FindAllStringSubmatch(html, -1) {
					attr, u := m[1], m[2]
					external := strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
					switch {
					case kind == served && strings.Contains(u, "index.html"):
						t.Errorf("%s /%s, as served: %s=%q names index.html", archive, p.Path, attr, u)
					case kind == served || external || u == "" || strings.HasPrefix(u, "#"):
						// Leaves the site, or stays on the page (a body's
						// javascript: link is emptied).
					case attr == "data-root":
						if u != rootFor(p.Path) {
							t.Errorf("%s /%s, for disk: data-root=%q; want %q", archive, p.Path, u, rootFor(p.Path))
						}
					case strings.HasSuffix(u, "/") || strings.HasPrefix(u, "/"):
						t.Errorf("%s /%s, for disk: %s=%q; want a relative link naming a file", archive, p.Path, attr, u)
					}
				}
			}
			if p.Path != "404.html" && (len(canonical) != 2 || canonical[0] != canonical[1] || !strings.HasPrefix(canonical[1], "https://")) {
				t.Errorf("%s /%s: canonical links %q, as served and for disk; want the same absolute URL", archive, p.Path, canonical)
			}
		}
	}
}

// TestDiskSearchPage checks that only the search page of a build for disk
// loads search-disk.js, before search.js.
func TestDiskSearchPage(t *testing.T) {
	s := loadSite(t, siteFS(t, "basic.txtar"))
	for _, forDisk := range []bool{false, true} {
		r := s.renderer(t, layouts.FS)
		r.ForDisk = forDisk
		for _, p := range s.pages {
			html := page(t, r, p)
			disk, js := strings.Index(html, `<script src="../search-disk.js" defer></script>`), strings.Index(html, `search.js"`)
			want := forDisk && p.Layout == "search"
			if (disk >= 0) != want || (disk >= 0 && disk > js) {
				t.Errorf("/%s, for disk %v: search-disk.js at %d, search.js at %d; want search-disk.js %v, first", p.Path, forDisk, disk, js, want)
			}
		}
	}
	r := s.renderer(t, layouts.FS)
	if js := r.Templates.Disk["search-disk.js"]; len(js) == 0 || r.Templates.Static["search-disk.js"] != nil {
		t.Errorf("search-disk.js: %d bytes among the files for disk, %d among the static files; want it only for disk",
			len(js), len(r.Templates.Static["search-disk.js"]))
	}
}

// TestDiskSearchIndex checks the index of a build for disk: every file of
// the served build's index, with the same bytes but for the documents'
// paths, which name index.html, and each also in its script form.
func TestDiskSearchIndex(t *testing.T) {
	s := loadSite(t, siteFS(t, "basic.txtar"))
	index := func(forDisk bool) map[string][]byte {
		r := s.renderer(t, layouts.FS)
		r.ForDisk = forDisk
		files, err := r.SearchIndex()
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]byte{}
		for _, f := range files {
			if _, dup := m[f.Name]; dup {
				t.Errorf("for disk %v: %s twice", forDisk, f.Name)
			}
			m[f.Name] = f.Data
		}
		return m
	}
	served, disk := index(false), index(true)
	if len(disk) != 2*len(served) {
		t.Errorf("%d files for disk; want %d, twice the %d served", len(disk), 2*len(served), len(served))
	}
	for name, data := range served {
		got, ok := disk[name]
		if !ok {
			t.Errorf("%s: missing for disk", name)
			continue
		}
		if strings.HasPrefix(name, "search/d/") {
			var sd, dd struct{ P string }
			if json.Unmarshal(data, &sd) != nil || json.Unmarshal(got, &dd) != nil || dd.P != DiskPath(sd.P) || dd.P == sd.P {
				t.Errorf("%s: path %q for disk; want %q", name, dd.P, DiskPath(sd.P))
			}
			data = bytes.Replace(data, []byte(`"p":"`+sd.P+`"`), []byte(`"p":"`+dd.P+`"`), 1)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s for disk:\n%s\nwant:\n%s", name, got, data)
		}
		if js, want := disk[search.ScriptName(name)], search.Script(name, got); !bytes.Equal(js, want) {
			t.Errorf("%s: script form\n%.200s\nwant\n%.200s", name, js, want)
		}
	}
}

// TestWithScripts checks how a build for disk keeps and writes a document
// and its script form: both kept, or both written, or, when only the
// document could be kept, the script form written alone.
func TestWithScripts(t *testing.T) {
	const doc, js = "search/d/7.json", "search/d/7.js"
	for _, tc := range []struct {
		name       string
		keepable   map[string]bool
		wantKept   bool
		wantPut    []string
		wantKeeps  []string
		servedOnly bool
	}{
		{"both kept", map[string]bool{doc: true, js: true}, true, nil, []string{doc, js}, false},
		{"neither", map[string]bool{}, false, []string{doc, js}, []string{doc}, false},
		{"the document alone", map[string]bool{doc: true}, false, []string{js}, []string{doc, js}, false},
		{"served", map[string]bool{doc: true}, true, nil, []string{doc}, true},
	} {
		var puts, keeps []string
		r := &Renderer{ForDisk: !tc.servedOnly}
		out := r.withScripts(SearchOutput{
			Keep: func(name string, fp uint64) bool { keeps = append(keeps, name); return tc.keepable[name] },
			Put:  func(name string, fp uint64, data []byte) { puts = append(puts, name) },
		})
		kept := out.Keep(doc, 1)
		if !kept {
			out.Put(doc, 1, []byte(`{"p":"articles/x/index.html"}`))
		}
		if kept != tc.wantKept || !slices.Equal(puts, tc.wantPut) || !slices.Equal(keeps, tc.wantKeeps) {
			t.Errorf("%s: kept %v, put %q, asked to keep %q; want %v, %q, %q", tc.name, kept, puts, keeps, tc.wantKept, tc.wantPut, tc.wantKeeps)
		}
	}
}
