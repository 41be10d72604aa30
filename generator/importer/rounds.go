package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"digest/generator/content"
)

// tense says whether the text speaks of a round as held or as coming.
type tense int

const (
	unknownTense tense = iota
	past
	future
)

// mention is a round the text speaks of.
type mention struct {
	round    *content.Round
	tense    tense
	implied  bool   // inferred, not named: the round after "two rounds" held
	weak     bool   // identified, not named: by a figure, a head of delegation, a weekday
	dated    bool   // named by its date ("May 16"), not by an ordinal or a count
	evidence string // the words that name it, for the explanation
}

// Cue words around a mention of a round. A sentence with more future cues
// than past ones speaks of a coming round ("Moscow proposed holding a third
// round"), and the other way round ("the third round of direct talks ...
// held previously").
var (
	futureCues = set(`will would could proposed propose proposes proposal scheduled upcoming
		ahead next plans planned expected prepare prepares preparing ready offered
		counteroffer might hopes`)
	pastCues = set(`held took met was were agreed concluded during latest previous previously last
		after ended reached exchanged produced`)
)

var (
	ordinalRoundRE = regexp.MustCompile(`(?i)\b(first|second|third|fourth|fifth|sixth|seventh|eighth|1st|2nd|3rd|4th|5th|6th|7th|8th)\s+round`)
	roundsHeldRE   = regexp.MustCompile(`(?i)\b(two|three|four|five|six|seven|eight|2|3|4|5|6|7|8)\s+rounds\b`)
	firstSinceRE   = regexp.MustCompile(`(?i)\bfirst\s+(?:direct\s+)?(?:peace\s+)?(?:talks|negotiations|meeting)\b[^.]{0,80}?\bsince\b(?:[^.]{0,40}?\b((?:19|20)\d\d)\b)?`)
	// "their first direct peace talks in over three years": the round
	// after the longest pause.
	firstInYearsRE = regexp.MustCompile(`(?i)\bfirst\s+(?:direct\s+)?(?:peace\s+)?(?:talks|negotiations|meeting)\b[^.]{0,80}?\bin\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+)?(?:two|three|four|five|\d)\s+years\b`)
	upcomingRE     = regexp.MustCompile(`(?i)\b(this week|next week|scheduled|upcoming|planned)\b[^.]*\b(talks|negotiations|meeting)\b|\b(talks|negotiations|meeting)\b[^.]*\b(this week|next week|scheduled|upcoming)\b`)
)

// findRounds lists the rounds the text speaks of, with the tense of each
// mention. Rounds are named by ordinal ("third round"), by a count of
// rounds held ("have met for two rounds", which also implies the next one
// is still to come), by date ("May 16", "in March 2022", or a day off the
// date held: talks "planned for 15 May" were held on the 16th), and by
// "the first direct talks since 2022" or "in over three years", which
// name the round after the pause. An ordinal in a sentence dated away from
// that round counts another series ("the second round took place on March
// 3 in Belarus"), and a date after "since" is the meeting before, not the
// one the text is about. Weaker, the text may identify a round without
// naming it: by a figure of its outcomes in the registry ("6,000 bodies"),
// by a head of delegation who led only that round, or by the weekday the
// talks were held in the round's city.
func findRounds(rounds []*content.Round, sents []string) []mention {
	var out []mention
	lastPast := -1
	cities := citiesNamed(rounds, sents)
	for _, s := range sents {
		// Cheap tests first: most sentences name no round.
		ls := strings.ToLower(s)
		digits := strings.ContainsAny(s, "0123456789")
		t := tenseOf(s)
		var dates []datedMention
		if digits {
			dates = findDates(s)
		}
		var since []int // the span of "first talks since ...", whose dates are background
		if strings.Contains(ls, "first") {
			var m *mention
			if m, since = afterPause(rounds, s, t); m != nil {
				out = append(out, *m)
			}
		}
		inSince := func(text string) bool {
			i := strings.Index(s, text)
			return since != nil && i >= since[0] && i < since[1]+len(text)
		}
		hasRound := strings.Contains(ls, "round")
		for _, m := range ordinalRoundRE.FindAllStringSubmatch(s, -1) {
			if !hasRound {
				break
			}
			r := roundByOrdinal(rounds, ordinals[strings.ToLower(m[1])])
			if r != nil && !datedElsewhere(r, dates) {
				out = append(out, mention{round: r, tense: t, evidence: quote(m[0])})
			}
		}
		for _, m := range roundsHeldRE.FindAllStringSubmatch(s, -1) {
			if !hasRound {
				break
			}
			n := numberOf(m[1])
			if r := roundByOrdinal(rounds, n); r != nil {
				out = append(out, mention{round: r, tense: past, evidence: quote(m[0]) + " held"})
			}
			if r := roundByOrdinal(rounds, n+1); r != nil {
				out = append(out, mention{round: r, tense: future, implied: true, evidence: "after " + quote(m[0])})
			}
		}
		for _, d := range dates {
			if inSince(d.text) {
				continue
			}
			for _, r := range rounds {
				if r.Date.Month() == d.month && r.Date.Day() == d.day && (d.year == 0 || d.year == r.Date.Year()) {
					out = append(out, mention{round: r, tense: t, dated: true, evidence: quote(d.text)})
				} else if dayBefore(r, d) && talksRE.MatchString(s) {
					// Talks proposed for the day before they were held.
					out = append(out, mention{round: r, tense: future, evidence: quote(d.text) + ", a day before it was held"})
				}
			}
		}
		for _, m := range monthYearRE.FindAllStringSubmatch(s, -1) {
			if !digits {
				break
			}
			if inSince(m[0]) {
				continue
			}
			for _, r := range rounds {
				if r.Date.Month() == monthOf(m[1]) && r.Date.Year() == numberOf(m[2]) {
					out = append(out, mention{round: r, tense: t, evidence: quote(m[0])})
				}
			}
		}
		out = append(out, identified(rounds, s, ls, digits, cities)...)
	}
	for _, m := range out {
		if m.tense == past && !m.implied && !m.weak {
			lastPast = max(lastPast, indexOf(rounds, m.round))
		}
	}
	// Talks announced for "this week", or "the scheduled meeting", with
	// no round named: the next round after the last one held.
	if !hasExplicitFuture(out) && lastPast >= 0 && lastPast+1 < len(rounds) {
		for _, s := range sents {
			if m := upcomingRE.FindString(s); m != "" {
				out = append(out, mention{round: rounds[lastPast+1], tense: future, evidence: quote(m)})
				break
			}
		}
	}
	return out
}

// afterPause finds "the first direct talks since 2022" or "in over three
// years" in s: the round after the pause, and the span of the words, whose
// dates are the meeting before.
func afterPause(rounds []*content.Round, s string, t tense) (*mention, []int) {
	if loc := firstSinceRE.FindStringSubmatchIndex(s); loc != nil {
		year := 0
		if loc[2] >= 0 {
			year = numberOf(s[loc[2]:loc[3]])
		}
		if r := roundAfterPause(rounds, year); r != nil {
			return &mention{round: r, tense: t, evidence: quote(s[loc[0]:loc[1]])}, loc[:2]
		}
		return nil, loc[:2]
	}
	if loc := firstInYearsRE.FindStringIndex(s); loc != nil {
		if r := roundAfterPause(rounds, 0); r != nil {
			return &mention{round: r, tense: t, evidence: quote(s[loc[0]:loc[1]])}, loc
		}
	}
	return nil, nil
}

var (
	talksRE = regexp.MustCompile(`(?i)\b(talks|negotiations|meeting|round)\b`)
	metRE   = regexp.MustCompile(`(?i)\b(met|delegations)\b`)
)

// datedElsewhere reports whether the sentence dates what it says to a
// day that is not the round's.
func datedElsewhere(r *content.Round, dates []datedMention) bool {
	if len(dates) == 0 {
		return false
	}
	for _, d := range dates {
		if d.month == r.Date.Month() && (d.day == r.Date.Day() || dayBefore(r, d)) {
			return false
		}
	}
	return true
}

// dayBefore reports whether d is the day before the round, in its year
// when d has one.
func dayBefore(r *content.Round, d datedMention) bool {
	prev := r.Date.AddDate(0, 0, -1)
	return prev.Month() == d.month && prev.Day() == d.day && (d.year == 0 || d.year == prev.Year())
}

var (
	// Figures as outcomes state them: "6,000", "1,200", "339", "40 minutes".
	figureRE  = regexp.MustCompile(`\b\d{1,3}(?:,\d{3})+\b|\b\d{3,}\b`)
	minutesRE = regexp.MustCompile(`(?i)\b(\d+)\s+minutes\b`)
	// "talks ... on Tuesday", "Monday's negotiations", "on Tuesday
	// evening, after the negotiations".
	talksDayRE = regexp.MustCompile(`(?i)\b(?:talks|negotiations|rounds?|meeting)\b[^.]{0,60}?\bon\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)['’]s\s+(?:talks|negotiations|meeting)\b|\bon\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+\w+)?,?\s+after\s+the\s+(?:talks|negotiations)\b`)
)

// identified lists the rounds a sentence points to without naming them:
// a figure that only one round's outcomes give, the surname of a head of
// delegation who led only one round, the weekday of talks when only one
// round in a city the page names was held on that weekday.
func identified(rounds []*content.Round, s, lower string, digits bool, cities map[string]bool) []mention {
	var out []mention
	var figures []string
	if digits {
		figures = figureRE.FindAllString(s, -1)
		for _, m := range minutesRE.FindAllStringSubmatch(s, -1) {
			figures = append(figures, m[1]+" minutes")
		}
	}
	for _, f := range figures {
		if n := numberOf(strings.ReplaceAll(f, ",", "")); n >= 1900 && n <= 2099 && !strings.Contains(f, ",") {
			continue // a year
		}
		if r := onlyRound(rounds, func(r *content.Round) bool {
			return containsFigure(strings.Join(append(r.Outcomes, r.Summary), " "), f)
		}); r != nil {
			out = append(out, mention{round: r, tense: past, weak: true, evidence: quote(f) + " in its outcomes"})
		}
	}
	for _, r := range rounds {
		for _, dl := range r.Delegations {
			fs := strings.Fields(dl.Head)
			if len(fs) == 0 {
				continue
			}
			surname := fs[len(fs)-1]
			if !strings.Contains(lower, strings.ToLower(surname)) || containsWord(s, surname) == 0 {
				continue
			}
			if only := onlyRound(rounds, func(x *content.Round) bool { return ledBy(x, surname) }); only == r {
				out = append(out, mention{round: r, tense: past, weak: true, evidence: quote(surname) + " led a delegation only then"})
			}
		}
	}
	if !strings.Contains(lower, "day") {
		return out
	}
	if m := talksDayRE.FindStringSubmatch(s); m != nil {
		w := weekdays[strings.ToLower(m[1]+m[2]+m[3])]
		if r := onlyRound(rounds, func(r *content.Round) bool { return r.Date.Weekday() == w && cities[r.City] }); r != nil {
			out = append(out, mention{round: r, tense: past, weak: true, evidence: quote(m[0]) + ", the weekday it was held"})
		}
	}
	return out
}

// containsFigure reports whether text has the figure f standing alone:
// "200" is not in "1,200" nor in "2000".
func containsFigure(text, f string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], f)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(f)
		before := j == 0 || !strings.ContainsRune("0123456789,.", rune(text[j-1]))
		after := end >= len(text) || !strings.ContainsRune("0123456789", rune(text[end])) &&
			!(text[end] == ',' && end+1 < len(text) && text[end+1] >= '0' && text[end+1] <= '9')
		if before && after {
			return true
		}
		i = j + 1
	}
}

// onlyRound returns the one round for which ok holds, or nil.
func onlyRound(rounds []*content.Round, ok func(*content.Round) bool) *content.Round {
	var found *content.Round
	for _, r := range rounds {
		if ok(r) {
			if found != nil {
				return nil
			}
			found = r
		}
	}
	return found
}

func ledBy(r *content.Round, surname string) bool {
	for _, d := range r.Delegations {
		if containsWord(d.Head, surname) > 0 {
			return true
		}
	}
	return false
}

// citiesNamed returns the rounds' cities the text names.
func citiesNamed(rounds []*content.Round, sents []string) map[string]bool {
	text := strings.Join(sents, " ")
	out := map[string]bool{}
	for _, r := range rounds {
		if r.City != "" && containsWord(text, r.City) > 0 {
			out[r.City] = true
		}
	}
	return out
}

// beyondRegistry returns the words that look ahead to a round the
// registry does not hold ("a fourth round"), or "".
func beyondRegistry(rounds []*content.Round, sents []string) string {
	for _, s := range sents {
		for _, m := range ordinalRoundRE.FindAllStringSubmatch(s, -1) {
			if roundByOrdinal(rounds, ordinals[strings.ToLower(m[1])]) == nil && tenseOf(s) != past {
				return m[0]
			}
		}
	}
	return ""
}

func hasExplicitFuture(ms []mention) bool {
	for _, m := range ms {
		if m.tense == future && !m.implied {
			return true
		}
	}
	return false
}

// tenseOf counts the cue words of a sentence.
func tenseOf(s string) tense {
	p, f := 0, 0
	for _, w := range words(s) {
		if pastCues[w] {
			p++
		}
		if futureCues[w] {
			f++
		}
	}
	switch {
	case f > p:
		return future
	case p > f:
		return past
	}
	return unknownTense
}

// roundByOrdinal returns the latest round whose name starts with the
// ordinal word for n ("Third round, 2025"), or nil.
func roundByOrdinal(rounds []*content.Round, n int) *content.Round {
	var found *content.Round
	for word, k := range ordinals {
		if k != n || len(word) < 4 {
			continue
		}
		for _, r := range rounds {
			if strings.HasPrefix(strings.ToLower(r.Name), word+" ") && (found == nil || r.Date.After(found.Date.Time)) {
				found = r
			}
		}
	}
	return found
}

// roundAfterPause returns the first round after year (when given), or the
// round that follows the longest pause between rounds.
func roundAfterPause(rounds []*content.Round, year int) *content.Round {
	if year > 0 {
		// "since 2019": the meeting before was not a round of these
		// talks, so the text is not about the next one.
		held := false
		for _, r := range rounds {
			if r.Date.Year() == year {
				held = true
			} else if held && r.Date.Year() > year {
				return r
			}
		}
		return nil
	}
	var best *content.Round
	longest := 0.0
	for i := 1; i < len(rounds); i++ {
		if gap := rounds[i].Date.Sub(rounds[i-1].Last()).Hours(); gap > longest {
			best, longest = rounds[i], gap
		}
	}
	return best
}

func indexOf(rounds []*content.Round, r *content.Round) int {
	for i, x := range rounds {
		if x == r {
			return i
		}
	}
	return -1
}

// quote shortens and quotes text for an explanation.
func quote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		cut := strings.LastIndexByte(s[:60], ' ')
		if cut < 20 {
			cut = 60
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

var (
	// "yesterday", "a week earlier", "last week": days counted back from
	// the day the story was written.
	relativeDayRE = regexp.MustCompile(`(?i)\b(yesterday|today|a week (?:earlier|ago)|last week)\b`)
	// "on Friday", "Friday's talks", "late Wednesday".
	weekdayRE = regexp.MustCompile(`(?i)\b(?:on|late|early|last|since)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)['’]s\b`)
)

// relativeRounds resolves what a dated story says happened "yesterday",
// "on Friday" or "last week" in sentences about talks, and returns the
// rounds held on those days. News writes a weekday for a day of the week
// before it was published, so "on Friday" is the last Friday up to the
// day of publication.
func relativeRounds(rounds []*content.Round, sents []string, published time.Time) []mention {
	var out []mention
	heldOn := func(from, to time.Time, words string) {
		for _, r := range rounds {
			if !r.Last().Before(from) && !r.Date.After(to) {
				out = append(out, mention{round: r, tense: past, evidence: quote(words) + " before " + published.Format("2 Jan 2006")})
			}
		}
	}
	for _, s := range sents {
		if !talksRE.MatchString(s) && !metRE.MatchString(s) {
			continue
		}
		for _, m := range relativeDayRE.FindAllString(s, -1) {
			switch strings.ToLower(m) {
			case "yesterday":
				heldOn(published.AddDate(0, 0, -1), published.AddDate(0, 0, -1), m)
			case "today":
				heldOn(published, published, m)
			case "a week earlier", "a week ago":
				heldOn(published.AddDate(0, 0, -7), published.AddDate(0, 0, -7), m)
			case "last week":
				monday := published.AddDate(0, 0, -(int(published.Weekday())+6)%7)
				heldOn(monday.AddDate(0, 0, -7), monday.AddDate(0, 0, -1), m)
			}
		}
		for _, m := range weekdayRE.FindAllStringSubmatch(s, -1) {
			w := weekdays[strings.ToLower(m[1]+m[2])]
			back := (int(published.Weekday()) - int(w) + 7) % 7
			d := published.AddDate(0, 0, -back)
			heldOn(d, d, m[0])
		}
	}
	return out
}
