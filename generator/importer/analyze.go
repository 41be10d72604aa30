package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"digest/generator/clean"
	"digest/generator/content"
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
	Raw     string    // slash-separated path of the raw file, relative to the site root
	Text    string    // the raw page
	Fetched time.Time // when it was scraped; zero if unknown
	URL     string    // where it was scraped from; "" if unknown
}

// Analyze turns a raw page into a draft article using the site's
// registries. It is pure: it reads nothing but its arguments. It fails
// only when the page has no article text.
func Analyze(site *content.Site, p Page) (*Draft, error) {
	page := clean.Extract(p.Text)
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
	d.Source, d.Why["source"] = src, why
	if !sure {
		d.review("source")
	}

	sents := sentences(append([]string{page.Headline}, page.Paragraphs...))
	ms := findRounds(site.Rounds, sents)
	rf := textRound(ms)
	if w := beyondRegistry(site.Rounds, sents); w != "" && !(rf.ahead && rf.sure) {
		rf = roundFinding{ahead: true, why: "ahead: " + quote(w) + ", a round the registry does not hold"}
	}
	dt := datePage(site.Rounds, p, page, sents, rf, ms)
	if dt.date.IsZero() {
		dt = undated(site.Rounds, rf, sents)
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

// chooseRound decides the round. A sure date decides it by the round
// rule, sure when the text names no other round; the round named in the
// text with a date that agrees is the strongest case. Without a sure date
// nothing the date says counts: the round is the one the text names, or
// none, to be reviewed.
func chooseRound(rounds []*content.Round, rf roundFinding, dt dating) (id, why string, sure bool) {
	if !dt.sure {
		if rf.round == nil {
			why := "the text names no round"
			if rf.why != "" {
				why = "the text looks " + rf.why
			}
			return content.NoRound, why + "; no sure date", false
		}
		return rf.round.ID, "text, " + rf.why + "; no sure date", false
	}
	byDate := content.AssignRound(rounds, dt.date)
	switch {
	case rf.round != nil && rf.round == byDate:
		return byDate.ID, "text, " + rf.why + "; date agrees", true
	case rf.round != nil:
		return roundID(byDate), "date; the text names " + rf.round.ID + " (" + rf.why + ")", false
	}
	return roundID(byDate), "date", true
}

// undated is the date written when nothing dates the page, marked for
// review: the day of the round the text is about (the day before, for a
// lead-up), else the latest date the text writes with its year, else the
// first of January of the latest year it names. It is never taken from a
// round the text does not name.
func undated(rounds []*content.Round, rf roundFinding, sents []string) dating {
	if r := rf.round; r != nil {
		t := r.Date.Time
		if rf.ahead {
			t = t.AddDate(0, 0, -1)
		}
		return dating{date: t, why: "no date on the page; placeholder from " + r.ID}
	}
	var latest time.Time
	year := 0
	for _, s := range sents {
		for _, d := range findDates(s) {
			if t, ok := day(d.year, d.month, d.day); ok && d.year > 0 && t.After(latest) {
				latest = t
			}
		}
		for _, m := range yearRE.FindAllString(s, -1) {
			year = max(year, numberOf(m))
		}
	}
	switch {
	case !latest.IsZero():
		return dating{date: latest, why: "no date on the page; placeholder: the latest date it writes"}
	case year > 0:
		return dating{date: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), why: fmt.Sprintf("no date on the page; placeholder: %d, the latest year it names", year)}
	}
	return dating{date: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), why: "no date on the page; placeholder"}
}

var yearRE = regexp.MustCompile(`\b(?:19|20)\d\d\b`)

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

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
