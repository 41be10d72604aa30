package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"digest/generator/content"
)

// dating is the publication date found for a page and how sure it is.
type dating struct {
	date time.Time
	sure bool   // false: a best estimate, to be reviewed
	why  string // the evidence, for the front matter comment
}

// roundFinding is the round the text points to.
type roundFinding struct {
	round *content.Round
	ahead bool // the text looks ahead to it (lead-up); else reports on it
	sure  bool // named and in the tense the text uses, not inferred
	why   string
}

// textRound picks the round the text is about: the earliest round it
// looks ahead to by name ("proposed holding a third round"), else the
// latest round it reports as held ("the third round ... held
// previously"), else the round after those it counts as held ("have met
// for two rounds"), else the round it identifies most often without
// naming it (by figures, a head of delegation, the weekday).
func textRound(ms []mention) roundFinding {
	var f roundFinding
	for _, m := range ms {
		if m.tense == future && !m.implied && !m.weak && (f.round == nil || m.round.Date.Before(f.round.Date.Time)) {
			f = roundFinding{round: m.round, ahead: true, sure: true, why: "ahead: " + m.evidence}
		}
	}
	if f.round != nil {
		return f
	}
	for _, m := range ms {
		if m.tense != future && !m.implied && !m.weak && (f.round == nil || m.round.Date.After(f.round.Date.Time)) {
			f = roundFinding{round: m.round, sure: m.tense == past, why: "held: " + m.evidence}
		}
	}
	if f.round != nil {
		// A round held may be background ("last held direct talks in
		// March 2022"); what comes after it, if named, wins.
		for _, m := range ms {
			if m.implied && m.round.Date.After(f.round.Date.Time) {
				return roundFinding{round: m.round, ahead: true, why: m.evidence}
			}
		}
		return f
	}
	for _, m := range ms {
		if m.implied {
			return roundFinding{round: m.round, ahead: true, why: m.evidence}
		}
	}
	count := map[*content.Round]int{}
	var best *content.Round
	for _, m := range ms {
		if !m.weak {
			continue
		}
		count[m.round]++
		if best == nil || count[m.round] > count[best] || count[m.round] == count[best] && m.round.Date.After(best.Date.Time) {
			best = m.round
			f = roundFinding{round: m.round, why: "identified: " + m.evidence}
		}
	}
	return f
}

var (
	// A weekday right after a verb of saying is the day of the statement
	// the story reports: "Lavrov said on Tuesday", "the Kremlin said
	// Tuesday", "told reporters on Monday".
	statementDayRE = regexp.MustCompile(`(?i)\b(?:said|says|told|announced|published|stated|reported|warned|added|noted|declared|insisted)\b(?:\s+\w+){0,2}?\s+(?:on\s+|last\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
	// A weekday that names when talks take place: "Thursday’s negotiations",
	// "meeting ... in Istanbul on Thursday".
	eventDayRE = regexp.MustCompile(`(?i)\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?\s+(?:talks|negotiations|meeting)\b|\b(?:talks|negotiations|meeting)\b[^.]{0,60}?\bon\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`)
)

// findDate works out when the page was published, from the most direct
// evidence to the least: a date printed by the headline; "6 days ago" by
// the headline against the fetch date; "two days ahead of" a round whose
// day the text names; the interval the rounds the text reports as held or
// coming leave, narrowed by the weekday of the statement the story
// reports. Only the first three, or a weekday that leaves one day, are
// sure; the rest is a best estimate marked for review.
func findDate(byline, lead, sents []string, rf roundFinding, ms []mention, fetched time.Time) dating {
	for _, line := range byline {
		for _, d := range findDates(line) {
			if t, ok := day(d.year, d.month, d.day); ok && d.year > 0 {
				return dating{date: t, sure: true, why: "printed: " + quote(d.text)}
			}
		}
	}
	for _, line := range byline {
		if m := agoRE.FindStringSubmatch(line); m != nil {
			if fetched.IsZero() {
				break // noted below if nothing better
			}
			n := numberOf(m[1])
			t := fetched
			switch strings.ToLower(m[2]) {
			case "day":
				t = t.AddDate(0, 0, -n)
			case "week":
				t = t.AddDate(0, 0, -7*n)
			case "hour":
				t = t.Add(-time.Duration(n) * time.Hour)
			case "minute":
				t = t.Add(-time.Duration(n) * time.Minute)
			}
			return dating{date: t.Truncate(24 * time.Hour), sure: true,
				why: fmt.Sprintf("%s before fetch on %s", quote(m[0]), fetched.Format(time.DateOnly))}
		}
	}

	statement := weekdayIn(statementDayRE, lead)
	eventDay := weekdayIn(eventDayRE, sents)

	// The day a coming round is held: the named weekday nearest its date
	// (Putin proposed Thursday 15 May; the delegations met on Friday).
	var meeting time.Time
	if rf.round != nil && rf.ahead && rf.sure {
		meeting = rf.round.Date.Time
		if eventDay >= 0 {
			meeting = nearestWeekday(meeting, time.Weekday(eventDay))
		}
		for _, s := range sents {
			if m := aheadRE.FindStringSubmatch(s); m != nil {
				t := meeting.AddDate(0, 0, -numberOf(m[1]))
				sure := statement < 0 || t.Weekday() == time.Weekday(statement)
				why := fmt.Sprintf("%s %s on %s", quote(m[0]), rf.round.ID, meeting.Format("Mon 2 Jan"))
				if statement >= 0 {
					why += fmt.Sprintf("; said %s", time.Weekday(statement))
				}
				return dating{date: t, sure: sure, why: why}
			}
		}
	}

	// The interval the text leaves.
	var lo, hi time.Time
	var loWhy, hiWhy string
	for _, m := range ms {
		switch {
		case m.tense == past && !m.implied:
			if t := m.round.Last(); lo.IsZero() || t.After(lo) {
				lo, loWhy = t, fmt.Sprintf("after %s (%s)", m.round.ID, m.evidence)
			}
		case m.tense == future:
			if t := m.round.Date.AddDate(0, 0, -1); hi.IsZero() || t.Before(hi) {
				hi, hiWhy = t, fmt.Sprintf("before %s (%s)", m.round.ID, m.evidence)
			}
		}
	}
	if !meeting.IsZero() && eventDay >= 0 {
		// "Talks on Thursday": within the week before.
		if t := meeting.AddDate(0, 0, -1); hi.IsZero() || t.Before(hi) {
			hi, hiWhy = t, fmt.Sprintf("before %s on %s", rf.round.ID, meeting.Format("Mon 2 Jan"))
		}
		if t := meeting.AddDate(0, 0, -6); lo.IsZero() || t.After(lo) {
			lo, loWhy = t, fmt.Sprintf("the week of %s", rf.round.ID)
		}
	}
	evidenceLo, evidenceHi := !lo.IsZero(), !hi.IsZero()
	// The fetch date bounds the publication, unless the text shows it is
	// not this page's (a page reporting on a round held after it).
	if !fetched.IsZero() && (hi.IsZero() || fetched.Before(hi)) && (lo.IsZero() || !fetched.Before(lo)) {
		hi, hiWhy, evidenceHi = fetched, "fetched "+fetched.Format(time.DateOnly), true
	}
	// The round rule's window for the round the text names.
	if r := rf.round; r != nil {
		wlo, whi := r.Last(), r.Last().AddDate(0, 0, content.AftermathDays)
		if rf.ahead {
			wlo, whi = r.Date.AddDate(0, 0, -content.LeadUpDays), r.Date.AddDate(0, 0, -1)
		}
		if (lo.IsZero() || !wlo.Before(lo)) && (hi.IsZero() || !wlo.After(hi)) {
			lo = wlo
		}
		if (hi.IsZero() || !whi.After(hi)) && (lo.IsZero() || !whi.Before(lo)) {
			hi = whi
		}
	}
	if lo.IsZero() && hi.IsZero() {
		if !fetched.IsZero() {
			return dating{date: fetched.Truncate(24 * time.Hour), why: "no date on the page; the fetch date"}
		}
		return dating{}
	}
	if lo.IsZero() {
		lo = hi.AddDate(0, 0, -content.LeadUpDays)
	}
	if hi.IsZero() {
		hi = lo.AddDate(0, 0, content.AftermathDays)
	}

	// A report on something held comes the day after; otherwise the
	// middle of what is left.
	est := lo.AddDate(0, 0, int(hi.Sub(lo).Hours()/24+1)/2)
	if evidenceLo && !evidenceHi {
		est = lo.AddDate(0, 0, 1)
	}
	why := strings.TrimPrefix(strings.Join(nonEmpty(loWhy, hiWhy), ", "), ", ")
	if why == "" && rf.round != nil {
		why = "the round rule's window of " + rf.round.ID
	}
	sure := false
	if statement >= 0 {
		var candidates []time.Time
		for t := lo; !t.After(hi); t = t.AddDate(0, 0, 1) {
			if t.Weekday() == time.Weekday(statement) {
				candidates = append(candidates, t)
			}
		}
		if len(candidates) > 0 {
			best := candidates[0]
			for _, t := range candidates {
				if absDays(t, est) < absDays(best, est) {
					best = t
				}
			}
			est = best
			sure = len(candidates) == 1 && evidenceLo && evidenceHi
		}
		why += fmt.Sprintf("; said on a %s", time.Weekday(statement))
	}
	if est.After(hi) {
		est = hi
	}
	return dating{date: est, sure: sure, why: "estimate: " + why}
}

// weekdayIn returns the weekday of the first match of re in texts, or -1.
func weekdayIn(re *regexp.Regexp, texts []string) int {
	for _, s := range texts {
		if m := re.FindStringSubmatch(s); m != nil {
			for _, g := range m[1:] {
				if d, ok := weekdays[strings.ToLower(g)]; ok {
					return int(d)
				}
			}
		}
	}
	return -1
}

// nearestWeekday returns the day with weekday w nearest to t (within 3
// days either side).
func nearestWeekday(t time.Time, w time.Weekday) time.Time {
	diff := (int(w) - int(t.Weekday()) + 7) % 7
	if diff > 3 {
		diff -= 7
	}
	return t.AddDate(0, 0, diff)
}

func absDays(a, b time.Time) float64 {
	d := a.Sub(b).Hours() / 24
	if d < 0 {
		return -d
	}
	return d
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
