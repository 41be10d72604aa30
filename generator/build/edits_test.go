package build

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The edit-sequence test applies random edits to a site, the way an
// editor and the importer change one, and builds after each few of them
// the way the command and the preview do: Build and Rebuild on one
// Builder, and a new Builder reading the cache file the last one wrote.
// After every build the output (every file's bytes, every directory, the
// marker) must equal a fresh build of the same content into another
// directory; when the content is broken, the build must fail with the
// fresh build's errors and leave the output as it was.
//
// The edits come from a seed printed with the test's log, so a failure
// can be replayed: go test ./generator/build -run '^TestEditSequence$'
// -seed=N (with DIGEST_EDITS as in the failed run). DIGEST_EDITS sets how
// many builds a run makes; without it, editSteps.

var editSeed = flag.Uint64("seed", 0, "the seed of TestEditSequence's edits, to replay a failure (0: a new one)")

// editSteps is how many builds TestEditSequence makes in `make test`.
const editSteps = 30

func TestEditSequence(t *testing.T) {
	steps := editSteps
	if n, err := strconv.Atoi(os.Getenv("DIGEST_EDITS")); err == nil && n > 0 {
		steps = n
	}
	seed := *editSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	replay := fmt.Sprintf("replay with: DIGEST_EDITS=%d go test ./generator/build -run '^TestEditSequence$' -seed=%d", steps, seed)
	t.Logf("seed %d (%s)", seed, replay)

	s := newEditSite(t, seed)
	refs := t.TempDir()
	var b *Builder
	// A new Builder is now and then given another base URL, as
	// `digest build --base-url` is; the fresh builds take the same.
	newBuilder := func() {
		if s.rng.IntN(4) == 0 {
			s.baseURL = s.pick("", "https://briefing.example.org/")
		}
		var err error
		b, err = New(Options{Site: s.dir, Once: s.rng.IntN(2) == 0, BaseURL: s.baseURL})
		if err != nil {
			t.Fatal(err)
		}
	}
	newBuilder()
	ctx := context.Background()
	var history []string // what each step did, for the failure message
	stats := map[string]int{}
	prev := map[string]string(nil) // the output after the last build that succeeded
	for step := range steps {
		var did []string
		if step > 0 {
			for range 1 + s.rng.IntN(3) {
				did = append(did, s.edit())
			}
		}
		changed := s.sync(t)
		how, renewed := "Build", false
		switch r := s.rng.IntN(10); {
		case step == 0:
		case r < 4:
			how = "Rebuild"
		case r < 6:
			how, renewed = "a new Builder's Build", true
			newBuilder()
		}
		stats[how]++
		if renewed && s.baseURL != "" {
			how += " for " + s.baseURL
		}
		history = append(history, fmt.Sprintf("step %d: %s, then %s", step, strings.Join(did, "; "), how))
		if len(history) > 8 {
			history = history[1:]
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("step %d: %s\nthe last steps:\n  %s\n%s", step, fmt.Sprintf(format, args...), strings.Join(history, "\n  "), replay)
		}
		var res *Result
		var err error
		if how == "Rebuild" {
			res, err = b.Rebuild(ctx, changed)
		} else {
			res, err = b.Build(ctx)
		}

		fresh := filepath.Join(refs, strconv.Itoa(step))
		fb, ferr := New(Options{Site: s.dir, Out: fresh, NoCache: true, BaseURL: s.baseURL})
		if ferr != nil {
			t.Fatal(ferr)
		}
		fres, ferr := fb.Build(ctx)
		switch {
		case ferr != nil && err == nil:
			fail("the build succeeded where a fresh build fails:\n%v", ferr)
		case ferr == nil && err != nil:
			fail("the build failed where a fresh build succeeds:\n%v", err)
		case ferr != nil:
			if err.Error() != ferr.Error() {
				fail("the build's errors:\n%v\nwant the fresh build's:\n%v", err, ferr)
			}
			if got := s.output(t); fmt.Sprint(got) != fmt.Sprint(prev) {
				fail("the failed build changed the output: %s", describeDiff(got, prev))
			}
			stats["failed as a fresh build does"]++
		default:
			got, want := s.output(t), treeOf(t, fresh)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				fail("the output is not a fresh build: %s", describeDiff(got, want))
			}
			if !slices.Equal(res.Warnings, fres.Warnings) {
				fail("warnings %q; want the fresh build's %q", res.Warnings, fres.Warnings)
			}
			prev = got
			// That the builds took something from what they kept, so
			// that the test tests the incremental way.
			if res.Rendered < res.Pages {
				stats["rendered only some pages"]++
			}
			if renewed && res.Parsed < len(s.articles) {
				stats["a new Builder took front matter from the cache file"]++
			}
		}
		if l := s.leftovers(t); len(l) > 0 {
			fail("left beside the output: %v", l)
		}
		os.RemoveAll(fresh)
	}
	t.Logf("%d builds (%v), each equal to a fresh build or failing as one does; %d articles at the end", steps, stats, len(s.articles))
	if stats["a new Builder's Build"] >= 5 && stats["a new Builder took front matter from the cache file"] == 0 {
		t.Errorf("no new Builder took front matter from the cache file: the test did not test reading it")
	}
	if stats["rendered only some pages"] == 0 {
		t.Errorf("every build rendered every page: the test did not test incremental builds")
	}
}

// treeOf is files of dir with each directory too (as "name/"), so that a
// directory left empty is seen.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := files(t, dir)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != dir {
			rel, _ := filepath.Rel(dir, p)
			tree[filepath.ToSlash(rel)+"/"] = "directory"
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// editSite is a site on disk and the model it is written from: each edit
// changes the model, and sync writes the files whose text changed.
type editSite struct {
	dir          string
	rng          *rand.Rand
	articles     map[string]*editArticle // by file name, without .md
	named        int                     // articles added so far, for new names
	topics       []editTopic
	rounds       []editRound
	sources      []editSource
	pageSize     int
	siteName     string
	style        string // the site's own layouts/static/style.css; "" for the default
	topicsLayout string // the site's own layouts/topics.html; "" for the default
	baseURL      string // the builds' --base-url; "" for site.yaml's
	// broken is a file written with text the model does not give it,
	// which makes the build fail; the next sync writes it right.
	broken map[string]string
}

type editArticle struct {
	title, source, date, topic, round, url, slug, updated string
	topics, review                                        []string
	extra                                                 string // keys the generator does not know, as YAML lines
	summary, body                                         string // the first paragraph, the rest
	draft                                                 bool
}

type editTopic struct{ id, name, description, keywords string }

type editRound struct {
	id, name, city, outcomes string
	date                     time.Time
}

type editSource struct {
	name, aliases, country, affiliation string
	registered                          bool // in sources.yaml
}

func newEditSite(t *testing.T, seed uint64) *editSite {
	t.Helper()
	s := &editSite{
		dir:      writeSite(t, "basic.txtar"),
		rng:      rand.New(rand.NewPCG(seed, 13)),
		articles: map[string]*editArticle{},
		pageSize: 2,
		siteName: "Test Briefing",
		topics: []editTopic{
			{"ceasefire", "Ceasefire", "Truce proposals.", "[ceasefire, truce]"},
			{"prisoner-exchange", "Prisoner exchanges", "", "[prisoner, swap]"},
			{"talks-format", "Format of the talks", "", ""},
		},
		rounds: []editRound{
			{"round-1", "First round", "Istanbul", "A 1,000-for-1,000 prisoner exchange.", day(2025, 5, 16)},
			{"round-2", "Second round", "Istanbul", "Memoranda exchanged.", day(2025, 6, 2)},
			{"round-3", "Third round", "Istanbul", "", day(2025, 7, 23)},
		},
		sources: []editSource{
			{"RT", "[Russia Today]", "Russia", "Russian state media", true},
			{"The Kyiv Independent", "[Kyiv Independent]", "Ukraine", "Ukrainian independent", true},
			{"Unknown Gazette", "", "Turkey", "Turkish daily", false},
		},
		broken: map[string]string{},
	}
	// The basic site's own articles make way for the model's.
	old, _ := filepath.Glob(filepath.Join(s.dir, "content", "articles", "*.md"))
	for _, p := range old {
		os.Remove(p)
	}
	for range 6 {
		s.add()
	}
	return s
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The words edits are made of: plain, and the kinds of text scraped pages
// bring (markup, entities, quotes, a right-to-left override, accents).
var editWords = []string{"talks", "delegation", "Istanbul", "memorandum", "prisoners", "truce", "Kremlin", "Kyiv",
	"<b>bold</b>", "Tom & Jerry", `"quoted"`, "it's", "\u202eevil", "Dolmabahçe", "Ünïcode", "—", "#hash", "[link](javascript:x)"}

func (s *editSite) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = editWords[s.rng.IntN(len(editWords))]
	}
	return strings.Join(w, " ")
}

func (s *editSite) pick(list ...string) string { return list[s.rng.IntN(len(list))] }

// randomDate is a day from the lead-up of the first round to after the
// last, now and then with a time and a zone.
func (s *editSite) randomDate() string {
	d := day(2025, 4, 1).AddDate(0, 0, s.rng.IntN(150))
	if s.rng.IntN(4) == 0 {
		return d.Add(time.Duration(s.rng.IntN(24*60)) * time.Minute).In(time.FixedZone("", 3*3600)).Format(time.RFC3339)
	}
	return d.Format(time.DateOnly)
}

func (s *editSite) topicIDs() []string {
	ids := make([]string, len(s.topics))
	for i, tp := range s.topics {
		ids[i] = tp.id
	}
	return ids
}

func (s *editSite) names() []string {
	names := make([]string, 0, len(s.articles))
	for n := range s.articles {
		names = append(names, n)
	}
	slices.Sort(names) // the same edits from the same seed
	return names
}

// add adds an article with every field drawn at random.
func (s *editSite) add() string {
	s.named++
	name := fmt.Sprintf("article-%d", s.named)
	a := &editArticle{title: s.words(3), date: s.randomDate(), summary: s.words(8), body: s.words(12)}
	s.articles[name] = a
	a.source = s.randomSource()
	a.topic = s.pick(s.topicIDs()...)
	if s.rng.IntN(2) == 0 {
		a.topics = s.randomTopics()
	}
	if s.rng.IntN(3) == 0 {
		a.url = "https://example.com/" + name
	}
	return "added " + name
}

func (s *editSite) randomSource() string {
	return s.pick("RT", "Russia Today", "The Kyiv Independent", "Kyiv Independent", "Unknown Gazette", "Another Paper")
}

func (s *editSite) randomTopics() []string {
	var list []string
	for _, id := range s.topicIDs() {
		if s.rng.IntN(2) == 0 {
			list = append(list, id)
		}
	}
	return list
}

// edit makes one random change to the model, or breaks one file, and
// says what it did.
func (s *editSite) edit() string {
	names := s.names()
	switch r := s.rng.IntN(100); {
	// Between 3 and about 16 articles: enough for every list to
	// paginate, few enough that a long run stays quick.
	case len(names) < 4 && r < 14, len(names) < 16 && r < 8:
		return s.add()
	case r < 14:
		name := s.pick(names...)
		delete(s.articles, name)
		return "deleted " + name
	case r < 24:
		return s.editRegistry()
	case r < 25:
		if s.style == "" {
			s.style = "body { color: #" + strconv.Itoa(100+s.rng.IntN(900)) + " }\n"
			return "the site's own style.css"
		}
		s.style = ""
		return "the default style.css again"
	case r < 26:
		if s.topicsLayout == "" {
			s.topicsLayout = `{{define "main"}}<h1>Topics: ` + strconv.Itoa(s.rng.IntN(100)) + `</h1>{{end}}`
			return "the site's own topics.html"
		}
		s.topicsLayout = ""
		return "the default topics.html again"
	case r < 29:
		// The site is broken for one build; the next sync writes the
		// model's text again.
		name := s.pick(names...)
		s.broken["content/articles/"+name+".md"] = s.pick(
			"---\ntitle: Broken\nsource: RT\ndate: someday\ntopic: ceasefire\n---\n\nA date that is not one.\n",
			"---\ntitle: Broken\nsource: RT\ndate: 2025-05-16\ntopic: truce\n---\n\nA topic that is not one.\n",
			"---\ntitle: Broken\nsource: RT\ndate: 2025-05-16\ntopic: ceasefire\nslug: "+s.pick(names...)+"\n---\n\nAnother article's slug.\n",
			"---\ntitle: [unclosed\n---\n\nFront matter that is not YAML.\n")
		return "broke " + name
	}
	name := s.pick(names...)
	a := s.articles[name]
	field := s.pick("title", "date", "source", "topic", "topics", "round", "url", "summary", "summary, same size",
		"body", "review", "draft", "slug", "updated", "other keys")
	switch field {
	case "title":
		a.title = s.words(1 + s.rng.IntN(5))
	case "date":
		a.date = s.randomDate()
	case "source":
		a.source = s.randomSource()
	case "topic":
		a.topic = s.pick(s.topicIDs()...)
	case "topics":
		a.topics = s.randomTopics()
	case "round":
		ids := []string{"", "", "none"}
		for _, r := range s.rounds {
			ids = append(ids, r.id)
		}
		a.round = s.pick(ids...)
	case "url":
		a.url = s.pick("", "https://example.com/"+name, "https://example.org/moved/"+name+"?a=1&b=2")
	case "summary":
		a.summary = s.words(1 + s.rng.IntN(12))
	case "summary, same size":
		// The file keeps its size: only its modification time tells.
		a.summary = flipCase(a.summary, s.rng.IntN(len(a.summary)))
	case "body":
		a.body = s.pick("", s.words(10), "## "+s.words(2)+"\n\n"+s.words(6)+"\n\n- "+s.words(2)+"\n- "+s.words(2))
	case "review":
		a.review = [][]string{nil, {"date"}, {"title", "source"}, {"topic", "round", "date"}}[s.rng.IntN(4)]
	case "draft":
		a.draft = !a.draft
	case "slug":
		a.slug = s.pick("", "renamed-"+name) // a slug another has is a broken edit
	case "updated":
		// Unquoted, as editors write it: YAML reads a timestamp.
		a.updated = s.pick("", "2025-08-01", "2025-08-02T10:30:00+03:00")
	case "other keys":
		a.extra = s.pick("", "author: "+strconv.Quote(s.words(2))+"\n", "tags: [a, b]\nweight: 3\n", "modified: 2025-09-01\n")
	}
	return field + " of " + name
}

// flipCase changes the case of the first ASCII letter of text from byte
// i on (or before it, when there is none after).
func flipCase(text string, i int) string {
	b := []byte(text)
	for k := range b {
		j := (i + k) % len(b)
		if c := b[j]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			b[j] = c ^ 0x20
			break
		}
	}
	return string(b)
}

// editRegistry changes one of the registries; an id an article uses is
// never removed.
func (s *editSite) editRegistry() string {
	switch s.rng.IntN(9) {
	case 0:
		i := s.rng.IntN(len(s.topics))
		s.topics[i].name = s.words(2)
		return "topics.yaml: the name of " + s.topics[i].id
	case 1:
		i := s.rng.IntN(len(s.topics))
		s.topics[i].description = s.words(5)
		return "topics.yaml: the description of " + s.topics[i].id
	case 2:
		if len(s.topics) == 3 {
			s.topics = append(s.topics, editTopic{"leaders-summit", "A leaders' meeting", "Putin and Zelensky.", "[summit]"})
			return "topics.yaml: leaders-summit added"
		}
		for _, a := range s.articles {
			if a.topic == "leaders-summit" || slices.Contains(a.topics, "leaders-summit") {
				s.topics[3].keywords = "[summit, " + s.pick("meeting", "leaders") + "]"
				return "topics.yaml: the keywords of leaders-summit"
			}
		}
		s.topics = s.topics[:3]
		return "topics.yaml: leaders-summit removed"
	case 3:
		i := s.rng.IntN(len(s.rounds))
		s.rounds[i].name, s.rounds[i].city = s.words(2), s.pick("Istanbul", "Ankara", "Geneva")
		return "rounds.yaml: the name and city of " + s.rounds[i].id
	case 4:
		i := s.rng.IntN(len(s.rounds))
		s.rounds[i].outcomes = s.pick("", s.words(4))
		return "rounds.yaml: the outcomes of " + s.rounds[i].id
	case 5:
		// A round moves by a few days, staying between its neighbours:
		// articles change rounds and phases by the round rule.
		i := s.rng.IntN(len(s.rounds))
		d := s.rounds[i].date.AddDate(0, 0, s.rng.IntN(11)-5)
		if (i == 0 || d.After(s.rounds[i-1].date.AddDate(0, 0, 1))) && (i == len(s.rounds)-1 || d.Before(s.rounds[i+1].date.AddDate(0, 0, -1))) {
			s.rounds[i].date = d
		}
		return "rounds.yaml: the date of " + s.rounds[i].id
	case 6:
		if len(s.rounds) == 3 {
			s.rounds = append(s.rounds, editRound{"round-4", "Fourth round", "Istanbul", "", day(2025, 8, 20)})
			return "rounds.yaml: round-4 added"
		}
		for _, a := range s.articles {
			if a.round == "round-4" {
				a.round = ""
			}
		}
		s.rounds = s.rounds[:3]
		return "rounds.yaml: round-4 removed (its articles' round: with it)"
	case 7:
		i := s.rng.IntN(len(s.sources))
		switch s.rng.IntN(3) {
		case 0:
			s.sources[i].affiliation = s.words(2)
		case 1:
			// Each outlet's own: an alias of two outlets would leave
			// the site broken until a later edit.
			s.sources[i].aliases = [][]string{
				{"", "[Russia Today]", "[Russia Today, RT News]"},
				{"", "[Kyiv Independent]"},
				{"", "[Gazette, The Gazette]"},
			}[i][s.rng.IntN(2)]
		default:
			registered := 0
			for _, src := range s.sources {
				if src.registered {
					registered++
				}
			}
			if registered > 1 || !s.sources[i].registered { // an empty sources.yaml is an error
				s.sources[i].registered = !s.sources[i].registered
			}
		}
		return "sources.yaml: " + s.sources[i].name
	default:
		s.pageSize = []int{1, 2, 3, 5, 20}[s.rng.IntN(5)]
		s.siteName = s.pick("Test Briefing", s.words(2))
		return "site.yaml: page_size " + strconv.Itoa(s.pageSize) + " and title"
	}
}

// texts is every file the model gives the site, by slash path.
func (s *editSite) texts() map[string]string {
	q := strconv.Quote
	out := map[string]string{}
	out["content/site.yaml"] = fmt.Sprintf("title: %s\ndescription: A digest for tests.\nbase_url: https://example.github.io/briefing/\nlanguage: en\npage_size: %d\n", q(s.siteName), s.pageSize)
	var b strings.Builder
	for _, tp := range s.topics {
		fmt.Fprintf(&b, "- id: %s\n  name: %s\n", tp.id, q(tp.name))
		if tp.description != "" {
			fmt.Fprintf(&b, "  description: %s\n", q(tp.description))
		}
		if tp.keywords != "" {
			fmt.Fprintf(&b, "  keywords: %s\n", tp.keywords)
		}
	}
	out["content/topics.yaml"] = b.String()
	b.Reset()
	for _, r := range s.rounds {
		fmt.Fprintf(&b, "- id: %s\n  name: %s\n  date: %s\n  city: %s\n", r.id, q(r.name), r.date.Format(time.DateOnly), r.city)
		if r.outcomes != "" {
			fmt.Fprintf(&b, "  outcomes: [%s]\n", q(r.outcomes))
		}
	}
	out["content/rounds.yaml"] = b.String()
	b.Reset()
	for _, src := range s.sources {
		if !src.registered {
			continue
		}
		fmt.Fprintf(&b, "- name: %s\n  country: %s\n  affiliation: %s\n", src.name, src.country, q(src.affiliation))
		if src.aliases != "" {
			fmt.Fprintf(&b, "  aliases: %s\n", src.aliases)
		}
	}
	out["content/sources.yaml"] = b.String()
	for name, a := range s.articles {
		b.Reset()
		fmt.Fprintf(&b, "---\ntitle: %s\nsource: %s\ndate: %s\ntopic: %s\n", q(a.title), q(a.source), a.date, a.topic)
		if a.topics != nil {
			fmt.Fprintf(&b, "topics: [%s]\n", strings.Join(a.topics, ", "))
		}
		for _, f := range [][2]string{{"round", a.round}, {"url", a.url}, {"slug", a.slug}} {
			if f[1] != "" {
				fmt.Fprintf(&b, "%s: %s\n", f[0], q(f[1]))
			}
		}
		if a.updated != "" {
			fmt.Fprintf(&b, "updated: %s\n", a.updated)
		}
		if a.review != nil {
			fmt.Fprintf(&b, "review: [%s]\n", strings.Join(a.review, ", "))
		}
		b.WriteString(a.extra)
		if a.draft {
			b.WriteString("draft: true\n")
		}
		fmt.Fprintf(&b, "---\n\n%s\n", a.summary)
		if a.body != "" {
			fmt.Fprintf(&b, "\n%s\n", a.body)
		}
		out["content/articles/"+name+".md"] = b.String()
	}
	if s.style != "" {
		out["layouts/static/style.css"] = s.style
	}
	if s.topicsLayout != "" {
		out["layouts/topics.html"] = s.topicsLayout
	}
	return out
}

// sync writes the site as the model gives it, with the broken files of
// the last edits in place of their text, and returns the paths it
// changed, as a watcher reports them.
func (s *editSite) sync(t *testing.T) []string {
	t.Helper()
	want := s.texts()
	for p, text := range s.broken {
		want[p] = text
	}
	clear(s.broken)
	var changed []string
	for p, text := range want {
		full := filepath.Join(s.dir, filepath.FromSlash(p))
		if old, err := os.ReadFile(full); err == nil && string(old) == text {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		changed = append(changed, p)
	}
	for _, dir := range []string{"content/articles", "layouts", "layouts/static"} {
		entries, _ := os.ReadDir(filepath.Join(s.dir, filepath.FromSlash(dir)))
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			p := dir + "/" + e.Name()
			if _, ok := want[p]; !ok {
				if err := os.Remove(filepath.Join(s.dir, filepath.FromSlash(p))); err != nil {
					t.Fatal(err)
				}
				changed = append(changed, p)
			}
		}
	}
	slices.Sort(changed)
	return changed
}

// output is the output's tree, or nil when there is none.
func (s *editSite) output(t *testing.T) map[string]string {
	t.Helper()
	out := filepath.Join(s.dir, "public")
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return nil
	}
	return treeOf(t, out)
}

// leftovers is stateSite.leftovers for this site.
func (s *editSite) leftovers(t *testing.T) []string {
	t.Helper()
	return (&stateSite{dir: s.dir}).leftovers(t)
}
