package site

import (
	"fmt"
	"slices"
	"strconv"

	"digest/generator/content"
)

// Page is one HTML page of the site, before rendering.
type Page struct {
	Path   string // site path: "" for home, "x/" for x/index.html, or a file name such as "404.html"
	Layout string // template name: home, article, round, rounds, topic, topics, source, sources, list, search, 404
	Title  string
	Data   any

	// Deps are the articles whose data the page shows, and Key the rest of
	// what it shows beyond them and the registries. Two builds that give a
	// page the same Deps (by file hash) and Key render the same bytes.
	Deps []*content.Article
	Key  string
}

// ArticleData is what an article page shows.
type ArticleData struct {
	Article    *content.Article
	Source     *SourceInfo
	Phase      content.Phase // relative to its round; "" when none
	Prev, Next *content.Article
}

// Group is a titled run of articles within a list page.
type Group struct {
	Title    string
	Path     string // optional link for the title
	Articles []*content.Article
}

// Pager links the pages of a long list.
type Pager struct {
	Page, Pages int
	First       string // site path of page 1
	Prev, Next  string // site paths; "" at either end
}

// ListData is what a list page shows: groups of articles and a pager.
type ListData struct {
	Heading string
	Intro   string
	Feed    string // site path of the list's Atom feed, if any
	Round   *content.Round
	Topic   *content.Topic
	Source  *SourceInfo
	Phase   bool // groups are the phases of a round
	Groups  []Group
	Topics  []TopicCount // for round pages: the round's topics
	// Coverage counts the whole list's articles (not only this page's) by
	// the group of their outlet, on round and topic pages; nil elsewhere.
	Coverage *Coverage
	Pager    *Pager
	Total    int
}

// TopicCount links a topic within a round.
type TopicCount struct {
	Topic *content.Topic
	Count int
	Path  string
}

// HomeData is what the home page shows.
type HomeData struct {
	Latest   *content.Round
	Timeline []TimelineEntry
	Columns  []string
	Matrix   []MatrixRow
	Articles []*content.Article
}

// IndexData is what the rounds, topics and sources index pages show.
type IndexData struct {
	Timeline []TimelineEntry
	Topics   []TopicCount
	Sources  []SourceCount
}

// SourceCount is an outlet with its number of articles.
type SourceCount struct {
	Source *SourceInfo
	Count  int
}

// neighbourKeys is an article page's Key: which of the previous and next
// articles it links to (index: previous + 2 × next).
var neighbourKeys = [4]string{"false false", "true false", "false true", "true true"}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// LatestCount is how many articles the home page lists.
const LatestCount = 10

// Pages returns every HTML page of the site in a stable order.
func (m *Model) Pages() []*Page {
	pages := make([]*Page, 0, len(m.Articles)+len(m.Articles)/4+64)
	add := func(p *Page) { pages = append(pages, p) }

	latest := m.Articles
	if len(latest) > LatestCount {
		latest = latest[:LatestCount]
	}
	timeline, matrix := m.Timeline(), m.Matrix()
	add(&Page{Path: "", Layout: "home", Title: m.Config.Title,
		Data: &HomeData{Latest: m.LatestRound(), Timeline: timeline, Columns: m.MatrixColumns(),
			Matrix: matrix, Articles: latest},
		Deps: latest, Key: timelineKey(timeline) + matrixKey(matrix)})

	for _, a := range m.Articles {
		d := &ArticleData{Article: a, Source: m.SourceOf(a), Prev: m.Prev(a), Next: m.Next(a)}
		if a.Round != nil {
			d.Phase = content.PhaseOf(a.Round, a.Date)
		}
		deps := []*content.Article{a}
		if d.Prev != nil {
			deps = append(deps, d.Prev)
		}
		if d.Next != nil {
			deps = append(deps, d.Next)
		}
		add(&Page{Path: ArticlePath(a), Layout: "article", Title: a.Title, Data: d, Deps: deps,
			Key: neighbourKeys[boolIndex(d.Prev != nil)+2*boolIndex(d.Next != nil)]})
	}

	m.paginate(&pages, "articles/", "list", "All articles", &ListData{Heading: "All articles", Feed: "feed.xml"},
		m.Articles, nil)

	// Rounds.
	var gapShown []*content.Article // the rounds page shows the newest three of each gap
	for _, e := range timeline {
		if e.Gap != nil {
			gapShown = append(gapShown, e.Gap.Articles[:min(3, len(e.Gap.Articles))]...)
		}
	}
	add(&Page{Path: "rounds/", Layout: "rounds", Title: "Rounds",
		Data: &IndexData{Timeline: timeline}, Deps: gapShown, Key: timelineKey(timeline)})
	for _, r := range m.Content.Rounds {
		list := m.byRound[r.ID]
		ld := &ListData{Heading: r.Name, Round: r, Feed: RoundPath(r.ID) + "feed.xml", Phase: true,
			Topics: m.roundTopics(r.ID), Coverage: m.Coverage(list)}
		m.paginate(&pages, RoundPath(r.ID), "round", r.Name, ld, phaseOrder(r, list), phaseGroups(r))
		for _, t := range m.Content.Topics {
			if l := m.ByTopicRound(t.ID, r.ID); len(l) > 0 {
				m.paginate(&pages, TopicRoundPath(r.ID, t.ID), "list", t.Name+" — "+r.Name,
					&ListData{Heading: t.Name + " — " + r.Name, Round: r, Topic: t, Feed: TopicPath(t) + "feed.xml",
						Coverage: m.Coverage(l)}, l, nil)
			}
		}
	}
	if none := m.byRound[NoneID]; len(none) > 0 {
		ld := &ListData{Heading: "Outside the rounds",
			Intro:  "Articles dated more than a week after one round and more than 30 days before the next, or marked round: none.",
			Topics: m.roundTopics(NoneID), Coverage: m.Coverage(none)}
		m.paginate(&pages, RoundPath(NoneID), "round", "Outside the rounds", ld, none, nil)
		for _, t := range m.Content.Topics {
			if l := m.ByTopicRound(t.ID, NoneID); len(l) > 0 {
				m.paginate(&pages, TopicRoundPath(NoneID, t.ID), "list", t.Name+" — outside the rounds",
					&ListData{Heading: t.Name + " — outside the rounds", Topic: t, Feed: TopicPath(t) + "feed.xml",
						Coverage: m.Coverage(l)}, l, nil)
			}
		}
	}

	// Topics.
	var tcs []TopicCount
	for _, t := range m.Content.Topics {
		tcs = append(tcs, TopicCount{Topic: t, Count: len(m.byTopic[t.ID]), Path: TopicPath(t)})
	}
	add(&Page{Path: "topics/", Layout: "topics", Title: "Topics", Data: &IndexData{Topics: tcs}, Key: countsKey(tcs)})
	for _, t := range m.Content.Topics {
		ld := &ListData{Heading: t.Name, Intro: t.Description, Topic: t, Feed: TopicPath(t) + "feed.xml",
			Coverage: m.Coverage(m.byTopic[t.ID])}
		m.paginate(&pages, TopicPath(t), "topic", t.Name, ld, m.byTopicByRound(t.ID), m.roundGroups)
	}

	// Sources.
	var scs []SourceCount
	key := ""
	for _, s := range m.Sources {
		scs = append(scs, SourceCount{Source: s, Count: len(m.bySource[s.ID])})
		key += s.ID + ":" + strconv.Itoa(len(m.bySource[s.ID])) + ","
	}
	add(&Page{Path: "sources/", Layout: "sources", Title: "Sources", Data: &IndexData{Sources: scs}, Key: key})
	for _, s := range m.Sources {
		ld := &ListData{Heading: s.Name, Source: s}
		m.paginate(&pages, SourcePath(s), "source", s.Name, ld, m.bySource[s.ID], nil)
	}

	add(&Page{Path: "search/", Layout: "search", Title: "Search"})
	add(&Page{Path: "404.html", Layout: "404", Title: "Page not found"})
	return pages
}

// groupFunc splits one page's articles into titled groups.
type groupFunc func(list []*content.Article) []Group

// paginate adds the pages of a long list at base, each a copy of tmpl with
// its share of the articles split into groups by group (one untitled group
// when nil).
func (m *Model) paginate(pages *[]*Page, base, layout, title string, tmpl *ListData, list []*content.Article, group groupFunc) {
	size := m.Config.PageSize
	if size <= 0 {
		size = content.DefaultPageSize
	}
	n := (len(list) + size - 1) / size
	if n == 0 {
		n = 1
	}
	for i := 1; i <= n; i++ {
		lo, hi := (i-1)*size, i*size
		if hi > len(list) {
			hi = len(list)
		}
		chunk := list[lo:hi]
		d := *tmpl
		d.Total = len(list)
		d.Pager = &Pager{Page: i, Pages: n, First: base}
		if i > 1 {
			d.Pager.Prev = pagePath(base, i-1)
		}
		if i < n {
			d.Pager.Next = pagePath(base, i+1)
		}
		if group != nil {
			d.Groups = group(chunk)
		} else {
			d.Groups = []Group{{Articles: chunk}}
		}
		t := title
		if i > 1 {
			t = fmt.Sprintf("%s (page %d of %d)", title, i, n)
		}
		key := fmt.Sprintf("%d/%d/%d", i, n, len(list))
		if d.Topics != nil {
			key += countsKey(d.Topics)
		}
		if d.Coverage != nil {
			key += d.Coverage.key()
		}
		*pages = append(*pages, &Page{Path: pagePath(base, i), Layout: layout, Title: t, Data: &d, Deps: chunk, Key: key})
	}
}

// timelineKey sums up what a timeline shows besides the articles listed.
func timelineKey(entries []TimelineEntry) string {
	key := ""
	for _, e := range entries {
		if e.Round != nil {
			key += e.Round.ID + ":" + strconv.Itoa(e.Count) + ","
		} else {
			key += "gap:" + strconv.Itoa(len(e.Gap.Articles)) + ","
		}
	}
	return key
}

// matrixKey sums up the counts of the topic × round matrix.
func matrixKey(rows []MatrixRow) string {
	b := make([]byte, 0, 16*len(rows))
	for _, r := range rows {
		b = strconv.AppendInt(b, int64(r.Total), 10)
		for _, c := range r.Cells {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(c.Count), 10)
		}
		b = append(b, ';')
	}
	return string(b)
}

func countsKey(tcs []TopicCount) string {
	key := ""
	for _, tc := range tcs {
		key += tc.Topic.ID + ":" + strconv.Itoa(tc.Count) + ","
	}
	return key
}

// roundTopics counts a round's articles per topic.
func (m *Model) roundTopics(round string) []TopicCount {
	tcs := []TopicCount{}
	for _, t := range m.Content.Topics {
		if n := len(m.ByTopicRound(t.ID, round)); n > 0 {
			tcs = append(tcs, TopicCount{Topic: t, Count: n, Path: TopicRoundPath(round, t.ID)})
		}
	}
	return tcs
}

// phaseIndex is the place of an article's phase on a round's page, newest
// phase first: aftermath, the talks, lead-up.
func phaseIndex(r *content.Round, a *content.Article) int {
	switch content.PhaseOf(r, a.Date) {
	case content.LeadUp:
		return 2
	case content.Talks:
		return 1
	}
	return 0
}

// phaseOrder returns a copy of a round's newest-first list ordered by phase,
// aftermath first, newest first within each: by date that is the same
// order, but an article may name its round and be dated anywhere, and a
// phase's articles must be together to split into pages.
func phaseOrder(r *content.Round, list []*content.Article) []*content.Article {
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b *content.Article) int { return phaseIndex(r, a) - phaseIndex(r, b) })
	return out
}

// phaseGroups splits a run of a round's articles in phase order (see
// phaseOrder) into aftermath, the talks and lead-up.
func phaseGroups(r *content.Round) groupFunc {
	return func(list []*content.Article) []Group {
		groups := []Group{{Title: "Aftermath"}, {Title: "The talks"}, {Title: "Lead-up"}}
		for _, a := range list {
			i := phaseIndex(r, a)
			groups[i].Articles = append(groups[i].Articles, a)
		}
		var out []Group
		for _, g := range groups {
			if len(g.Articles) > 0 {
				out = append(out, g)
			}
		}
		return out
	}
}

// byTopicByRound returns a topic's articles ordered by round, newest round
// first, articles outside any round last, newest first within each.
func (m *Model) byTopicByRound(topic string) []*content.Article {
	var out []*content.Article
	for _, r := range m.RoundsNewestFirst() {
		out = append(out, m.ByTopicRound(topic, r.ID)...)
	}
	return append(out, m.ByTopicRound(topic, NoneID)...)
}

// roundGroups splits a run of articles ordered by round into one group per
// round.
func (m *Model) roundGroups(list []*content.Article) []Group {
	var out []Group
	last := ""
	for _, a := range list {
		id := RoundID(a)
		if len(out) == 0 || id != last {
			last = id
			title := "Outside the rounds"
			if a.Round != nil {
				title = a.Round.Name
			}
			out = append(out, Group{Title: title, Path: RoundPath(id)})
		}
		g := &out[len(out)-1]
		g.Articles = append(g.Articles, a)
	}
	return out
}
