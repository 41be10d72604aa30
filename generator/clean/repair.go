package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// normalize splits raw text into trimmed lines with single spaces. Blank
// lines are kept as "" because a blank line is a block boundary.
//
// Scraped pages arrive with "\r\n" line ends, no-break spaces between
// words and runs of spaces where markup was removed (the RT aggregator page
// prints "  • Russia Today"); invisible control characters come from
// embedded widgets.
func normalize(raw string) []string {
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	raw = strings.ReplaceAll(raw, "\r", "\n")
	lines := strings.Split(raw, "\n")
	out := lines[:0]
	var b strings.Builder
	for _, line := range lines {
		b.Reset()
		space := false
		for _, r := range line {
			switch {
			case r == utf8.RuneError, r == '\u200b', r == '\ufeff', r == '\u00ad':
				continue
			case unicode.IsSpace(r):
				space = true
				continue
			case unicode.IsControl(r):
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		out = append(out, b.String())
	}
	return out
}

// joinBrokenLines joins a line that a scraper broke in the middle of a
// sentence with the line that continues it.
//
// The Moscow Times page has "... a battle against U.S." on one line and
// "global dominance, Bondarev posted on X." on the next: the first line
// ends in an abbreviation, not a sentence, and the next starts in lower
// case. A line is joined to the next only when it is prose-like (long
// enough, not a menu entry), does not end a sentence, and the next line
// starts with a lower-case letter; a list of lower-case menu entries
// ("news", "home page") is left alone because its lines are short.
func joinBrokenLines(lines []string) []string {
	out := lines[:0:0]
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		for i+1 < len(lines) && continuesOnNextLine(line, lines[i+1]) {
			line += " " + lines[i+1]
			i++
		}
		out = append(out, line)
	}
	return out
}

// continuesOnNextLine reports whether next is the rest of line's sentence.
func continuesOnNextLine(line, next string) bool {
	if next == "" || utf8.RuneCountInString(line) < 40 || countWords(line) < 8 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsLower(r) || isByline(next) {
		return false
	}
	last := lastWord(line)
	switch {
	case endsInAbbreviation(last):
		return true
	case strings.ContainsAny(last[len(last)-1:], ".!?:;\"'”’)…|»"):
		return false
	}
	// No closing punctuation at all: the sentence goes on, but only when
	// the next line reads as prose too, not as a lower-case menu.
	return countWords(next) >= 3
}

// isByline reports whether s starts like a byline: "by" and a
// capitalised name ("by Anna Fratsyvir May 19, 2025"), which follows a
// headline on its own line and is not the rest of its sentence.
func isByline(s string) bool {
	rest, ok := strings.CutPrefix(s, "by ")
	if !ok {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsUpper(r)
}

// lastWord returns the last space-separated word of s.
func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

// abbreviations are words that end in a period without ending a sentence.
// Titles before names ("Gov. Matt Bevin", "Rep. Ilhan Omar") are the
// common case in news text.
var abbreviations = set(`mr mrs ms dr prof st gov sen rep gen col lt sgt capt jr sr
	no vs etc inc co corp ltd dept est approx fig jan feb mar apr jun jul aug sep sept oct
	nov dec mt ft ave blvd`)

// endsInAbbreviation reports whether word, with its final period, is an
// abbreviation such as "U.S.", "Gov." or an initial "R.".
func endsInAbbreviation(word string) bool {
	word = strings.TrimLeft(word, "(\"'“‘")
	if !strings.HasSuffix(word, ".") || len(word) < 2 {
		return false
	}
	stem := word[:len(word)-1]
	if isDottedInitials(stem) {
		return true
	}
	return abbreviations[strings.ToLower(stem)]
}

// isDottedInitials reports whether s is a run of single letters separated
// by periods, without the final one: "U.S", "U.K", "D.C", "R".
func isDottedInitials(s string) bool {
	n := 0
	for i, r := range s {
		if i%2 == 0 {
			if !unicode.IsLetter(r) || r > unicode.MaxASCII {
				return false
			}
			n++
		} else if r != '.' {
			return false
		}
	}
	return n > 0 && len(s)%2 == 1
}

// splitGlued splits each line where a scraper glued two paragraphs
// together without a space, returning the parts as separate lines.
//
// The Moscow Times page reads "... since the early weeks of Russias
// full-scale invasion.Ukraine has warned that ...": the text of one <p>
// ran into the next. A boundary is a sentence end (". ! ?", optionally
// followed by a closing quote) directly followed by an upper-case letter
// that starts a word. It is not a boundary when the period belongs to an
// abbreviation or a name: "U.S.", "R.Politik" (a single initial before a
// name), "ID.3", "Mr.Smith". A single letter before the period is an
// initial unless the following word is one that starts sentences ("on
// X.He does not believe" is two sentences).
func splitGlued(lines []string) []string {
	var out []string
	for _, line := range lines {
		start := 0
		for i := 1; i < len(line)-1; i++ {
			c := line[i]
			if c != '.' && c != '!' && c != '?' {
				continue
			}
			j := i + 1
			for j < len(line) && strings.IndexByte("\"'", line[j]) >= 0 {
				j++
			}
			if k := closingQuoteLen(line[j:]); k > 0 {
				j += k
			}
			if j >= len(line) {
				break
			}
			r, _ := utf8.DecodeRuneInString(line[j:])
			if !unicode.IsUpper(r) {
				continue
			}
			if c == '.' && !gluedAfterPeriod(line[start:i], line[j:]) {
				continue
			}
			out = append(out, line[start:j])
			start = j
			i = j - 1
		}
		out = append(out, line[start:])
	}
	return out
}

// closingQuoteLen returns the byte length of a closing curly quote at the
// start of s, or 0.
func closingQuoteLen(s string) int {
	for _, q := range []string{"”", "’", "»"} {
		if strings.HasPrefix(s, q) {
			return len(q)
		}
	}
	return 0
}

// gluedAfterPeriod decides for "before.after" whether the period ends a
// sentence glued to the next one.
func gluedAfterPeriod(before, after string) bool {
	w := lastWord(before)
	w = strings.TrimLeft(w, "(\"'“‘")
	if w == "" {
		return false
	}
	// Both sides must be words of letters: "ID.3", "3.5" and "www.Site"
	// are not sentence ends.
	lr, _ := utf8.DecodeLastRuneInString(w)
	if !unicode.IsLetter(lr) && !strings.ContainsRune(")\"'”’", lr) {
		return false
	}
	if strings.Contains(w, ".") {
		// "U.S.President": dotted initials go on.
		if isDottedInitials(w) {
			return false
		}
		return !strings.Contains(strings.ToLower(w), "www")
	}
	if abbreviations[strings.ToLower(w)] {
		return false
	}
	next := firstWord(after)
	if utf8.RuneCountInString(w) == 1 {
		// An initial ("R.Politik", "J.Smith") unless a sentence
		// starts after it ("on X.He does not believe").
		return sentenceStarters[strings.ToLower(next)]
	}
	return true
}

// sentenceStarters are words that commonly begin a sentence; after a
// single letter and a period they show the period ends a sentence.
var sentenceStarters = set(`he she it they we i you the this that these those there
	a an but and so yet his her its their our my in on at for as if when while after
	before however meanwhile`)

func firstWord(s string) string {
	end := len(s)
	for i, r := range s {
		if !unicode.IsLetter(r) {
			end = i
			break
		}
	}
	return s[:end]
}

// countWords counts runs of letters and digits.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}
