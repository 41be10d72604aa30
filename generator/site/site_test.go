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
		content.SiteFile:   {Data: []byte(fmt.Sprintf("title: T\nbase_url: https://x.org/\npage_size: %d\n", pageSize))},
		content.TopicsFile: {Data: []byte("- id: ceasefire\n  name: Ceasefire\n- id: delegations\n  name: Delegations\n")},
		content.RoundsFile: {Data: []byte("- id: round-1\n  name: R1\n  date: 2025-05-16\n- id: round-2\n  name: R2\n  date: 2025-06-02\n- id: round-3\n  name: R3\n  date: 2025-07-23\n")},
		content.SourcesFile: {Data: []byte("- name: RT\n  group: russian-state\n- name: Meduza\n  group: russian-independent\n" +
			"- name: Kyiv Post\n  group: ukrainian\n- name: Reuters\n  group: international\n- name: Interfax\n")},
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
	// Rounds newest first, as in the timeline; outside the rounds last.
	want := "ceasefire(2): round-3=0 round-2=0 round-1=1 none=1 | delegations(2): round-3=0 round-2=0 round-1=2 none=0"
	if strings.Join(got, " | ") != want {
		t.Errorf("matrix = %s; want %s", strings.Join(got, " | "), want)
	}
	var srcs []string
	for _, s := range m.Sources {
		srcs = append(srcs, fmt.Sprintf("%s/%s/%s/%d", s.ID, s.Name, s.Affiliation(), len(m.BySource(s.ID))))
	}
	if want := "rt/RT/unclassified/2 meduza/Meduza/unclassified/0 kyiv-post/Kyiv Post/unclassified/0 " +
		"reuters/Reuters/unclassified/0 interfax/Interfax/unclassified/0 gazette/Gazette/unclassified/1"; strings.Join(srcs, " ") != want {
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

// TestCoverage counts articles by their outlet's group: the four groups
// always, in their order, then other and unclassified when they count
// something; the parts tile a bar of 100.
func TestCoverage(t *testing.T) {
	m := load(t, 20,
		"a 2025-05-14 ceasefire RT", "b 2025-05-15 ceasefire RT", "c 2025-05-16 ceasefire Meduza",
		"d 2025-05-16 ceasefire Reuters", "e 2025-05-17 ceasefire Interfax", "f 2025-05-17 ceasefire Gazette",
		"g 2025-05-18 delegations RT")
	show := func(c *Coverage) string {
		if c == nil {
			return "nil"
		}
		var parts []string
		for _, p := range c.Parts {
			parts = append(parts, fmt.Sprintf("%s=%d@%s+%s", p.Group, p.Count, p.Start, p.Width))
		}
		return fmt.Sprintf("%d: %s", c.Total, strings.Join(parts, " "))
	}
	for _, tt := range []struct {
		name string
		list []*content.Article
		want string
	}{
		{"ceasefire", m.ByTopic("ceasefire"),
			"6: russian-state=2@0+33.33 ukrainian=0@33.33+0 russian-independent=1@33.33+16.67 international=1@50+16.67 other=1@66.67+16.66 unclassified=1@83.33+16.67"},
		{"delegations", m.ByTopic("delegations"),
			"1: russian-state=1@0+100 ukrainian=0@100+0 russian-independent=0@100+0 international=0@100+0"},
		{"none", m.ByRound(NoneID), "nil"},
	} {
		if got := show(m.Coverage(tt.list)); got != tt.want {
			t.Errorf("%s: coverage %s; want %s", tt.name, got, tt.want)
		}
	}
	for _, h := range []struct {
		h    int
		want string
	}{{0, "0"}, {4167, "41.67"}, {5000, "50"}, {1250, "12.5"}, {1205, "12.05"}, {10000, "100"}} {
		if got := percent(h.h); got != h.want {
			t.Errorf("percent(%d) = %q; want %q", h.h, got, h.want)
		}
	}
	// The round and topic pages carry the coverage of their whole list,
	// and it is part of their key: a page of 2 of 7 articles changes with
	// the outlets of all 7.
	for _, p := range m.Pages() {
		d, ok := p.Data.(*ListData)
		want := ok && d.Total > 0 && (strings.HasPrefix(p.Path, "rounds/") || strings.HasPrefix(p.Path, "topics/"))
		if got := ok && d.Coverage != nil; got != want {
			t.Errorf("%s: coverage %v; want %v", p.Path, got, want)
		} else if got && !strings.Contains(p.Key, d.Coverage.key()) {
			t.Errorf("%s: key %q does not hold the coverage %q", p.Path, p.Key, d.Coverage.key())
		}
	}
}

// TestListOrder checks that lists are newest first, and that a round's page is split into its phases, aftermath first.
func TestListOrder(t *testing.T) {
	m := load(t, 3,
		"lead-a 2025-05-10 ceasefire", "lead-b 2025-05-10 ceasefire", "talks 2025-05-16 ceasefire",
		"after-1 2025-05-18 ceasefire", "after-2 2025-05-20 ceasefire")
	var got []string
	for _, p := range m.Pages() {
		if p.Layout != "round" && p.Layout != "list" || !strings.HasPrefix(p.Path, "rounds/round-1/") && !strings.HasPrefix(p.Path, "articles/") {
			continue
		}
		var groups []string
		for _, g := range p.Data.(*ListData).Groups {
			var slugs []string
			for _, a := range g.Articles {
				slugs = append(slugs, a.Slug)
			}
			groups = append(groups, g.Title+"["+strings.Join(slugs, " ")+"]")
		}
		got = append(got, p.Path+" "+strings.Join(groups, " "))
	}
	want := []string{
		"articles/ [after-2 after-1 talks]",
		"articles/page/2/ [lead-a lead-b]",
		"rounds/round-1/ Aftermath[after-2 after-1] The talks[talks]",
		"rounds/round-1/page/2/ Lead-up[lead-a lead-b]",
		"rounds/round-1/ceasefire/ [after-2 after-1 talks]",
		"rounds/round-1/ceasefire/page/2/ [lead-a lead-b]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lists:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
