package importer

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"digest/generator/clean"
	"digest/generator/content"
	"digest/generator/htmlpage"
)

// Draft is an article made from a raw page, before it is written.
type Draft struct {
	Slug       string
	Title      string
	Source     string
	Date       time.Time
	Topic      string
	Topics     []string
	Round      string // round id, or content.NoRound
	URL        string
	Raw        string   // the raw page, slash-separated, relative to the site root
	Review     []string // fields to check, in front matter order
	Paragraphs []string

	// Why explains, per field, what the importer based its value on; it is
	// written as a comment beside the field.
	Why map[string]string
}

// Page is a raw page to import with what is known about it besides its
// text.
type Page struct {
	Raw     string         // slash-separated path of the raw file, relative to the site root
	Text    string         // the raw page
	Fetched time.Time      // when it was scraped; zero if unknown
	URL     string         // where it was scraped from; "" if unknown
	HTML    *htmlpage.Page // the story and metadata of an HTML page; nil for text
}

// Analyze turns a raw page into a draft article using the site's
// registries. It is pure: it reads nothing but its arguments. It fails
// only when the page has no article text.
func Analyze(site *content.Site, p Page) (*Draft, error) {
	page := p.extract()
	if len(page.Paragraphs) == 0 {
		return nil, fmt.Errorf("no article text found")
	}
	d := &Draft{Raw: p.Raw, URL: p.URL, Paragraphs: page.Paragraphs, Why: map[string]string{}}

	d.Title = page.Headline
	if d.Title == "" {
		d.Title = titleFromLead(page.Paragraphs[0])
		d.review("title")
		d.Why["title"] = "no headline on the page; the start of the lead"
	}
	d.Slug = slug(d.Title)

	src, why, sure := findSource(site, p.Text, page)
	src, why, sure = p.metaSource(site, src, why, sure)
	d.Source, d.Why["source"] = src, why
	if !sure {
		d.review("source")
	}

	lead := page.Paragraphs[:min(2, len(page.Paragraphs))]
	sents := sentences(append([]string{page.Headline}, page.Paragraphs...))
	ms := findRounds(site.Rounds, sents)
	rf := textRound(ms)
	dt := p.metaDate(findDate(page.Byline, lead, sents, rf, ms, p.Fetched))
	if dt.date.IsZero() {
		// Nothing on the page says when: the last round, to be
		// reviewed; deterministic so that a re-import is identical.
		if n := len(site.Rounds); n > 0 {
			dt.date = site.Rounds[n-1].Date.Time
		} else {
			dt.date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		dt.why = "no date evidence on the page"
	}
	d.Date, d.Why["date"] = dt.date, dt.why
	if !dt.sure {
		d.review("date")
	}

	d.Topic, d.Topics, d.Why["topic"], sure = findTopics(site.Topics, page)
	if !sure {
		d.review("topic")
	}

	d.Round, d.Why["round"], sure = chooseRound(site.Rounds, rf, dt)
	if !sure {
		d.review("round")
	}
	return d, nil
}

func (d *Draft) review(field string) {
	d.Review = append(d.Review, field)
}

// chooseRound applies the round rule to the date, and checks it against
// the round the text names. The round is sure when the text names it and
// the date agrees, or when a sure date alone gives it.
func chooseRound(rounds []*content.Round, rf roundFinding, dt dating) (id, why string, sure bool) {
	byDate := content.AssignRound(rounds, dt.date)
	switch {
	case rf.round != nil && rf.round == byDate:
		return byDate.ID, "text, " + rf.why + "; date agrees", rf.sure || dt.sure
	case rf.round != nil && !dt.sure:
		return rf.round.ID, "text, " + rf.why + "; the estimated date gives " + roundID(byDate), false
	case byDate != nil:
		why := "date"
		if rf.round != nil {
			why += "; the text names " + rf.round.ID
		}
		return byDate.ID, why, dt.sure && rf.round == nil
	}
	return content.NoRound, "no round within the rule's windows of the date", dt.sure && rf.round == nil
}

func roundID(r *content.Round) string {
	if r == nil {
		return content.NoRound
	}
	return r.ID
}

// titleFromLead makes a short title from the lead when a page has no
// headline: the lead's first sentence, cut to at most titleWords words at
// a word that is not a function word, with "…" when cut.
func titleFromLead(lead string) string {
	first := sentences([]string{lead})[0]
	first = strings.TrimRight(first, ".!? ")
	ws := strings.Fields(first)
	if len(ws) <= titleWords {
		return first
	}
	ws = ws[:titleWords]
	for len(ws) > 3 && weakEnd[strings.ToLower(strings.Trim(ws[len(ws)-1], ",;:"))] {
		ws = ws[:len(ws)-1]
	}
	return strings.TrimRight(strings.Join(ws, " "), ",;:") + "…"
}

const titleWords = 10

// weakEnd are words a cut title must not end on.
var weakEnd = set(`a an the and or but of in on at to for from with by as that which who
	between its his her their could would will may might is are was were be`)

// slug makes a file name from a title: Slugify without apostrophes
// ("It’s" gives "its", not "it-s"), cut at a word to at most slugLength
// characters and without a trailing function word.
func slug(title string) string {
	title = strings.NewReplacer("'", "", "’", "", "‘", "").Replace(title)
	s := content.Slugify(title)
	parts := strings.Split(s, "-")
	for len(parts) > 1 && (len(strings.Join(parts, "-")) > slugLength || weakEnd[parts[len(parts)-1]]) {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "-")
}

const slugLength = 64

// findSource names the outlet. Signatures come from the sources
// registry: each source's name, aliases and homepage host. Where one
// appears matters. It signs the page on a line that is the name with at
// most a time beside it ("Russia Today6 days ago", "- Russia Today": the
// aggregator's bylines), or on a line where the site speaks of itself
// ("We, the journalists of The Moscow Times", "A Message from The Moscow
// Times"). Elsewhere a name is a source cited ("according to the Interfax
// news agency", "..., Reuters reports") and does not count. With no
// signature, the spelling of Ukrainian place names (Kyiv or Kiev) hints at
// the outlet's country, and the first registered source of that country is
// proposed, to be reviewed.
func findSource(site *content.Site, raw string, page clean.Page) (name, why string, sure bool) {
	type score struct {
		src   *content.Source
		n     int
		lines []string
	}
	var scores []score
	lines := strings.Split(raw, "\n")
	for _, src := range site.Sources {
		sc := score{src: src}
		for _, line := range lines {
			line = strings.TrimSpace(line)
			for _, sig := range signatures(src) {
				if containsWord(line, sig) > 0 && (bylineOf(line, sig) || speaksOfItself(line)) {
					sc.n++
					if len(sc.lines) < 2 {
						sc.lines = append(sc.lines, quote(line))
					}
					break
				}
			}
		}
		if sc.n > 0 {
			scores = append(scores, sc)
		}
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].n > scores[j].n })
	if len(scores) > 0 && (len(scores) == 1 || scores[0].n >= 2*scores[1].n) {
		return scores[0].src.Name, "signed " + strings.Join(scores[0].lines, ", "), true
	}
	if len(scores) > 1 {
		return scores[0].src.Name, fmt.Sprintf("signatures of %s and %s", scores[0].src.Name, scores[1].src.Name), false
	}
	if name := selfNamed(lines); name != "" {
		return name, "the page names itself", true
	}
	country, spelled := spellingCountry(strings.Join(page.Paragraphs, "\n"))
	for _, src := range site.Sources {
		if country != "" && strings.EqualFold(src.Country, country) {
			return src.Name, fmt.Sprintf("no outlet named on the page; %s spelling suggests %s", spelled, country), false
		}
	}
	return "unknown", "no outlet named on the page", false
}

// bylineOf reports whether line is sig with at most a time, bullets and
// punctuation beside it.
func bylineOf(line, sig string) bool {
	i := strings.Index(strings.ToLower(line), strings.ToLower(sig))
	rest := line[:i] + " " + line[i+len(sig):]
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && r != '•' && r != '–' && r != '—')
	}) {
		switch strings.ToLower(w) {
		case "ago", "time", "min", "mins", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "by", "via", "from", "updated", "published":
		default:
			return false
		}
	}
	return true
}

// speaksOfItself reports whether a line is written in the site's own
// voice: first person plural, or addressed to its readers.
func speaksOfItself(line string) bool {
	// Case matters: "US" is a country, "us" a pronoun.
	for _, w := range strings.FieldsFunc(line, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		switch w {
		case "we", "We", "our", "Our", "us", "you", "You", "your", "Your", "youre", "you're", "you’re":
			return true
		}
	}
	return strings.HasPrefix(line, "A Message from ") || strings.Contains(line, "©")
}

// signatures are the strings that name a source on a page.
func signatures(src *content.Source) []string {
	sigs := append([]string{src.Name}, src.Aliases...)
	if h := src.Homepage; h != "" {
		h = strings.TrimPrefix(strings.TrimPrefix(h, "https://"), "http://")
		h = strings.TrimPrefix(strings.TrimSuffix(h, "/"), "www.")
		sigs = append(sigs, h)
	}
	var out []string
	for _, s := range sigs {
		if utf8.RuneCountInString(s) >= 2 {
			out = append(out, s)
		}
	}
	return out
}

// selfNamed returns the name of an outlet missing from the registry when
// the page names itself: "A Message from The Moscow Times:", "© 2019 CBS
// Interactive Inc.".
func selfNamed(lines []string) string {
	for _, line := range lines {
		line = strings.TrimSpace(line)
		for _, prefix := range []string{"A Message from ", "Copyright © ", "© ", "Copyright "} {
			if _, rest, ok := strings.Cut(line, prefix); ok {
				rest = strings.TrimLeft(rest, "0123456789 ")
				rest, _, _ = strings.Cut(rest, ":")
				rest, _, _ = strings.Cut(rest, ". ")
				rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
				if n := len(strings.Fields(rest)); n > 0 && n <= 5 {
					return rest
				}
			}
		}
	}
	return ""
}

// spellingCountry tells from how a text spells Ukrainian place names
// whether it follows Ukrainian usage (Kyiv, Kharkiv, Odesa) or Russian
// (Kiev, Kharkov, Odessa): Russian state media keep the latter.
func spellingCountry(text string) (country, spelled string) {
	ua, ru := 0, 0
	for _, w := range []string{"Kyiv", "Kharkiv", "Odesa", "Lviv", "Luhansk", "Chernihiv", "Mykolaiv"} {
		ua += containsWord(text, w)
	}
	for _, w := range []string{"Kiev", "Kharkov", "Lugansk", "Chernigov", "Nikolaev", "Lvov"} {
		ru += containsWord(text, w)
	}
	switch {
	case ua > 2*ru && ua >= 2:
		return "Ukraine", "the Ukrainian"
	case ru > 2*ua && ru >= 2:
		return "Russia", "the Russian"
	}
	return "", ""
}

// minTopicScore is the least score of a primary topic that is not a
// guess: a keyword in the headline and another anywhere, or two in the
// lead.
const minTopicScore = 4

// findTopics scores each topic by its registry keywords. What a story is
// about is said in its headline and lead, so the primary topic is the one
// whose keywords the headline (three points each) and the lead paragraph
// (two points) use most, with the rest of the text (one point each)
// breaking ties; only when neither names any topic does the whole text
// decide, and then the topic is marked for review, as it is when the
// leader is tied or scores under minTopicScore. Further topics are
// those scoring, over the whole text, at least two points and a third of
// the primary topic, at most four of them, highest first.
func findTopics(topics []*content.Topic, page clean.Page) (primary string, further []string, why string, sure bool) {
	type score struct {
		t          *content.Topic
		lead, body int
		hits       []string
	}
	rest := ""
	if len(page.Paragraphs) > 1 {
		rest = strings.Join(page.Paragraphs[1:], "\n")
	}
	var scores []*score
	for _, t := range topics {
		sc := &score{t: t}
		for _, k := range t.Keywords {
			l := 3*containsWord(page.Headline, k) + 2*containsWord(page.Paragraphs[0], k)
			b := containsWord(rest, k)
			if l+b > 0 {
				sc.lead += l
				sc.body += b
				sc.hits = append(sc.hits, fmt.Sprintf("%s %d", k, l+b))
			}
		}
		scores = append(scores, sc)
	}
	if len(scores) == 0 {
		return "", nil, "the topics registry is empty", false
	}
	byLead := append([]*score(nil), scores...)
	sort.SliceStable(byLead, func(i, j int) bool {
		a, b := byLead[i], byLead[j]
		if a.lead != b.lead {
			return a.lead > b.lead
		}
		return a.body > b.body
	})
	best := byLead[0]
	switch {
	case best.lead > 0:
		sure = (len(byLead) == 1 || best.lead > byLead[1].lead) && best.lead+best.body >= minTopicScore
		why = fmt.Sprintf("headline and lead %d, text %d: %s", best.lead, best.body, strings.Join(best.hits, ", "))
		if len(byLead) > 1 && byLead[1].lead > 0 {
			why += fmt.Sprintf("; next %s %d", byLead[1].t.ID, byLead[1].lead)
		}
	default:
		sort.SliceStable(byLead, func(i, j int) bool { return byLead[i].body > byLead[j].body })
		best = byLead[0]
		if best.body == 0 {
			return best.t.ID, nil, "no topic keyword in the text", false
		}
		why = fmt.Sprintf("not in headline or lead; text %d: %s", best.body, strings.Join(best.hits, ", "))
		if len(byLead) > 1 {
			why += fmt.Sprintf("; next %s %d", byLead[1].t.ID, byLead[1].body)
		}
	}
	total := func(s *score) int { return s.lead + s.body }
	sort.SliceStable(scores, func(i, j int) bool { return total(scores[i]) > total(scores[j]) })
	for _, sc := range scores {
		if sc != best && len(further) < 4 && total(sc) >= 2 && 3*total(sc) >= total(best) {
			further = append(further, sc.t.ID)
		}
	}
	return best.t.ID, further, why, sure
}

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
