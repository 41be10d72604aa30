package importer

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// sentences splits paragraphs into sentences at ". ", "! " and "? "
// followed by a capital letter or a quote, keeping abbreviations such as
// "U.S. President" whole well enough for finding cue words near a mention.
func sentences(paragraphs []string) []string {
	var out []string
	for _, p := range paragraphs {
		start := 0
		for i := 0; i+2 < len(p); i++ {
			if (p[i] == '.' || p[i] == '!' || p[i] == '?') && p[i+1] == ' ' {
				next := rune(p[i+2])
				if unicode.IsUpper(next) || next == '"' || next == '\'' || next >= 0x80 {
					if p[i] == '.' && i >= 2 && p[i-2] == '.' {
						continue // "U.S. President"
					}
					out = append(out, p[start:i+1])
					start = i + 2
				}
			}
		}
		out = append(out, p[start:])
	}
	return out
}

// words returns the lower-cased words of s: runs of letters, digits and
// inner hyphens or apostrophes.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '\'' || r == '’')
	})
}

// containsWord reports whether text contains phrase as whole words,
// ignoring case: "exchange" is not found in "exchanged", "30-day" is found
// in "a 30-day ceasefire".
func containsWord(text, phrase string) int {
	text, phrase = strings.ToLower(text), strings.ToLower(phrase)
	n := 0
	for i := 0; ; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return n
		}
		j += i
		end := j + len(phrase)
		if boundary(text, j, true) && boundary(text, end, false) {
			n++
		}
		i = j + 1
	}
}

// boundary reports whether the text just before (before is true) or just
// after index i is not part of a word: the edge of the text, or a rune
// that is not a letter. Digits count as a boundary so that "Russia
// Today6 days ago" names Russia Today.
func boundary(text string, i int, before bool) bool {
	var r rune
	if before {
		if i <= 0 {
			return true
		}
		r, _ = utf8.DecodeLastRuneInString(text[:i])
	} else {
		if i >= len(text) {
			return true
		}
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return !unicode.IsLetter(r)
}

var (
	months = map[string]time.Month{
		"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
		"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
		"sept": 9, "oct": 10, "nov": 11, "dec": 12,
	}
	weekdays = map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
		"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
		"saturday": time.Saturday,
	}
	numbers = map[string]int{
		"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
		"seven": 7, "eight": 8, "nine": 9, "ten": 10,
	}
	ordinals = map[string]int{
		"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5,
		"6th": 6, "7th": 7, "8th": 8,
	}
)

const monthRE = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?`

var (
	// "May 16, 2025", "May 16 2025", "May 16"
	monthDayRE = regexp.MustCompile(`\b` + monthRE + `\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	// "16 May 2025", "16 May"
	dayMonthRE = regexp.MustCompile(`\b(\d{1,2})\s+` + monthRE + `\b(?:\s+(\d{4})\b)?`)
	// "2025-05-16"
	isoDateRE = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	// "in March 2022"
	monthYearRE = regexp.MustCompile(`\b` + monthRE + `\s+(\d{4})\b`)
	// "6 days ago", "an hour ago"; the aggregator glues the number to its
	// name: "Russia Today6 days ago".
	agoRE = regexp.MustCompile(`(?i)(\d+|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten))\s*(minute|hour|day|week)s?\s+ago\b`)
	// "two days ahead of the scheduled meeting"
	aheadRE = regexp.MustCompile(`(?i)\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+(?:ahead of|before)\s+(?:the\s+)?(?:scheduled\s+|planned\s+)?(?:meeting|talks|negotiations|round)\b`)
)

// monthOf reads a month name matched by monthRE.
func monthOf(s string) time.Month {
	return months[strings.ToLower(strings.TrimSuffix(s, "."))]
}

// numberOf reads "6", "six" or "a".
func numberOf(s string) int {
	if n, ok := numbers[strings.ToLower(s)]; ok {
		return n
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' || n > 10000 {
			return 0
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// day makes a UTC calendar day; ok is false for impossible dates.
func day(y int, m time.Month, d int) (time.Time, bool) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == y && t.Month() == m && t.Day() == d
}

// datedMention is a calendar date written in the text; year is 0 when the
// text gave none.
type datedMention struct {
	year  int
	month time.Month
	day   int
	text  string
}

// findDates returns the dates written in s.
func findDates(s string) []datedMention {
	var out []datedMention
	for _, m := range monthDayRE.FindAllStringSubmatch(s, -1) {
		out = append(out, datedMention{year: numberOf(m[3]), month: monthOf(m[1]), day: numberOf(m[2]), text: m[0]})
	}
	for _, m := range dayMonthRE.FindAllStringSubmatch(s, -1) {
		out = append(out, datedMention{year: numberOf(m[3]), month: monthOf(m[2]), day: numberOf(m[1]), text: m[0]})
	}
	for _, m := range isoDateRE.FindAllStringSubmatch(s, -1) {
		out = append(out, datedMention{year: numberOf(m[1]), month: time.Month(numberOf(m[2])), day: numberOf(m[3]), text: m[0]})
	}
	return out
}
