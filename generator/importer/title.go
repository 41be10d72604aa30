package importer

import (
	"regexp"
	"strings"

	"digest/generator/content"
)

// standfirstLike reports whether a headline reads like the sentence
// under one: a clause before a comma and a reported statement ("After
// the talks, X said that the exchange would continue"). Headlines drop
// "that" after verbs of saying, and start with their subject.
func standfirstLike(title string) bool {
	ws := words(title)
	if len(ws) < 8 {
		return false
	}
	for i := 0; i+1 < len(ws); i++ {
		switch ws[i] {
		case "said", "says", "stated", "told", "noted", "added":
			if ws[i+1] == "that" {
				return true
			}
		}
	}
	first, _, found := strings.Cut(title, ",")
	opening := strings.Fields(first)
	return found && len(opening) > 0 && len(opening) <= 4 && weakStart[strings.ToLower(opening[0])]
}

// weakStart are words a standfirst's opening clause starts with.
var weakStart = set(`after before during following while when as on in`)

// leadForTitle returns the first paragraph that is neither a photo
// caption nor a bare wire dateline ("MOSCOW, June 16. /TASS/."), with a
// dateline that opens it cut off.
func leadForTitle(paras []string) string {
	ps := withoutCaptions(paras)
	for _, p := range ps {
		if loc := datelineRE.FindStringIndex(p); loc != nil {
			rest := strings.TrimLeft(p[loc[1]-1:], " .-–—(")
			rest = agencyRE.ReplaceAllString(rest, "")
			p = strings.TrimSpace(rest)
		}
		if len(strings.Fields(p)) >= 3 {
			return p
		}
	}
	return ps[0]
}

// agencyRE is the agency's mark after a dateline: "/TASS/.", "(Reuters) -",
// "(Xinhua) --".
var agencyRE = regexp.MustCompile(`^\s*(?:/[^/]{1,20}/\.?|\([A-Za-z ]{1,20}\)\s*[-–—]*)\s*`)

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
// ("It’s" gives "its", not "it-s") and with Latin letters with
// diacritics and Cyrillic letters spelled in ASCII ("Çırağan" gives
// "ciragan", "переговоры" gives "peregovory"), cut at a word to at most slugLength
// characters and without a trailing function word.
func slug(title string) string {
	title = strings.NewReplacer("'", "", "’", "", "‘", "").Replace(title)
	s := content.Slugify(transliterate(title))
	parts := strings.Split(s, "-")
	for len(parts) > 1 && (len(strings.Join(parts, "-")) > slugLength || weakEnd[parts[len(parts)-1]]) {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "-")
}

const slugLength = 64

// transliterate spells the letters of s that Slugify would drop in ASCII:
// Latin letters with diacritics by their base letter, Cyrillic (Russian
// and Ukrainian) by a common romanisation. Other letters are kept.
func transliterate(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := latinBase[r]; ok {
			b.WriteString(t)
		} else if t, ok := cyrillic[r]; ok {
			b.WriteString(t)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// latinBase maps lower-case Latin letters with diacritics to ASCII.
var latinBase = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥħ",
		"i": "ìíîïĩīĭįİ", "j": "ĵ", "k": "ķ", "l": "ĺļľŀ", "n": "ñńņňŉ", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// cyrillic maps lower-case Russian and Ukrainian letters to ASCII.
var cyrillic = func() map[rune]string {
	m := map[rune]string{}
	pairs := []string{"а", "a", "б", "b", "в", "v", "г", "g", "ґ", "g", "д", "d", "е", "e", "ё", "e", "є", "ye",
		"ж", "zh", "з", "z", "и", "i", "і", "i", "ї", "yi", "й", "y", "к", "k", "л", "l", "м", "m", "н", "n",
		"о", "o", "п", "p", "р", "r", "с", "s", "т", "t", "у", "u", "ф", "f", "х", "kh", "ц", "ts", "ч", "ch",
		"ш", "sh", "щ", "shch", "ъ", "", "ы", "y", "ь", "", "э", "e", "ю", "yu", "я", "ya"}
	for i := 0; i+1 < len(pairs); i += 2 {
		r := []rune(pairs[i])[0]
		m[r] = pairs[i+1]
	}
	return m
}()
