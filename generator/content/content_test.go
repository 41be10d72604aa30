package content

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/adrg/frontmatter"

	"digest/generator/diag"
)

// registries is a minimal valid set of registry files.
var registries = fstest.MapFS{
	SiteFile: {Data: []byte("title: Test digest\nbase_url: https://example.org/\n")},
	TopicsFile: {Data: []byte(`- id: ceasefire
  name: Ceasefire
- id: peace-terms
  name: Peace terms
`)},
	RoundsFile: {Data: []byte(`- id: round-2
  name: Second round
  date: 2025-06-02
- id: round-1
  name: First round
  date: 2025-05-16
- id: round-3
  name: Third round
  date: 2025-07-23
`)},
	SourcesFile: {Data: []byte(`- name: RT
  aliases: [Russia Today]
  affiliation: Russian state media
- name: The Kyiv Independent
  aliases: [Kyiv Independent]
`)},
}

func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, v := range registries {
		fsys[k] = v
	}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fsys
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAssignRound(t *testing.T) {
	s, err := LoadRegistries(registries)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		date, want string
	}{
		{"2025-03-01", ""},        // more than 30 days before round-1
		{"2025-04-15", ""},        // 31 days before round-1
		{"2025-04-16", "round-1"}, // exactly 30 days before: lead-up
		{"2025-05-13", "round-1"}, // lead-up
		{"2025-05-16", "round-1"}, // the day itself
		{"2025-05-23", "round-1"}, // 7 days after: aftermath, even though round-2 is within 30 days
		{"2025-05-24", "round-2"}, // 8 days after round-1: lead-up of round-2
		{"2025-06-09", "round-2"}, // aftermath of round-2
		{"2025-06-10", ""},        // past the aftermath, 43 days before round-3
		{"2025-06-23", "round-3"}, // 30 days before round-3
		{"2025-07-30", "round-3"}, // aftermath of round-3
		{"2025-07-31", ""},        // no round after round-3
	}
	for _, tt := range tests {
		got := ""
		if r := AssignRound(s.Rounds, day(tt.date)); r != nil {
			got = r.ID
		}
		if got != tt.want {
			t.Errorf("AssignRound(%s) = %q; want %q", tt.date, got, tt.want)
		}
	}
}

func TestPhaseOf(t *testing.T) {
	r := &Round{Date: Date{day("2025-05-16")}, EndDate: Date{day("2025-05-17")}}
	for date, want := range map[string]Phase{
		"2025-05-15": LeadUp, "2025-05-16": Talks, "2025-05-17": Talks, "2025-05-18": Aftermath,
	} {
		if got := PhaseOf(r, day(date)); got != want {
			t.Errorf("PhaseOf(%s) = %q; want %q", date, got, want)
		}
	}
}

func TestLoadArticle(t *testing.T) {
	fsys := site(map[string]string{
		"content/articles/talks-begin.md": `---
title: Talks begin
source: russia today
date: 2025-05-14T09:30:00+03:00
topic: ceasefire
topics: [peace-terms, ceasefire]
url: https://example.com/a
review: [date]
mood: hopeful
---

Body text.
`,
		"content/articles/outside.md": "---\ntitle: Outside\nsource: Unknown Gazette\ndate: 2025-06-20\ntopic: peace-terms\n---\nText\n",
		"content/articles/forced.md":  "---\ntitle: Forced\nsource: RT\ndate: 2025-06-20\ntopic: peace-terms\nround: round-1\n---\nText\n",
		"content/articles/none.md":    "---\ntitle: None\nsource: RT\ndate: 2025-05-16\ntopic: peace-terms\nround: none\n---\nText\n",
		"content/articles/draft.md":   "---\ntitle: Draft\nsource: RT\ndate: 2025-05-16\ntopic: peace-terms\ndraft: true\n---\n",
		"content/articles/toml.md":    "+++\ntitle = \"In TOML\"\nsource = \"RT\"\ndate = \"2025-07-23\"\ntopic = \"ceasefire\"\n+++\nText\n",
	})
	s, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Article{}
	var order []string
	for _, a := range s.Articles {
		got[a.Slug] = a
		order = append(order, a.Slug)
	}
	if want := "toml forced outside none talks-begin"; strings.Join(order, " ") != want {
		t.Errorf("order = %s; want %s", strings.Join(order, " "), want)
	}
	a := got["talks-begin"]
	if a == nil {
		t.Fatal("talks-begin not loaded")
	}
	if a.Source == nil || a.Source.Name != "RT" {
		t.Errorf("source = %v; want RT through its alias", a.Source)
	}
	if a.Round == nil || a.Round.ID != "round-1" {
		t.Errorf("round = %v; want round-1 from the date", a.Round)
	}
	if len(a.Topics) != 1 || a.Topics[0].ID != "peace-terms" {
		t.Errorf("topics = %v; want [peace-terms] without the primary topic repeated", a.Topics)
	}
	if a.Params["mood"] != "hopeful" {
		t.Errorf("params = %v; want mood kept for templates", a.Params)
	}
	body, err := a.ReadBody(fsys)
	if err != nil || a.BodyLine != 11 || strings.TrimSpace(string(body)) != "Body text." {
		t.Errorf("body at line %d = %q, %v; want line 11, %q", a.BodyLine, body, err, "Body text.")
	}
	fsys[a.Path].Data = append(fsys[a.Path].Data, '!')
	if _, err := a.ReadBody(fsys); err == nil || !strings.Contains(err.Error(), "changed while the site was being built") {
		t.Errorf("ReadBody of a changed file: %v; want an error", err)
	}
	if o := got["outside"]; o.Round != nil || o.Source != nil {
		t.Errorf("outside: round %v source %v; want no round and an unclassified source", o.Round, o.Source)
	}
	if f := got["forced"]; f.Round == nil || f.Round.ID != "round-1" {
		t.Errorf("forced: round %v; want the explicit round-1", f.Round)
	}
	if n := got["none"]; n.Round != nil {
		t.Errorf("none: round %v; want none", n.Round)
	}
	if _, ok := got["draft"]; ok {
		t.Error("draft was loaded; want it left out")
	}
	if tm := got["toml"]; tm == nil || tm.Round == nil || tm.Round.ID != "round-3" {
		t.Errorf("toml article = %+v; want it loaded in round-3", tm)
	}
}

// TestLoadErrors checks each content error's exact message, and that one
// run reports them all, sorted.
func TestLoadErrors(t *testing.T) {
	fsys := site(map[string]string{
		"content/articles/no-front-matter.md": "Just text.\n",
		"content/articles/bad-yaml.md":        "---\ntitle: A\nsource: x\n  bad: indent\n---\n",
		"content/articles/missing.md":         "---\ntitle: Missing things\n---\nText\n",
		"content/articles/bad-date.md":        "---\ntitle: A\nsource: RT\ndate: 13/05\ntopic: ceasefire\n---\n",
		"content/articles/bad-ids.md":         "---\ntitle: A\nsource: RT\ndate: 2025-05-13\ntopic: truce\ntopics: [ceasefire, sanctions]\nround: round-9\n---\n",
		"content/articles/Bad Name.md":        "---\ntitle: A\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n---\n",
		"content/articles/a/same.md":          "---\ntitle: A\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n---\n",
		"content/articles/b/same.md":          "---\ntitle: B\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n---\n",
	})
	_, err := Load(fsys)
	if err == nil {
		t.Fatal("Load succeeded; want errors")
	}
	want := []string{
		`content/articles/Bad Name.md: article: file name "Bad Name.md": want lowercase letters, digits and hyphens, ending in .md`,
		`content/articles/b/same.md: article: slug "same" is already used by content/articles/a/same.md`,
		`content/articles/bad-date.md:4: front matter: date "13/05": want YYYY-MM-DD or RFC 3339`,
		`content/articles/bad-ids.md:5: front matter: unknown topic "truce" (known: ceasefire, peace-terms)`,
		`content/articles/bad-ids.md:6: front matter: topics: unknown topic "sanctions" (known: ceasefire, peace-terms)`,
		`content/articles/bad-ids.md:7: front matter: unknown round "round-9" (known: round-1, round-2, round-3, or none)`,
		`content/articles/bad-yaml.md:4: front matter: mapping values are not allowed in this context`,
		`content/articles/missing.md:2: front matter: date is required`,
		`content/articles/missing.md:2: front matter: source is required`,
		`content/articles/missing.md:2: front matter: topic is required`,
		`content/articles/no-front-matter.md:1: front matter: missing; start the file with a --- line, then title, source, date and topic, then ---`,
	}
	got := strings.Split(err.Error(), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if l := diag.From(err); len(l) != len(want) {
		t.Errorf("diag.From gave %d diagnostics; want %d", len(l), len(want))
	}
}

func TestRegistryErrors(t *testing.T) {
	fsys := fstest.MapFS{
		SiteFile:   {Data: []byte("description: no title\n")},
		TopicsFile: {Data: []byte("- id: ceasefire\n  name: Ceasefire\n  keyword: [truce]\n- id: ceasefire\n  name: Again\n- id: Bad_Id\n  name: X\n")},
		RoundsFile: {Data: []byte("- id: round-1\n  name: R1\n  date: 16 May 2025\n- id: none\n  name: None\n  date: 2025-01-01\n")},
	}
	_, err := LoadRegistries(fsys)
	want := []string{
		`content/rounds.yaml:3: yaml: date "16 May 2025": want YYYY-MM-DD`,
		`content/rounds.yaml:4: round id "none" is reserved for articles outside any round`,
		`content/site.yaml:1: site: title is required`,
		`content/sources.yaml: registry: file is missing`,
		`content/topics.yaml:3: registry: unknown key "keyword" (known: id, name, description, keywords)`,
		`content/topics.yaml:4: topic id "ceasefire" is already used at line 1`,
		`content/topics.yaml:6: topic id "Bad_Id": want lowercase letters, digits and hyphens`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("errors:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
}

func TestBundledRegistries(t *testing.T) {
	s, err := LoadRegistries(osDir(t, "../.."))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"ceasefire", "prisoner-exchange", "leaders-summit", "peace-terms", "delegations",
		"military-pressure", "sanctions", "security-guarantees", "talks-format"} {
		if s.FindTopic(id) == nil {
			t.Errorf("topic %s missing from the bundled registry", id)
		}
	}
	for _, id := range []string{"istanbul-2022", "round-1", "round-2", "round-3"} {
		if s.FindRound(id) == nil {
			t.Errorf("round %s missing from the bundled registry", id)
		}
	}
	if src := s.FindSource("Russia Today"); src == nil || src.Name != "RT" {
		t.Errorf("FindSource(Russia Today) = %v; want RT", src)
	}
	// Every outlet counts in a group of the coverage bar but the two
	// Russian outlets that are neither state-run nor independent.
	groups := map[string]string{"RT": GroupRussianState, "TASS": GroupRussianState, "Meduza": GroupRussianIndependent,
		"Ukrinform": GroupUkrainian, "The Kyiv Independent": GroupUkrainian, "Reuters": GroupInternational,
		"Anadolu Agency": GroupInternational, "Interfax": "", "Izvestia": ""}
	for name, want := range groups {
		if src := s.FindSource(name); src == nil || src.Group != want {
			t.Errorf("FindSource(%s) = %+v; want group %q", name, src, want)
		}
	}
	for _, src := range s.Sources {
		if _, named := groups[src.Name]; !named && src.Group == "" {
			t.Errorf("source %s has no group", src.Name)
		}
	}
}

// TestSourceGroupErrors checks that a group outside SourceGroups is an
// error naming the line of the group.
func TestSourceGroupErrors(t *testing.T) {
	fsys := site(nil)
	fsys[SourcesFile] = &fstest.MapFile{Data: []byte("- name: RT\n  group: russian-state\n- name: TASS\n  affiliation: x\n  group: state\n")}
	_, err := LoadRegistries(fsys)
	want := `content/sources.yaml:5: source TASS: group "state": want one of russian-state, ukrainian, russian-independent, international, or no group`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte("---\ntitle: A\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n---\nbody\n"))
	f.Add([]byte("+++\ntitle = 1\n+++\n"))
	f.Add([]byte("---\n: [\n---\n"))
	for _, c := range frontMatterCases {
		f.Add([]byte(c))
	}
	for _, c := range []string{
		bom + "---\ntitle: A\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n---\nbody\n",
		"---\ntitle: A\n\nnever closed\n",
		"---\ntitle: A\ntitle: B\n---\n",
		";;;\n{\"title\": \"A\", \"title\": \"B\"}\n;;;\n",
		"+++\ntitle = 1\ntitle = 2\n+++\n",
		"---\ntitle: A\n---\n" + strings.Repeat("> - ", 60) + "x\n",
		"---\ntitle: \xff\n---\n",
	} {
		f.Add([]byte(c))
	}
	s, err := LoadRegistries(registries)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFrontMatterEnd(t, data)
		p := parseFile("content/articles/x.md", data)
		for _, d := range p.errs {
			if d.Line < 1 {
				t.Fatalf("%q: %v: want a line for every front matter problem", data, d)
			}
		}
		if len(p.errs) == 0 {
			if p.bodyOffset > len(data) || p.bodyLine != bytes.Count(data[:p.bodyOffset], []byte("\n"))+1 {
				t.Fatalf("%q: body at %d, line %d", data, p.bodyOffset, p.bodyLine)
			}
			if NestingOver(data[p.bodyOffset:], MaxNesting) != 0 {
				t.Fatalf("%q: a body nested past the limit was accepted", data)
			}
		}
		// A byte order mark changes nothing but where the body starts.
		if !bytes.HasPrefix(data, []byte(bom)) {
			m := parseFile("content/articles/x.md", append([]byte(bom), data...))
			if m.errs.Error() != p.errs.Error() || len(m.order) != len(p.order) ||
				len(p.errs) == 0 && (m.bodyOffset != p.bodyOffset+len(bom) || m.bodyLine != p.bodyLine) {
				t.Fatalf("%q: with a BOM: %v, %d keys, body at %d; without: %v, %d keys, body at %d",
					data, m.errs, len(m.order), m.bodyOffset, p.errs, len(p.order), p.bodyOffset)
			}
		}
		a, errs := p.resolve(s)
		if a == nil && len(errs) == 0 {
			t.Fatal("no article and no error")
		}
		for _, d := range errs {
			if d.File != "content/articles/x.md" {
				t.Fatalf("diagnostic names %q", d.File)
			}
		}
	})
}

var frontMatterCases = []string{
	"---\ntitle: A\n---\nbody\n",
	"\n\n  \n---\ntitle: A\n---\nbody\n---\nmore\n",
	"---\r\ntitle: A\r\n  ---  \r\nbody\r\n",
	"---yaml\ntitle: A\n---\nbody",
	"+++\ntitle = 'A'\n+++\nbody\n",
	";;;\n{\"title\": \"A\"}\n;;;\nbody\n",
	"{\n\"title\": \"A\"\n}\nbody\n",
	"---\ntitle: A\nno end\n",
	"---\ntitle: A\n--- x\n----\n---\nbody\n",
	"---\ntitle: |\n  ---\n  x\n---\nbody\n",
	"---\ntitle: A\n---",
	"no front matter\n---\n",
	"",
	"---",
}

// checkFrontMatterEnd checks that adrg/frontmatter handed the front
// matter only (up to FrontMatterEnd) finds what it finds in the whole file.
func checkFrontMatterEnd(t *testing.T, data []byte) {
	t.Helper()
	parse := func(b []byte) (string, []byte, error) {
		var got string
		rec := func(b []byte, _ any) error { got = string(b); return nil }
		formats := []*frontmatter.Format{
			frontmatter.NewFormat("---", "---", rec), frontmatter.NewFormat("---yaml", "---", rec),
			frontmatter.NewFormat("+++", "+++", rec), frontmatter.NewFormat(";;;", ";;;", rec),
			frontmatter.NewFormat("{", "}", rec),
		}
		body, err := frontmatter.MustParse(bytes.NewReader(b), nil, formats...)
		return got, body, err
	}
	end := FrontMatterEnd(data, []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", nil), frontmatter.NewFormat("---yaml", "---", nil),
		frontmatter.NewFormat("+++", "+++", nil), frontmatter.NewFormat(";;;", ";;;", nil),
		frontmatter.NewFormat("{", "}", nil),
	})
	wantFM, wantBody, wantErr := parse(data)
	gotFM, gotBody, gotErr := parse(data[:end])
	if (wantErr == nil) != (gotErr == nil) || gotFM != wantFM {
		t.Fatalf("%q: front matter %q, %v from the first %d bytes; %q, %v from all", data, gotFM, gotErr, end, wantFM, wantErr)
	}
	if wantErr == nil && end-len(gotBody) != len(data)-len(wantBody) {
		t.Fatalf("%q: body starts at %d from the first %d bytes; at %d from all", data, end-len(gotBody), end, len(data)-len(wantBody))
	}
}

func TestFrontMatterEnd(t *testing.T) {
	for _, c := range frontMatterCases {
		checkFrontMatterEnd(t, []byte(c))
	}
}

func TestReload(t *testing.T) {
	article := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\nText\n"),
			ModTime: time.Unix(1, 0)}
	}
	fsys := site(nil)
	fsys["content/articles/a.md"] = article("A")
	fsys["content/articles/c.md"] = article("C")
	fsys["content/articles/d.md"] = article("D")
	var l Loader
	if _, err := l.Load(fsys); err != nil {
		t.Fatal(err)
	}
	fsys["content/articles/a.md"] = article("A, edited")
	fsys["content/articles/d.md"] = article("D, edited but not reported")
	fsys["content/articles/new/b.md"] = article("B")
	delete(fsys, "content/articles/c.md")
	s, err := l.Reload(fsys, []string{"content/articles/a.md", "content/articles/new", "content/articles/c.md", "content/topics.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range s.Articles {
		titles = append(titles, a.Title)
	}
	if got, want := strings.Join(titles, "|"), "A, edited|B|D"; got != want {
		t.Errorf("titles after Reload = %s; want %s", got, want)
	}
	if s, _ = l.Load(fsys); len(s.Articles) != 3 || s.Articles[2].Title != "D, edited but not reported" {
		t.Errorf("a full Load missed the unreported edit")
	}
}

// TestSavedFrontMatter checks that front matter saved from one Loader and
// restored into another gives the same articles without parsing again,
// except for files that changed or whose fields a cache cannot keep.
func TestSavedFrontMatter(t *testing.T) {
	fsys := site(map[string]string{
		"content/articles/a.md": "---\ntitle: A\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\ntopics: [peace-terms]\ndraft: false\n---\nText\n",
		"content/articles/b.md": "---\ntitle: B\nsource: RT\ndate: 2025-05-17\ntopic: ceasefire\nextra: {nested: 1}\n---\nText\n",
		"content/articles/c.md": "---\ntitle: C\nsource: RT\ndate: 2025-05-18\ntopic: ceasefire\nreview: [date]\n---\nText\n",
	})
	for _, f := range fsys {
		f.ModTime = time.Unix(100, 0)
	}
	var first Loader
	want, err := first.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	saved := first.Saved()
	if len(saved) != 2 {
		t.Fatalf("saved %d files; want 2 (b.md has a field a cache cannot keep)", len(saved))
	}

	var second Loader
	second.Restore(saved)
	got, err := second.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got.Parsed != 1 {
		t.Errorf("parsed %d files; want 1 (b.md)", got.Parsed)
	}
	if len(got.Articles) != len(want.Articles) {
		t.Fatalf("%d articles; want %d", len(got.Articles), len(want.Articles))
	}
	for i, a := range got.Articles {
		w := want.Articles[i]
		// Registries are loaded by each Loader: compare by id.
		describe := func(a *Article) string {
			topics := []string{a.Topic.ID}
			for _, t := range a.Topics {
				topics = append(topics, t.ID)
			}
			return fmt.Sprint(a.Path, a.Title, a.Source.ID, a.Date, topics, a.Round.ID, a.Review, a.Draft, a.Params,
				a.BodyOffset, a.BodyLine, a.Hash, a.Size)
		}
		if describe(a) != describe(w) {
			t.Errorf("restored %s\nwant %s", describe(a), describe(w))
		}
	}

	// A file whose modification time changed is parsed again.
	fsys["content/articles/a.md"].ModTime = time.Unix(200, 0)
	var third Loader
	third.Restore(saved)
	if s, err := third.Load(fsys); err != nil || s.Parsed != 2 {
		t.Errorf("after touching a.md: parsed %v files (%v); want 2", s, err)
	}
}

func TestHashReader(t *testing.T) {
	for _, s := range []string{"", "a", strings.Repeat("article body ", 10000)} {
		h, err := HashReader(strings.NewReader(s))
		if err != nil || h != HashBytes([]byte(s)) {
			t.Errorf("HashReader of %d bytes = %x, %v; HashBytes gives %x", len(s), h, err, HashBytes([]byte(s)))
		}
	}
}

// TestFrontMatterMessages checks each front matter problem's exact
// message and line, and what is accepted.
func TestFrontMatterMessages(t *testing.T) {
	const fm = "title: A\nsource: RT\ndate: 2025-05-13\ntopic: ceasefire\n"
	tests := []struct{ name, file, want string }{
		{"bom", bom + "---\n" + fm + "---\nBody.\n", ""},
		{"bom-toml", bom + "+++\ntitle = \"A\"\nsource = \"RT\"\ndate = \"2025-05-13\"\ntopic = \"ceasefire\"\n+++\nBody.\n", ""},
		{"unclosed", "---\n" + fm + "\nBody.\n", `x.md:1: front matter: unclosed; the --- at line 1 has no closing --- line`},
		{"unclosed-late", "\n\n---\n" + fm, `x.md:3: front matter: unclosed; the --- at line 3 has no closing --- line`},
		{"unclosed-toml", "+++\ntitle = \"A\"\n", `x.md:1: front matter: unclosed; the +++ at line 1 has no closing +++ line`},
		{"unclosed-alone", "---", `x.md:1: front matter: unclosed; the --- at line 1 has no closing --- line`},
		{"missing", "Body.\n---\n", `x.md:1: front matter: missing; start the file with a --- line, then title, source, date and topic, then ---`},
		{"bom-missing", bom + "Body.\n", `x.md:1: front matter: missing; start the file with a --- line, then title, source, date and topic, then ---`},
		{"duplicate", "---\n" + fm + "source: TASS\n---\n", `x.md:6: front matter: key "source" is already set at line 3`},
		{"duplicate-json", ";;;\n{\"title\": \"A\", \"source\": \"RT\",\n\"date\": \"2025-05-13\", \"topic\": \"ceasefire\",\n\"title\": \"B\"}\n;;;\n",
			`x.md:4: front matter: key "title" is already set at line 2`},
		{"duplicate-toml", "+++\ntitle = \"A\"\n\"title\" = \"B\"\n+++\n", `x.md:3: front matter: key "title" is already set at line 2`},
		{"duplicate-toml-string", "+++\ntitle = \"A\"\nsource = \"RT\"\ndate = \"2025-05-13\"\ntopic = \"ceasefire\"\nnote = \"\"\"\ntitle = 1\n\"\"\"\n+++\n", ""},
		{"toml-line", "+++\ntitle = \"A\"\nsource = \"RT\"\n# a comment\ndate = \"13/05\"\ntopic = \"ceasefire\"\n+++\n", `x.md:5: front matter: date "13/05": want YYYY-MM-DD or RFC 3339`},
		{"toml-error", "+++\ntitle = \"A\"\nsource = \n+++\n", `x.md:3: front matter: expected value but found '\n' instead`},
		{"utf8-body", "---\n" + fm + "---\n\nna\xefve\n", `x.md:8: read: not valid UTF-8 (byte 0xef at column 3); save the file as UTF-8`},
		{"utf8-front-matter", "---\ntitle: \xff\n", `x.md:2: read: not valid UTF-8 (byte 0xff at column 8); save the file as UTF-8`},
		{"deep-quote", "---\n" + fm + "---\nText.\n" + strings.Repeat(">", 101) + " x\n", `x.md:8: markdown: lists and block quotes nested more than 100 levels deep; at most 100 are allowed`},
		{"deep-allowed", "---\n" + fm + "---\n" + strings.Repeat("> ", 100) + "x\n", ""},
	}
	s, err := LoadRegistries(registries)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		a, errs := parseFile("x.md", []byte(tt.file)).resolve(s)
		got := errs.Sort().Error()
		if got != tt.want {
			t.Errorf("%s: %q; want %q", tt.name, got, tt.want)
		}
		if tt.want == "" && (a == nil || a.Title != "A" || a.Source == nil) {
			t.Errorf("%s: article %+v; want it loaded", tt.name, a)
		}
	}

	// With a BOM, the body and its line are where they were without.
	plain := parseFile("x.md", []byte("---\n"+fm+"---\nBody.\n"))
	marked := parseFile("x.md", []byte(bom+"---\n"+fm+"---\nBody.\n"))
	if marked.bodyOffset != plain.bodyOffset+len(bom) || marked.bodyLine != plain.bodyLine || len(marked.fields) != len(plain.fields) {
		t.Errorf("with a BOM: body at %d, line %d, %d fields; want %d, %d, %d", marked.bodyOffset, marked.bodyLine, len(marked.fields),
			plain.bodyOffset+len(bom), plain.bodyLine, len(plain.fields))
	}
}

// TestSiteSettings checks page_size and domain: their exact messages, and
// that good values and absent keys load.
func TestSiteSettings(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"title: T\n", ""},
		{"title: T\npage_size: 1\ndomain: briefing.example.org\n", ""},
		{"title: T\npage_size: 1000\ndomain: Briefing.Example-Site.org\n", ""},
		{"title: T\npage_size: 0\n", `content/site.yaml:2: site: page_size 0: want a whole number from 1 to 1000`},
		{"title: T\npage_size: -3\n", `content/site.yaml:2: site: page_size -3: want a whole number from 1 to 1000`},
		{"title: T\npage_size: 1001\n", `content/site.yaml:2: site: page_size 1001: want a whole number from 1 to 1000`},
		{"title: T\npage_size: many\n", "content/site.yaml:2: yaml: cannot unmarshal !!str `many` into int"},
	}
	for _, d := range []string{"evil.example/../../x", "https://briefing.example.org", "briefing.example.org:443", "localhost",
		"-a.example.org", "a-.example.org", "a..org", "briefing.example.org.", "bad_name.org", "a b.org", strings.Repeat("a", 64) + ".org"} {
		tests = append(tests, struct{ yaml, want string }{"title: T\ndomain: " + d + "\n",
			fmt.Sprintf(`content/site.yaml:2: site: domain %q: want a bare host name such as briefing.example.org: `+
				`letters, digits and hyphens in dot-separated labels, without scheme, port or path`, d)})
	}
	for _, tt := range tests {
		fsys := site(map[string]string{SiteFile: tt.yaml})
		s, err := LoadRegistries(fsys)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%q:\n%s\nwant:\n%s", tt.yaml, got, tt.want)
		}
		if err == nil && !strings.Contains(tt.yaml, "page_size") && s.Config.PageSize != DefaultPageSize {
			t.Errorf("%q: page size %d; want the default %d", tt.yaml, s.Config.PageSize, DefaultPageSize)
		}
	}
}

// TestRegistryNestedKeys checks that a misspelt key inside an entry's
// list of mappings is reported like one at the top.
func TestRegistryNestedKeys(t *testing.T) {
	fsys := site(map[string]string{RoundsFile: `- id: round-1
  name: First round
  date: 2025-05-16
  delegations:
    - side: Russia
      head: Vladimir Medinsky
    - side: Ukraine
      hed: Rustem Umerov
      notes: x
  mediator: [Turkey]
`, SiteFile: "title: T\ntitel: U\n"})
	_, err := LoadRegistries(fsys)
	want := `content/rounds.yaml:8: registry: delegations: unknown key "hed" (known: side, head, note)
content/rounds.yaml:9: registry: delegations: unknown key "notes" (known: side, head, note)
content/rounds.yaml:10: registry: unknown key "mediator" (known: id, name, date, end_date, venue, city, format, delegations, mediators, outcomes, summary)
content/site.yaml:2: registry: unknown key "titel" (known: title, description, base_url, language, domain, page_size)`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
}

func TestRegistryUTF8(t *testing.T) {
	fsys := site(map[string]string{TopicsFile: "- id: ceasefire\n  name: Cease\xfffire\n"})
	_, err := LoadRegistries(fsys)
	want := `content/topics.yaml:2: registry: not valid UTF-8 (byte 0xff at column 14); save the file as UTF-8`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
}

// TestSortArticles checks the one order of every list: newest first,
// then by title, then by file name.
func TestSortArticles(t *testing.T) {
	mk := func(slug, title, date string) *Article { return &Article{Slug: slug, Title: title, Date: day(date)} }
	list := []*Article{
		mk("a", "Zelensky waits", "2025-05-15"),
		mk("b", "Ankara hosts", "2025-05-15"),
		mk("d", "Same title", "2025-05-16"),
		mk("c", "Same title", "2025-05-16"),
		mk("e", "Older", "2025-05-14"),
	}
	SortArticles(list)
	var got []string
	for _, a := range list {
		got = append(got, a.Slug)
	}
	if want := "c d b a e"; strings.Join(got, " ") != want {
		t.Errorf("order %s; want %s", strings.Join(got, " "), want)
	}
}

// TestRacyEdit checks the rule for files read too soon after they changed:
// on a file system whose times are coarse, an edit of the same size made
// within a second or two of a read keeps the size and modification time
// the Loader trusts. Such a file is read again by the next Load, in the
// same Loader or in one restored from a cache file, and its bytes decide.
func TestRacyEdit(t *testing.T) {
	article := func(title string, mod time.Time) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\n---\nText\n"),
			ModTime: mod}
	}
	titles := func(s *Site) string {
		var out []string
		for _, a := range s.Articles {
			out = append(out, a.Title)
		}
		return strings.Join(out, "|")
	}
	now := time.Now().Truncate(time.Second) // as a file system that keeps whole seconds
	old := now.Add(-time.Hour)
	fsys := site(nil)
	for _, f := range fsys {
		f.ModTime = old
	}
	fsys["content/articles/a.md"] = article("Fresh one", now)
	fsys["content/articles/b.md"] = article("Older one", old)

	var l Loader
	if _, err := l.Load(fsys); err != nil {
		t.Fatal(err)
	}
	saved := l.Saved()
	racy := map[string]bool{}
	for _, f := range saved {
		racy[f.Path] = f.Racy
	}
	if !racy["content/articles/a.md"] || racy["content/articles/b.md"] {
		t.Errorf("saved as racy: %v; want only a.md", racy)
	}

	// Unchanged: read again, not parsed again.
	s, err := l.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if s.Parsed != 0 || titles(s) != "Fresh one|Older one" {
		t.Errorf("unchanged: parsed %d, titles %s; want 0, Fresh one|Older one", s.Parsed, titles(s))
	}

	// The same size, the same time: the racy file's edit is seen, by this
	// Loader and by one restored from the saved front matter.
	fsys["content/articles/a.md"] = article("Fresh two", now)
	s, err = l.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if s.Parsed != 1 || titles(s) != "Fresh two|Older one" {
		t.Errorf("after a racy edit: parsed %d, titles %s; want 1, Fresh two|Older one", s.Parsed, titles(s))
	}
	var restored Loader
	restored.Restore(saved)
	s, err = restored.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if s.Parsed != 1 || titles(s) != "Fresh two|Older one" {
		t.Errorf("restored, after a racy edit: parsed %d, titles %s; want 1, Fresh two|Older one", s.Parsed, titles(s))
	}

	// A file whose time was well before its read keeps being trusted by
	// size and time, and is not read again: that is what makes an
	// unchanged build cheap.
	fsys["content/articles/b.md"] = article("Older two", old)
	if s, err = l.Load(fsys); err != nil || s.Parsed != 0 || titles(s) != "Fresh two|Older one" {
		t.Errorf("an old file edited in place: parsed %d, titles %s (%v); want 0, Fresh two|Older one", s.Parsed, titles(s), err)
	}
}
