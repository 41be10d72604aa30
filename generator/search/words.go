package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Words calls fn for each word of s, in order, with its byte offsets in s
// and its folded form (see Fold). A word is a run of letters, digits and
// combining marks; everything else separates words. search.js splits the
// same way (/[\p{L}\p{N}\p{M}]+/u), so the page finds in a text exactly the
// words the index was built from.
func Words(s string, fn func(folded string, start, end int)) {
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(Fold(s[start:i]), start, i)
			start = -1
		}
	}
	if start >= 0 {
		fn(Fold(s[start:]), start, len(s))
	}
}

// Fold returns a word as the index keeps it: lowercase, with accents and
// other marks taken off Latin letters (Türkiye and Turkiye are one word,
// Erdoğan and Erdogan too). It does not apply spelling variants; see
// Spellings.Canon. search.js folds with NFD normalisation, dropping marks,
// and the same few letters NFD leaves whole (ı ø ß æ œ ł đ þ).
func Fold(w string) string {
	plain := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			plain = false
			break
		}
	}
	if plain {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if unicode.IsMark(r) {
			continue
		}
		r = unicode.ToLower(r)
		if f, ok := latin[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// latin maps the lowercase Latin letters with marks to their bases, as NFD
// decomposition would, plus the letters that do not decompose.
var latin = func() map[rune]string {
	m := map[rune]string{}
	for _, g := range []struct{ letters, base string }{
		{"àáâãäåāăą", "a"}, {"çćĉċč", "c"}, {"ďđ", "d"}, {"èéêëēĕėęě", "e"},
		{"ĝğġģ", "g"}, {"ĥħ", "h"}, {"ìíîïĩīĭįı", "i"}, {"ĵ", "j"}, {"ķ", "k"},
		{"ĺļľŀł", "l"}, {"ñńņňŉ", "n"}, {"òóôõöōŏőø", "o"}, {"ŕŗř", "r"},
		{"śŝşšș", "s"}, {"ţťŧț", "t"}, {"ùúûüũūŭůűų", "u"}, {"ŵ", "w"},
		{"ýÿŷ", "y"}, {"źżž", "z"}, {"ß", "ss"}, {"æ", "ae"}, {"œ", "oe"}, {"þ", "th"},
	} {
		for _, r := range g.letters {
			m[r] = g.base
		}
	}
	return m
}()
