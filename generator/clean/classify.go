package clean

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is the verdict on a block.
type class uint8

const (
	bad   class = iota // boilerplate
	short              // too short to judge alone; kept between prose
	near               // prose, but short or poor in stopwords
	good               // article text
)

// block is one line of the page with the measures the classifier uses.
type block struct {
	text      string
	chars     int     // runes
	words     int     // runs of letters and digits
	density   float64 // share of words that are stopwords of the page's language
	labelHits int     // words of endLabels
	appeals   int     // words of appealWords
	asks      int     // words of askWords
	sentences int     // sentence ends inside the block
	endsProse bool    // ends like a sentence: . ! ? … or a closing quote
	capsShare float64 // share of words starting with an upper-case letter
	repeats   int     // how many other blocks have the same text
	label     bool    // a section label that follows articles: "Related Articles"
	appeal    bool    // addresses the reader to ask for something: "we need your help"
	noLang    bool    // the page's language has no stopword list; density says nothing
	own       class   // judged alone
	stops     []int   // stopword hits per language, in the order of languages
}

// Thresholds, after jusText's defaults, measured in runes.
const (
	lengthLow     = 70   // below, without sentences: short
	stopLow       = 0.30 // at least, whatever the shape: near-good
	goodLength    = 150  // prose at least this long ...
	goodDensity   = 0.25 // ... with this share of stopwords: good
	nearLength    = 50   // prose at least this long ...
	nearDensity   = 0.15 // ... with this share of stopwords: near-good
	noLangDensity = 0.05 // below this over the whole page, stopwords say nothing
)

// makeBlocks measures each non-empty line as a block and judges it alone.
func makeBlocks(lines []string) []*block {
	counts := make(map[string]int)
	for _, l := range lines {
		if l != "" {
			counts[l]++
		}
	}
	var blocks []*block
	for _, l := range lines {
		if l == "" {
			continue
		}
		b := &block{text: l, chars: utf8.RuneCountInString(l), repeats: counts[l] - 1}
		measure(b)
		blocks = append(blocks, b)
	}
	setLanguage(blocks)
	for _, b := range blocks {
		b.own = ownClass(b)
	}
	return blocks
}

// eachWord calls f with each lower-cased word of s.
func eachWord(s string, f func(string)) {
	start := -1
	for i, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case w && start < 0:
			start = i
		case !w && start >= 0:
			f(lowerASCII(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		f(lowerASCII(s[start:]))
	}
}

// lowerASCII lower-cases s, without allocating when it already is.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	return s
}

// measure fills in a block's measures except density, which depends on
// the page's language (see setLanguage).
func measure(b *block) {
	b.stops = make([]int, len(languages))
	b.words = 0
	eachWord(b.text, func(w string) {
		b.words++
		f := lexicon[w]
		if f == 0 {
			return
		}
		for i := range languages {
			if f&(1<<i) != 0 {
				b.stops[i]++
			}
		}
		if f&endLabelWord != 0 {
			b.labelHits++
		}
		if f&appealWord != 0 {
			b.appeals++
		}
		if f&askWord != 0 {
			b.asks++
		}
	})
	caps := 0
	atStart := true
	for _, r := range b.text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if atStart && unicode.IsUpper(r) {
				caps++
			}
			atStart = false
			continue
		}
		atStart = true
	}
	if b.words > 0 {
		b.capsShare = float64(caps) / float64(b.words)
	}
	b.sentences = countSentences(b.text)
	b.endsProse = endsLikeProse(b.text)
	b.label = isLabel(b)
	b.appeal = isAppeal(b)
}

// setLanguage guesses the page's language from which stopword list matches
// most of its words and sets each block's density for it. When no list
// matches enough (Korean, Chinese, a page of names), blocks are marked
// noLang and judged by their shape alone.
func setLanguage(blocks []*block) {
	hits := make([]int, len(languages))
	total := 0
	for _, b := range blocks {
		total += b.words
		for i, n := range b.stops {
			hits[i] += n
		}
	}
	best := 0
	for i, n := range hits {
		if n > hits[best] {
			best = i
		}
	}
	noLang := total == 0 || float64(hits[best]) < noLangDensity*float64(total)
	for _, b := range blocks {
		b.noLang = noLang
		if b.words > 0 && !noLang {
			b.density = float64(b.stops[best]) / float64(b.words)
		}
	}
}

// countSentences counts sentence ends: . ! ? … followed by a space or the end.
func countSentences(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
			if i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '"' || s[i+1] == '\'' || s[i+1] >= utf8.RuneSelf {
				n++
			}
		}
	}
	return n
}

// endsLikeProse reports whether s ends with sentence punctuation, perhaps
// followed by a closing quote or bracket.
func endsLikeProse(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)]")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…。", r)
}

// endLabels are the words of the section labels that follow an article on
// most news sites: after them come other stories or readers' comments,
// however much they read like prose. The RT aggregator page ends the
// article with "Comments" and "Related Articles" followed by whole teaser
// stories; a MacRumors page has "Related Roundup: MacBook Pro" and then
// its readers' comments. Labels like "Advertisement" or "Read more" also
// appear inside articles and so are not on the list.
var endLabels = set(`related comments comment recommended kommentare ähnliche
	comentários relacionadas relacionados comentarios commenti correlati commentaires
	связанные комментарии похожие`)

// isLabel reports whether b is a short heading naming a section that
// follows an article ("Related Articles", "Comments").
func isLabel(b *block) bool {
	// "New, 6 comments" in a byline counts comments; it is not a section.
	if len(b.text) > 40 || b.endsProse || strings.ContainsAny(b.text, "0123456789") {
		return false
	}
	return b.labelHits > 0 && b.words <= 4
}

// appealWords are the words of a site speaking to its readers: the
// pronouns of "we ask you" and the verbs of what it asks.
var appealWords = set(`we our us you your dear reader readers subscribe subscriber subscribers
	subscription donate donation donations contribute contribution support newsletter
	membership help`)

// askWords are the appealWords that are not pronouns: an appeal asks for
// something, where a quote in the article may merely say "we" and "you".
var askWords = set(`dear reader readers subscribe subscriber subscribers subscription
	donate donation donations contribute contribution support newsletter membership help`)

// isAppeal reports whether b is a site's appeal to its readers: dense in
// "we", "you" and what is asked of them. The Moscow Times ends each
// article with "A Message from The Moscow Times: Dear readers, We are
// facing unprecedented challenges ... we need your help"; news sites
// generally end theirs with newsletter and subscription boxes.
func isAppeal(b *block) bool {
	return b.asks > 0 && float64(b.appeals) >= appealDensity*float64(b.words)
}

// appealDensity is the share of appealWords that makes a block an appeal.
const appealDensity = 0.2

// neighbour returns the class of the nearest block before (dir -1) or after
// (dir +1) block i that is not short. The edges count as bad.
func neighbour(blocks []*block, i, dir int) class {
	for j := i + dir; j >= 0 && j < len(blocks); j += dir {
		if c := blocks[j].own; c != short {
			return c
		}
	}
	return bad
}

// ownClass judges a block alone.
//
// Prose is what an article is made of: sentences, with the function words
// of the page's language. Menus, bylines, dates and link lists lack one or
// both. The thresholds are lower than jusText's because its stopword lists
// are long and ours are short, and because text loses the markup that
// tells a heading from a paragraph.
func ownClass(b *block) class {
	prosey := b.sentences > 0 || b.endsProse
	density := b.density
	if b.noLang && prosey {
		// No stopword list for this language: sentence shape alone.
		density = stopLow
	}
	switch {
	case b.words == 0, b.label, b.appeal:
		return bad
	case b.repeats > 0:
		// A line printed twice is a menu entry, a headline or a notice
		// (a cookie banner in a pop-up and again in the footer), not a
		// paragraph of the article.
		return bad
	case b.chars < lengthLow && !prosey:
		if linkLike(b) {
			return bad
		}
		return short
	case prosey && b.chars >= goodLength && density >= goodDensity:
		return good
	case prosey && b.chars >= nearLength && density >= nearDensity:
		return near
	case b.chars < lengthLow:
		return short
	case density >= stopLow:
		return near
	}
	return bad
}

// linkLike reports whether a short block reads like the text of a link: no
// sentence punctuation and most words capitalised ("Privacy Policy",
// "Merchandise (Peace Series)").
func linkLike(b *block) bool {
	return b.sentences == 0 && !b.endsProse && b.capsShare >= 0.6 && b.words <= 8
}
