package site

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"digest/generator/content"
)

// load builds a model from registries with three rounds and articles given
// as "slug date topic[,topic] [source]".
func load(t *testing.T, pageSize int, articles ...string) *Model {
	t.Helper()
	fsys := fstest.MapFS{
		content.SiteFile:    {Data: []byte(fmt.Sprintf("title: T\nbase_url: https://x.org/\npage_size: %d\n", pageSize))},
		content.TopicsFile:  {Data: []byte("- id: ceasefire\n  name: Ceasefire\n- id: delegations\n  name: Delegations\n")},
		content.RoundsFile:  {Data: []byte("- id: round-1\n  name: R1\n  date: 2025-05-16\n- id: round-2\n  name: R2\n  date: 2025-06-02\n- id: round-3\n  name: R3\n  date: 2025-07-23\n")},
		content.SourcesFile: {Data: []byte("- name: RT\n")},
	}
	for _, a := range articles {
		f := strings.Fields(a)
		topics := strings.Split(f[2], ",")
		src := "RT"
		if len(f) > 3 {
			src = f[3]
		}
		fm := fmt.Sprintf("---\ntitle: %s\nsource: %s\ndate: %s\ntopic: %s\n", f[0], src, f[1], topics[0])
		if len(topics) > 1 {
			fm += "topics: [" + strings.Join(topics[1:], ", ") + "]\n"
		}
		fsys["content/articles/"+f[0]+".md"] = &fstest.MapFile{Data: []byte(fm + "---\nText.\n")}
	}
	s, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return New(s)
}

func TestTimelineGaps(t *testing.T) {
	m := load(t, 20,
		"early 2025-01-10 ceasefire",       // before round-1, beyond its lead-up
		"between 2025-06-20 ceasefire",     // after round-2's aftermath, beyond round-3's lead-up
		"between-2 2025-06-15 delegations", // same gap
		"late 2025-09-01 ceasefire",        // after round-3
		"in-r1 2025-05-16 ceasefire",
	)
	var got []string
	for _, e := range m.Timeline() {
		if e.Round != nil {
			got = append(got, fmt.Sprintf("%s:%d", e.Round.ID, e.Count))
			continue
		}
		var slugs []string
		for _, a := range e.Gap.Articles {
			slugs = append(slugs, a.Slug)
		}
		got = append(got, "gap["+strings.Join(slugs, ",")+"]")
	}
	want := "gap[late] round-3:0 gap[between,between-2] round-2:0 round-1:1 gap[early]"
	if strings.Join(got, " ") != want {
		t.Errorf("timeline = %s; want %s", strings.Join(got, " "), want)
	}
}

func TestMatrixAndSources(t *testing.T) {
	m := load(t, 20,
		"a 2025-05-14 ceasefire,delegations",
		"b 2025-05-16 delegations Gazette",
		"c 2025-06-20 ceasefire",
	)
	var got []string
	for _, row := range m.Matrix() {
		cells := []string{}
		for _, c := range row.Cells {
			cells = append(cells, fmt.Sprintf("%s=%d", c.Round, c.Count))
		}
		got = append(got, fmt.Sprintf("%s(%d): %s", row.Topic.ID, row.Total, strings.Join(cells, " ")))
	}
	want := "ceasefire(2): round-1=1 round-2=0 round-3=0 none=1 | delegations(2): round-1=2 round-2=0 round-3=0 none=0"
	if strings.Join(got, " | ") != want {
		t.Errorf("matrix = %s; want %s", strings.Join(got, " | "), want)
	}
	var srcs []string
	for _, s := range m.Sources {
		srcs = append(srcs, fmt.Sprintf("%s/%s/%s/%d", s.ID, s.Name, s.Affiliation(), len(m.BySource(s.ID))))
	}
	if want := "rt/RT/unclassified/2 gazette/Gazette/unclassified/1"; strings.Join(srcs, " ") != want {
		t.Errorf("sources = %s; want %s", strings.Join(srcs, " "), want)
	}
}

func TestPagination(t *testing.T) {
	var arts []string
	for i := 0; i < 5; i++ {
		arts = append(arts, fmt.Sprintf("a%d 2025-05-1%d ceasefire", i, i))
	}
	m := load(t, 2, arts...)
	var paths []string
	for _, p := range m.Pages() {
		if strings.HasPrefix(p.Path, "topics/ceasefire/") {
			d := p.Data.(*ListData)
			paths = append(paths, fmt.Sprintf("%s[%d/%d prev=%q next=%q deps=%d]", p.Path, d.Pager.Page, d.Pager.Pages, d.Pager.Prev, d.Pager.Next, len(p.Deps)))
		}
	}
	want := []string{
		`topics/ceasefire/[1/3 prev="" next="topics/ceasefire/page/2/" deps=2]`,
		`topics/ceasefire/page/2/[2/3 prev="topics/ceasefire/" next="topics/ceasefire/page/3/" deps=2]`,
		`topics/ceasefire/page/3/[3/3 prev="topics/ceasefire/page/2/" next="" deps=1]`,
	}
	if strings.Join(paths, "\n") != strings.Join(want, "\n") {
		t.Errorf("pages:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
}

func TestPrevNextWithinRound(t *testing.T) {
	m := load(t, 20, "x 2025-05-13 ceasefire", "y 2025-05-16 ceasefire", "z 2025-05-20 ceasefire", "other 2025-07-23 ceasefire")
	by := map[string]*content.Article{}
	for _, a := range m.Articles {
		by[a.Slug] = a
	}
	slug := func(a *content.Article) string {
		if a == nil {
			return "-"
		}
		return a.Slug
	}
	for _, tt := range []struct{ a, prev, next string }{{"x", "-", "y"}, {"y", "x", "z"}, {"z", "y", "-"}, {"other", "-", "-"}} {
		if p, n := slug(m.Prev(by[tt.a])), slug(m.Next(by[tt.a])); p != tt.prev || n != tt.next {
			t.Errorf("%s: prev %s next %s; want %s, %s", tt.a, p, n, tt.prev, tt.next)
		}
	}
}
