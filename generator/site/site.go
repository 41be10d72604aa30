// Package site turns loaded content into the digest's pages: it groups the
// articles by round, topic, source and topic × round, counts the coverage
// of each round and topic by the group of its outlets (see Coverage),
// splits long lists into pages, and says which articles each page shows.
//
// It does no I/O and no rendering. Every page has a site path (pretty URLs:
// "topics/ceasefire/" is written as topics/ceasefire/index.html; "" is the
// home page), a layout name, and the articles it depends on, so a builder
// can tell which pages an edit touches.
//
// URL scheme:
//
//	""                          home: the briefing
//	articles/                   every article, newest first (paginated)
//	articles/SLUG/              one article
//	rounds/                     the rounds as a timeline
//	rounds/ROUND/               one round; ROUND "none" lists articles outside any round
//	rounds/ROUND/TOPIC/         one topic within one round
//	topics/, topics/TOPIC/      topics
//	sources/, sources/SOURCE/   outlets
//	search/                     search page over the index under search/ (package search)
//	LIST/page/N/                page N (from 2) of a long list
//
// Order: every list of articles is newest first, ties by title, then by
// file (see content.SortArticles); a round's page is split into its phases,
// aftermath first, and a topic's into rounds, newest round first, articles
// outside the rounds last, and its pages say so. Rounds, in the timeline
// and the matrix's columns, are newest first too.
package site

import (
	"sort"
	"strconv"

	"digest/generator/content"
)

// NoneID is the path segment of the list of articles outside any round.
const NoneID = content.NoRound

// Model is the grouped site.
type Model struct {
	Content *content.Site
	Config  content.Config

	Articles []*content.Article // newest first
	Sources  []*SourceInfo      // registered first, then unclassified, by name

	byTopic      map[string][]*content.Article // primary and further topics
	byRound      map[string][]*content.Article // round id or NoneID
	bySource     map[string][]*content.Article
	byTopicRound map[[2]string][]*content.Article
	sourceOf     map[*content.Article]*SourceInfo
	prev, next   map[*content.Article]*content.Article
}

// SourceInfo is an outlet as the site shows it: from the registry, or named
// only by articles (unclassified).
type SourceInfo struct {
	ID     string
	Name   string
	Source *content.Source // nil when unclassified
}

// Affiliation returns the registry's affiliation or "unclassified".
func (s *SourceInfo) Affiliation() string {
	if s.Source == nil || s.Source.Affiliation == "" {
		return "unclassified"
	}
	return s.Source.Affiliation
}

// New groups the articles of s. Articles must be sorted newest first.
func New(s *content.Site) *Model {
	m := &Model{
		Content:      s,
		Config:       s.Config,
		Articles:     s.Articles,
		byTopic:      map[string][]*content.Article{},
		byRound:      map[string][]*content.Article{},
		bySource:     map[string][]*content.Article{},
		byTopicRound: map[[2]string][]*content.Article{},
		sourceOf:     make(map[*content.Article]*SourceInfo, len(s.Articles)),
		prev:         make(map[*content.Article]*content.Article, len(s.Articles)),
		next:         make(map[*content.Article]*content.Article, len(s.Articles)),
	}
	infos := map[string]*SourceInfo{}
	for _, src := range s.Sources {
		si := &SourceInfo{ID: src.ID, Name: src.Name, Source: src}
		infos[src.Name] = si
		m.Sources = append(m.Sources, si)
	}
	var unclassified []*SourceInfo
	usedIDs := map[string]bool{}
	for _, si := range m.Sources {
		usedIDs[si.ID] = true
	}

	for _, a := range s.Articles {
		var si *SourceInfo
		if a.Source != nil {
			si = infos[a.Source.Name]
		} else if si = infos["?"+a.SourceName]; si == nil {
			id := content.Slugify(a.SourceName)
			for usedIDs[id] {
				id += "-unclassified"
			}
			usedIDs[id] = true
			si = &SourceInfo{ID: id, Name: a.SourceName}
			infos["?"+a.SourceName] = si
			unclassified = append(unclassified, si)
		}
		m.sourceOf[a] = si
		m.bySource[si.ID] = append(m.bySource[si.ID], a)

		rid := RoundID(a)
		m.byRound[rid] = append(m.byRound[rid], a)
		for _, t := range a.AllTopics() {
			m.byTopic[t.ID] = append(m.byTopic[t.ID], a)
			key := [2]string{t.ID, rid}
			m.byTopicRound[key] = append(m.byTopicRound[key], a)
		}
	}
	sort.Slice(unclassified, func(i, j int) bool { return unclassified[i].Name < unclassified[j].Name })
	m.Sources = append(m.Sources, unclassified...)

	// Previous and next within a round, in time order (oldest to newest).
	for _, list := range m.byRound {
		for i, a := range list { // list is newest first
			if i > 0 {
				m.next[a] = list[i-1]
			}
			if i+1 < len(list) {
				m.prev[a] = list[i+1]
			}
		}
	}
	return m
}

// RoundID returns the id of the article's round, or NoneID.
func RoundID(a *content.Article) string {
	if a.Round == nil {
		return NoneID
	}
	return a.Round.ID
}

// SourceOf returns how the article's outlet is shown.
func (m *Model) SourceOf(a *content.Article) *SourceInfo { return m.sourceOf[a] }

// Prev returns the previous (older) article of the same round, or nil.
func (m *Model) Prev(a *content.Article) *content.Article { return m.prev[a] }

// Next returns the next (newer) article of the same round, or nil.
func (m *Model) Next(a *content.Article) *content.Article { return m.next[a] }

// ByTopic returns the articles with topic id among their topics, newest first.
func (m *Model) ByTopic(id string) []*content.Article { return m.byTopic[id] }

// ByRound returns the articles of round id (or NoneID), newest first.
func (m *Model) ByRound(id string) []*content.Article { return m.byRound[id] }

// BySource returns the articles of the outlet with this id, newest first.
func (m *Model) BySource(id string) []*content.Article { return m.bySource[id] }

// ByTopicRound returns the articles of one topic within one round.
func (m *Model) ByTopicRound(topic, round string) []*content.Article {
	return m.byTopicRound[[2]string{topic, round}]
}

// LatestRound returns the most recent round, or nil when there are none.
func (m *Model) LatestRound() *content.Round {
	if n := len(m.Content.Rounds); n > 0 {
		return m.Content.Rounds[n-1]
	}
	return nil
}

// RoundsNewestFirst returns the rounds, most recent first.
func (m *Model) RoundsNewestFirst() []*content.Round {
	rs := m.Content.Rounds
	out := make([]*content.Round, len(rs))
	for i, r := range rs {
		out[len(rs)-1-i] = r
	}
	return out
}

// Site paths of the things pages are about.

// ArticlePath is the site path of an article's page.
func ArticlePath(a *content.Article) string { return "articles/" + a.Slug + "/" }

// TopicPath is the site path of a topic's page.
func TopicPath(t *content.Topic) string { return "topics/" + t.ID + "/" }

// RoundPath is the site path of a round's page; id may be NoneID.
func RoundPath(id string) string { return "rounds/" + id + "/" }

// TopicRoundPath is the site path of a topic within a round.
func TopicRoundPath(round, topic string) string { return "rounds/" + round + "/" + topic + "/" }

// SourcePath is the site path of an outlet's page.
func SourcePath(s *SourceInfo) string { return "sources/" + s.ID + "/" }

// pagePath returns the path of page n (1-based) of a list at base.
func pagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// Gap is a stretch of time between two rounds (or before the first, or
// after the last) with the articles dated in it that belong to no round.
type Gap struct {
	After, Before *content.Round // either may be nil
	Articles      []*content.Article
}

// TimelineEntry is one row of the rounds timeline: a round, or a gap.
type TimelineEntry struct {
	Round *content.Round
	Count int // articles of the round
	Gap   *Gap
}

// Timeline returns the rounds, newest first, with the gaps holding articles
// outside any round between them.
func (m *Model) Timeline() []TimelineEntry {
	rounds := m.Content.Rounds
	gaps := make([]*Gap, len(rounds)+1) // gaps[i] is before rounds[i]; gaps[len] after the last
	for _, a := range m.byRound[NoneID] {
		i := sort.Search(len(rounds), func(i int) bool { return rounds[i].Date.After(a.Date) })
		if gaps[i] == nil {
			g := &Gap{}
			if i > 0 {
				g.After = rounds[i-1]
			}
			if i < len(rounds) {
				g.Before = rounds[i]
			}
			gaps[i] = g
		}
		gaps[i].Articles = append(gaps[i].Articles, a)
	}
	var out []TimelineEntry
	for i := len(rounds); i >= 0; i-- {
		if gaps[i] != nil {
			out = append(out, TimelineEntry{Gap: gaps[i]})
		}
		if i > 0 {
			r := rounds[i-1]
			out = append(out, TimelineEntry{Round: r, Count: len(m.byRound[r.ID])})
		}
	}
	return out
}

// Cell is one count of the topic × round matrix.
type Cell struct {
	Round string // round id or NoneID
	Count int
	Path  string // site path of the intersection page; "" when empty
}

// MatrixRow is one topic's counts across the rounds.
type MatrixRow struct {
	Topic *content.Topic
	Cells []Cell
	Total int
}

// MatrixColumns returns the matrix's column round ids: rounds newest first,
// as in the timeline, then NoneID when any article is outside the rounds.
func (m *Model) MatrixColumns() []string {
	var cols []string
	for _, r := range m.RoundsNewestFirst() {
		cols = append(cols, r.ID)
	}
	if len(m.byRound[NoneID]) > 0 {
		cols = append(cols, NoneID)
	}
	return cols
}

// Matrix returns the topic × round article counts.
func (m *Model) Matrix() []MatrixRow {
	cols := m.MatrixColumns()
	var rows []MatrixRow
	for _, t := range m.Content.Topics {
		row := MatrixRow{Topic: t, Total: len(m.byTopic[t.ID])}
		for _, c := range cols {
			n := len(m.byTopicRound[[2]string{t.ID, c}])
			cell := Cell{Round: c, Count: n}
			if n > 0 {
				cell.Path = TopicRoundPath(c, t.ID)
			}
			row.Cells = append(row.Cells, cell)
		}
		rows = append(rows, row)
	}
	return rows
}
