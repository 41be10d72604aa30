package render

import "strings"

// Scraped titles and outlet names sometimes carry bidirectional
// formatting characters: a right-to-left override (U+202E) left open in
// the page they were scraped from, or planted to make a title read as
// something else. Placed among other text, an override or embedding left
// open reverses everything after it up to the end of the paragraph: in a
// list entry, the date, outlet and phase that follow the title.
//
// Pages isolate such values with <bdi> elements, which end whatever the
// value opened. Text that has no elements (the page's <title>, feeds, the
// search index) gets BidiSafe.

// BidiSafe returns s without the bidirectional formatting characters that
// could reorder the text around it: an embedding or override (U+202A,
// U+202B, U+202D, U+202E) or isolate (U+2066–U+2068) that s opens and does
// not close, a closing U+202C or U+2069 that matches no opening in s, and
// directional marks (U+200E, U+200F, U+061C) at either end. Pairs opened
// and closed within s are kept: they reorder s only. Pairing follows the
// Unicode bidirectional algorithm: a U+2069 closes the embeddings opened
// after its isolate, and a U+202C cannot close an embedding opened before
// an isolate still open.
func BidiSafe(s string) string {
	if !hasBidi(s) {
		return s
	}
	type opening struct {
		at      int // byte offset in s
		isolate bool
	}
	var open []opening
	var drop []int // byte offsets of the characters to drop, unsorted
	for i, r := range s {
		switch r {
		case '\u202A', '\u202B', '\u202D', '\u202E':
			open = append(open, opening{i, false})
		case '\u2066', '\u2067', '\u2068':
			open = append(open, opening{i, true})
		case '\u202C':
			if n := len(open); n > 0 && !open[n-1].isolate {
				open = open[:n-1]
			} else {
				drop = append(drop, i)
			}
		case '\u2069':
			j := len(open) - 1
			for j >= 0 && !open[j].isolate {
				j--
			}
			if j < 0 {
				drop = append(drop, i)
			} else {
				open = open[:j]
			}
		}
	}
	for _, o := range open {
		drop = append(drop, o.at)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if !dropped(drop, i) {
			b.WriteRune(r)
		}
	}
	return strings.TrimFunc(b.String(), isBidiMark)
}

// dropped reports whether offset i is in drop; drop is short.
func dropped(drop []int, i int) bool {
	for _, d := range drop {
		if d == i {
			return true
		}
	}
	return false
}

func isBidiMark(r rune) bool { return r == '\u200E' || r == '\u200F' || r == '\u061C' }

// hasBidi reports whether s holds a bidirectional formatting character or
// mark. All of them but U+061C are E2 80 or E2 81 and one byte more in
// UTF-8; U+061C is D8 9C. Most text has none, and common punctuation
// (dashes, quotes) shares only the first byte.
func hasBidi(s string) bool {
	for i := 0; ; i++ {
		j := strings.IndexByte(s[i:], 0xE2)
		if j < 0 || i+j+2 >= len(s) {
			break
		}
		i += j
		c := s[i+2]
		switch s[i+1] {
		case 0x80:
			if c == 0x8E || c == 0x8F || 0xAA <= c && c <= 0xAE {
				return true
			}
		case 0x81:
			if 0xA6 <= c && c <= 0xA9 {
				return true
			}
		}
	}
	return strings.Contains(s, "\u061C")
}

// BidiSafe is the function BidiSafe, for layouts: {{.BidiSafe .Page.Title}}.
func (c *Context) BidiSafe(s string) string { return BidiSafe(s) }
