package importer

import (
	"fmt"

	"digest/generator/clean"
	"digest/generator/content"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A stamp is a publication date the page or its address states outright,
// as opposed to one worked out from what the story says happened when.
type stamp struct {
	date time.Time
	kind string // "url", "printed", "dateline"
	text string // the words it was read from
	// yearFrom is set when the page printed no year and the year was
	// taken from other evidence; it says which.
	yearFrom string
}

// Dates in addresses, most explicit first. News sites put the day they
// publish a story into its address: /2025/06/02/, /2022/mar/29/,
// /2025/0517/ (RTÉ, People's Daily), 20250530 (Sputnik), 2025-06-01
// (Izvestia), or a slug ending -2026-01-29-53998.
var (
	urlYMD      = regexp.MustCompile(`/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$|[^0-9])`)
	urlYMonD    = regexp.MustCompile(`(?i)/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(\d{1,2})(?:/|$)`)
	urlYMMDD    = regexp.MustCompile(`/((?:19|20)\d\d)/(\d\d)(\d\d)(?:/|$)`)
	urlISO      = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[^0-9]|$)`)
	urlCompact  = regexp.MustCompile(`(?:^|[/_.-])((?:19|20)\d\d)(\d\d)(\d\d)(?:[/_.-]|$)`)
	urlFiledNum = regexp.MustCompile(`[/_-]1(\d\d)(\d\d)(\d\d)\d{5}(?:_\d+)?\.html?$`)
	urlYear     = regexp.MustCompile(`/((?:19|20)\d\d)/`)
)

// urlDate reads the publication date from an address's path. A date
// spelled out in the path is a stamp; a dated article number (some
// outlets number stories 1YYMMDD followed by a serial: 125060300007) is
// returned with weak set, to be trusted only when the text agrees.
func urlDate(raw string) (st stamp, weak, ok bool) {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return stamp{}, false, false
	}
	path := u.EscapedPath()
	try := func(re *regexp.Regexp, month func(string) time.Month) bool {
		m := re.FindStringSubmatch(path)
		if m == nil {
			return false
		}
		t, valid := day(numberOf(m[1]), month(m[2]), numberOf(m[3]))
		if !valid {
			return false
		}
		st = stamp{date: t, kind: "url", text: strings.Trim(m[0], "/-_.")}
		return true
	}
	numeric := func(s string) time.Month { return time.Month(numberOf(s)) }
	named := func(s string) time.Month { return monthOf(s) }
	if try(urlYMD, numeric) || try(urlYMonD, named) || try(urlYMMDD, numeric) || try(urlISO, numeric) || try(urlCompact, numeric) {
		return st, false, true
	}
	if m := urlFiledNum.FindStringSubmatch(path); m != nil {
		if t, valid := day(2000+numberOf(m[1]), time.Month(numberOf(m[2])), numberOf(m[3])); valid {
			return stamp{date: t, kind: "url", text: strings.Trim(m[0], "/-_")}, true, true
		}
	}
	return stamp{}, false, false
}

// urlYearOf returns a year standing alone in the path (/2025/...), or 0.
func urlYearOf(raw string) int {
	if m := urlYear.FindStringSubmatch(raw); m != nil {
		return numberOf(m[1])
	}
	return 0
}

var (
	// "28.02.2022", "02.06.2025": day first, as Europe writes it.
	dottedDateRE = regexp.MustCompile(`\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b`)
	// "29 Mar, 2022", "7 December , 2025"
	dayMonthCommaYearRE = regexp.MustCompile(`\b(\d{1,2})\s+` + monthRE + `\s*,\s*((?:19|20)\d\d)\b`)
	clockRE             = regexp.MustCompile(`(?i)\b\d{1,2}:\d\d(?:\s*[ap]\.?m\.?)?\b`)
	temperatureRE       = regexp.MustCompile(`\d\s*°`)
	// A dateline without a year opens a wire story: "ISTANBUL, May 16
	// (Reuters) -", "BERLIN, April 26. /TASS/.", "TIANJIN /China/, July
	// 15. /TASS/.", "Kyiv, Nov 16 Rustem Umerov said".
	datelineRE = regexp.MustCompile(`^([A-Z][A-Za-z’'.\-]*(?:\s+[A-Z][A-Za-z’'.\-]*){0,2}(?:\s*/[^/]{1,30}/)?),\s+` + monthRE + `\s+(\d{1,2})\b(?:\.|\s*\(|\s+[-–—]|\s+[A-Z])`)
)

// stampWords are the words a date line may carry besides the date: the
// time and its zone, the weekday, and the labels of a byline.
var stampWords = set(`gmt utc bst cet cest eet eest msk est edt pdt am pm
	updated published posted last modified on at by min mins read minute minutes
	british summer time local
	monday tuesday wednesday thursday friday saturday sunday`)

// maxStampWords is how many other words a date line may have: an
// author's name or two ("by Anna Fratsyvir May 19, 2025 1:02 PM").
const maxStampWords = 5

// printedDate finds the date the page prints as its own: a line that is
// a date with its year and little else ("29 Mar, 2022 12:00", "17:56
// 02.06.2025", "Tuesday, 29 March 2022, 19:04", a byline with the
// author's name). The first such line before the article is the page's,
// unless another there shows a different day; further down, lists of other stories print their own dates, so a date
// line there counts only when every date line of the page agrees. A date
// beside a temperature belongs to a weather widget showing the day the
// page was seen, not written, and is skipped. ok is false when no line
// qualifies; sure is false when the lines disagree.
func printedDate(lines []string, header int) (st stamp, ok, sure bool) {
	var found []stamp
	var where []int
	at := -1
	for i, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" || len(line) > 120 || !strings.ContainsAny(line, "0123456789") {
			continue
		}
		d, rest, ok := fullDateIn(line)
		if !ok || countWords(rest) > maxStampWords || nearTemperature(lines, i) {
			continue
		}
		if at < 0 {
			at = i
		}
		found = append(found, stamp{date: d, kind: "printed", text: line})
		where = append(where, i)
	}
	if len(found) == 0 {
		return stamp{}, false, false
	}
	if at < header {
		// Above the article, two different days (a list of the latest
		// stories, "updated" beside "published") leave it open.
		for k, f := range found[1:] {
			if where[k+1] < header && !f.date.Equal(found[0].date) {
				return found[0], true, false
			}
		}
		return found[0], true, true
	}
	for _, f := range found[1:] {
		if !f.date.Equal(found[0].date) {
			return found[0], true, false
		}
	}
	return found[0], true, true
}

// leadDate finds a date with its year that opens the lead, after a place
// at most: "Brussels 28.02.2022 Talks between...". A lead that opens
// with a sentence about a date ("On February 24, 2022 Russia launched")
// is not dated by it: the words before the date must be a place's, each
// capitalised, and not a preposition.
func leadDate(lead string) (stamp, bool) {
	head := lead
	if len(head) > 60 {
		head = head[:60]
	}
	d, span, ok := fullDateSpan(head)
	if !ok {
		return stamp{}, false
	}
	place := strings.Fields(strings.TrimRight(head[:span[0]], " ,-–—"))
	if len(place) > 3 {
		return stamp{}, false
	}
	for _, w := range place {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || prepositions[strings.ToLower(w)] || stampWords[strings.ToLower(strings.Trim(w, ",."))] {
			return stamp{}, false
		}
	}
	return stamp{date: d, kind: "dateline", text: strings.TrimSpace(head[:span[1]])}, true
}

// placeName reports whether the words before a dateline's date can be a
// place: no preposition, weekday or other stamp word.
func placeName(s string) bool {
	for _, w := range words(s) {
		if prepositions[w] || stampWords[w] {
			return false
		}
	}
	return true
}

// prepositions open a sentence about a date, not a dateline.
var prepositions = set(`on in at by since until till from after before during as of to for`)

// fullDateIn finds a date with its year in line and returns what is left
// of the line without it and without times and stamp words.
func fullDateIn(line string) (time.Time, string, bool) {
	t, span, ok := fullDateSpan(line)
	if !ok {
		return time.Time{}, "", false
	}
	rest := line[:span[0]] + " " + line[span[1]:]
	// A second mention of the same date ("(Updated: 10:12 GMT 30.05.2025)").
	rest = strings.ReplaceAll(rest, line[span[0]:span[1]], " ")
	rest = clockRE.ReplaceAllString(rest, " ")
	return t, rest, true
}

// fullDateSpan finds the first date with its year in line: the date and
// where it is.
func fullDateSpan(line string) (time.Time, [2]int, bool) {
	type found struct {
		t    time.Time
		span []int
	}
	var best *found
	consider := func(loc []int, y int, m time.Month, d int) {
		if t, ok := day(y, m, d); ok && (best == nil || loc[0] < best.span[0]) {
			best = &found{t, loc[:2]}
		}
	}
	for _, loc := range dottedDateRE.FindAllStringSubmatchIndex(line, -1) {
		g := func(i int) string { return line[loc[2*i]:loc[2*i+1]] }
		consider(loc, numberOf(g(3)), time.Month(numberOf(g(2))), numberOf(g(1)))
	}
	for _, loc := range dayMonthCommaYearRE.FindAllStringSubmatchIndex(line, -1) {
		g := func(i int) string { return line[loc[2*i]:loc[2*i+1]] }
		consider(loc, numberOf(g(3)), monthOf(g(2)), numberOf(g(1)))
	}
	for _, loc := range monthDayRE.FindAllStringSubmatchIndex(line, -1) {
		if loc[6] >= 0 {
			g := func(i int) string { return line[loc[2*i]:loc[2*i+1]] }
			consider(loc, numberOf(g(3)), monthOf(g(1)), numberOf(g(2)))
		}
	}
	for _, loc := range dayMonthRE.FindAllStringSubmatchIndex(line, -1) {
		if loc[6] >= 0 {
			g := func(i int) string { return line[loc[2*i]:loc[2*i+1]] }
			consider(loc, numberOf(g(3)), monthOf(g(2)), numberOf(g(1)))
		}
	}
	for _, loc := range isoDateRE.FindAllStringSubmatchIndex(line, -1) {
		g := func(i int) string { return line[loc[2*i]:loc[2*i+1]] }
		consider(loc, numberOf(g(1)), time.Month(numberOf(g(2))), numberOf(g(3)))
	}
	if best == nil {
		return time.Time{}, [2]int{}, false
	}
	return best.t, [2]int{best.span[0], best.span[1]}, true
}

// countWords counts the words of s that are not stamp words.
func countWords(s string) int {
	n := 0
	for _, w := range words(s) {
		if !stampWords[w] && !isDigits(w) && len(w) > 1 {
			n++
		}
	}
	return n
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// nearTemperature reports whether a line within two of lines[i] shows a
// temperature.
func nearTemperature(lines []string, i int) bool {
	for j := max(0, i-2); j <= min(len(lines)-1, i+2); j++ {
		if temperatureRE.MatchString(lines[j]) {
			return true
		}
	}
	return false
}

// yearlessDateline finds a wire dateline without a year at the start of
// one of the first lines of the article ("ISTANBUL, July 25. /TASS/.").
func yearlessDateline(lines []string) (month time.Month, dayOfMonth int, text string, ok bool) {
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if m := datelineRE.FindStringSubmatch(line); m != nil {
			if _, _, has := fullDateIn(line[:min(len(line), len(m[0])+6)]); has {
				continue // the year is there: not this rule's
			}
			if !placeName(m[1]) {
				continue // "On Thursday, May 15 ...": a sentence, not a dateline
			}
			return monthOf(m[2]), numberOf(m[3]), strings.TrimSpace(m[0]), true
		}
	}
	return 0, 0, "", false
}

// evidenceDate is a dated event the text reports, for placing a date
// printed without its year.
type evidenceDate struct {
	date time.Time
	what string
}

// maxYearGap is how far a date printed without its year may lie from the
// dated events of the text and still take their year for sure: news is
// about what happened in the months before.
const maxYearGap = 183 * 24 * time.Hour

// placeYear gives a month and day printed without a year the year that
// puts it nearest the dated events the text reports (a later date wins a
// tie: the story is written after what it reports). sure is false when
// nothing dated is within half a year.
func placeYear(month time.Month, d int, evidence []evidenceDate) (t time.Time, why string, sure bool) {
	bestGap := time.Duration(-1)
	for _, e := range evidence {
		for y := e.date.Year() - 1; y <= e.date.Year()+1; y++ {
			c, ok := day(y, month, d)
			if !ok {
				continue
			}
			gap := c.Sub(e.date)
			if gap < 0 {
				gap = -gap
			}
			if bestGap < 0 || gap < bestGap || gap == bestGap && c.After(t) {
				t, bestGap = c, gap
				why = fmt.Sprintf("%d from %s", y, e.what)
			}
		}
	}
	if bestGap < 0 {
		return time.Time{}, "", false
	}
	return t, why, bestGap <= maxYearGap
}

// datePage works out when the page was published, strongest evidence
// first:
//
//  1. a date line the page prints (with its year), checked against the
//     address's date when both are there;
//  2. the date in the address;
//  3. a dated lead ("Brussels 28.02.2022 Talks began...");
//  4. a wire dateline without its year ("ISTANBUL, July 25. /TASS/."),
//     the year taken from the address or from the dated events the text
//     reports, and said so;
//  5. a dated article number in the address, when the round the text
//     names agrees with it;
//  6. the estimate of findDate from what the story says happened when,
//     marked for review.
//
// With no evidence at all the date is the zero time, for the caller to
// mark.
func datePage(rounds []*content.Round, p Page, page clean.Page, sents []string, rf roundFinding, ms []mention) dating {
	lines := strings.Split(p.Text, "\n")
	printed, hasPrinted, agreed := printedDate(lines, len(headerLines(lines, page)))
	fromURL, weak, hasURL := urlDate(p.URL)
	switch {
	case hasPrinted && hasURL && !weak:
		if gap := absDays(printed.date, fromURL.date); gap > 1 {
			return dating{date: printed.date, why: fmt.Sprintf("printed %s, but the address says %s", quote(printed.text), quote(fromURL.text))}
		}
		return dating{date: printed.date, sure: true, why: fmt.Sprintf("printed %s; the address agrees", quote(printed.text))}
	case hasPrinted && !agreed:
		return dating{date: printed.date, why: fmt.Sprintf("printed %s below the article's start, among other dates", quote(printed.text))}
	case hasPrinted:
		return dating{date: printed.date, sure: true, why: "printed " + quote(printed.text)}
	case hasURL && !weak:
		return dating{date: fromURL.date, sure: true, why: "in the address: " + quote(fromURL.text)}
	}
	if len(page.Paragraphs) > 0 {
		if st, ok := leadDate(page.Paragraphs[0]); ok {
			return dating{date: st.date, sure: true, why: "dateline " + quote(st.text)}
		}
	}
	head := headerLines(lines, page)
	if month, d, text, ok := yearlessDateline(append(head, page.Paragraphs[:min(1, len(page.Paragraphs))]...)); ok {
		if y := urlYearOf(p.URL); y > 0 {
			if t, ok := day(y, month, d); ok {
				return dating{date: t, sure: true, why: fmt.Sprintf("dateline %s without a year; %d from the address", quote(text), y)}
			}
		}
		if t, why, sure := placeYear(month, d, evidenceDates(sents, ms)); !t.IsZero() {
			return dating{date: t, sure: sure, why: fmt.Sprintf("dateline %s without a year; %s", quote(text), why)}
		}
	}
	if hasURL && weak {
		r := content.AssignRound(rounds, fromURL.date)
		if rf.round != nil && r == rf.round {
			return dating{date: fromURL.date, sure: true, why: fmt.Sprintf("dated article number %s in the address; the text's %s agrees", quote(fromURL.text), r.ID)}
		}
		return dating{date: fromURL.date, why: fmt.Sprintf("dated article number %s in the address, not borne out by the text", quote(fromURL.text))}
	}
	return findDate(page.Byline, page.Paragraphs[:min(2, len(page.Paragraphs))], sents, rf, ms, p.Fetched)
}

// headerLines returns the lines of the raw page before the article's
// first paragraph: where a page prints its date.
func headerLines(lines []string, page clean.Page) []string {
	if len(page.Paragraphs) == 0 {
		return nil
	}
	first := page.Paragraphs[0]
	first = first[:min(len(first), 40)]
	for i, l := range lines {
		if strings.Contains(l, first) {
			return lines[:i]
		}
	}
	return nil
}

// evidenceDates lists the dated events of the text: dates written with
// their year, and the rounds it names.
func evidenceDates(sents []string, ms []mention) []evidenceDate {
	var out []evidenceDate
	for _, s := range sents {
		for _, d := range findDates(s) {
			if t, ok := day(d.year, d.month, d.day); ok && d.year > 0 {
				out = append(out, evidenceDate{t, quote(d.text)})
			}
		}
	}
	for _, m := range ms {
		if !m.implied {
			out = append(out, evidenceDate{m.round.Date.Time, m.round.ID + " (" + m.evidence + ")"})
		}
	}
	return out
}

// checkAgainstText takes the sureness from a date the story contradicts:
// a story cannot report as held a round, or an event dated with its
// year, that comes after it was published (a masthead showing the day
// the page was seen, a date misread from the address), nor look ahead to
// a round held more than a week before it. Only rounds named by their
// date count.
func checkAgainstText(dt dating, sents []string, ms []mention) dating {
	if !dt.sure {
		return dt
	}
	contradicted := func(what string) dating {
		dt.sure = false
		dt.why += "; but the text " + what
		return dt
	}
	for _, m := range ms {
		switch {
		case m.implied || m.weak || !m.dated:
			// An ordinal may count another series of talks ("the 2nd
			// round" of 2022, in Belarus).
		case m.tense == past && m.round.Date.After(dt.date):
			return contradicted("reports " + m.round.ID + " as held (" + m.evidence + ")")
		case m.tense == future && m.round.Last().AddDate(0, 0, content.AftermathDays).Before(dt.date):
			return contradicted("looks ahead to " + m.round.ID + " (" + m.evidence + ")")
		}
	}
	for _, s := range sents {
		if tenseOf(s) != past {
			continue
		}
		for _, d := range findDates(s) {
			if t, ok := day(d.year, d.month, d.day); ok && d.year > 0 && t.After(dt.date) {
				return contradicted("reports " + quote(d.text) + " as past")
			}
		}
	}
	return dt
}
