package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"

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
	switch {
	case d.Title == "":
		d.Title = titleFromLead(leadForTitle(page.Paragraphs))
		d.review("title")
		d.Why["title"] = "no headline on the page; the start of the lead"
	case standfirstLike(d.Title):
		d.review("title")
		d.Why["title"] = "reads like a standfirst, not a headline"
	}
	d.Slug = slug(d.Title)

	src, why, sure := findSource(site, p.URL, p.Text, page)
	src, why, sure = p.metaSource(site, src, why, sure)
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
	dt := p.metaDate(checkAgainstText(datePage(site.Rounds, p, page, sents, rf, ms), sents, ms))
	if dt.sure && rf.round == nil {
		// With the day known, "yesterday" and "on Friday" date the
		// talks the story reports.
		if rel := textRound(relativeRounds(site.Rounds, sents, dt.date)); rel.round != nil {
			rf = rel
		}
	}
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

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
