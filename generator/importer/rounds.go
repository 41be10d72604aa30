package importer

import (
	"fmt"
	"regexp"
	"strings"

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
	upcomingRE     = regexp.MustCompile(`(?i)\b(this week|next week|scheduled|upcoming|planned)\b[^.]*\b(talks|negotiations|meeting)\b|\b(talks|negotiations|meeting)\b[^.]*\b(this week|next week|scheduled|upcoming)\b`)
)

// findRounds lists the rounds the text speaks of, with the tense of each
// mention. Rounds are found by ordinal ("third round"), by a count of
// rounds held ("have met for two rounds", which also implies the next one
// is still to come), by date ("May 16", "in March 2022"), and by "the first
// direct talks since", which names the round after the longest pause.
func findRounds(rounds []*content.Round, sents []string) []mention {
	var out []mention
	lastPast := -1
	for _, s := range sents {
		t := tenseOf(s)
		for _, m := range ordinalRoundRE.FindAllStringSubmatch(s, -1) {
			if r := roundByOrdinal(rounds, ordinals[strings.ToLower(m[1])]); r != nil {
				out = append(out, mention{round: r, tense: t, evidence: quote(m[0])})
			}
		}
		for _, m := range roundsHeldRE.FindAllStringSubmatch(s, -1) {
			n := numberOf(m[1])
			if r := roundByOrdinal(rounds, n); r != nil {
				out = append(out, mention{round: r, tense: past, evidence: quote(m[0]) + " held"})
			}
			if r := roundByOrdinal(rounds, n+1); r != nil {
				out = append(out, mention{round: r, tense: future, implied: true, evidence: "after " + quote(m[0])})
			}
		}
		if m := firstSinceRE.FindStringSubmatch(s); m != nil {
			if r := roundAfterPause(rounds, numberOf(m[1])); r != nil {
				out = append(out, mention{round: r, tense: t, evidence: quote(m[0])})
			}
		}
		for _, d := range findDates(s) {
			for _, r := range rounds {
				if r.Date.Month() == d.month && r.Date.Day() == d.day && (d.year == 0 || d.year == r.Date.Year()) {
					out = append(out, mention{round: r, tense: t, evidence: quote(d.text)})
				}
			}
		}
		for _, m := range monthYearRE.FindAllStringSubmatch(s, -1) {
			for _, r := range rounds {
				if r.Date.Month() == monthOf(m[1]) && r.Date.Year() == numberOf(m[2]) {
					out = append(out, mention{round: r, tense: t, evidence: quote(m[0])})
				}
			}
		}
	}
	for _, m := range out {
		if m.tense == past && !m.implied {
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
		for _, r := range rounds {
			if r.Date.Year() > year {
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
