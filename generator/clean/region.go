package clean

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// selectArticle returns the range [first, last) of blocks that holds the
// article: the run of blocks whose summed weight is greatest, where prose
// weighs by its length and boilerplate against it (the maximum-sum
// subarray, as in Finn's body text extraction).
//
// A section label that follows articles ("Related Articles", "Comments")
// ends a run. Once a run long enough to be an article has been seen, a
// run after such a label must outweigh it several times over to replace
// it: the teasers and comments after the label are often longer than the
// article (the RT aggregator page prints three whole stories after
// "Related Articles"), while an article that a "Related" box interrupts
// near its start continues at length after it.
func selectArticle(blocks []*block) (first, last int) {
	best, sum, start := 0.0, 0.0, 0
	need := 0.0 // weight a run must exceed to become the best
	gap := 0    // boilerplate blocks in a row
	for i, b := range blocks {
		if b.label || b.appeal || startsStory(blocks, i) {
			if best >= articleWeight {
				need = best * afterLabelFactor
			}
			sum, start = 0, i+1
			continue
		}
		w := weight(b)
		if b.own == bad || b.own == short {
			// Each further block of a gap costs more: an article
			// survives a share bar or an advertisement between its
			// paragraphs, not a whole list of other stories.
			w *= 1 + float64(gap)/2
			gap++
		} else {
			gap = 0
		}
		sum += w
		if sum <= 0 {
			sum, start = 0, i+1
			continue
		}
		if sum > best && sum > need {
			best, first, last = sum, start, i+1
		}
	}
	return first, last
}

const (
	// articleWeight is the weight of a run long enough to be an
	// article: a few paragraphs.
	articleWeight = 400
	// afterLabelFactor is how many times heavier than the article so far
	// a run after an end label must be to replace it.
	afterLabelFactor = 3
)

// weight is a block's contribution to the article run.
func weight(b *block) float64 {
	switch b.own {
	case good:
		return float64(b.chars)
	case near:
		return 0.7 * float64(b.chars)
	case short:
		return -5
	}
	return -(15 + float64(min(b.chars, 200))/4)
}

// startsStory reports whether block i is a separator without words ("-",
// "•") followed by a headline: the next item of a list of stories. The
// Kyiv Independent page lists stories as "-" lines, each followed by a
// headline, and expands two of them: the article and, after it, the lead
// of an unrelated story.
func startsStory(blocks []*block, i int) bool {
	return blocks[i].words == 0 && i+1 < len(blocks) && headingLike(blocks[i+1])
}

// headingLike reports whether b reads like a headline: a few words, a
// capital first letter, and no full stop, colon or comma at the end (a
// question or exclamation mark is allowed, and so is a closing quote).
func headingLike(b *block) bool {
	if b.words < 3 || b.words > 30 || b.chars > 200 || b.label || b.appeal {
		return false
	}
	r, _ := utf8.DecodeRuneInString(b.text)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && !strings.ContainsRune("\"'“‘«", r) {
		return false
	}
	t := strings.TrimRight(b.text, "\"'”’»)")
	last, _ := utf8.DecodeLastRuneInString(t)
	return !strings.ContainsRune(".:,;…", last)
}

// findHeadline returns the index of the headline of the article that
// starts at block first (-1 if none), and moves first past it when the
// run begins with it (The Moscow Times page starts with its headline). The
// headline is the heading-like block closest before the article's first
// paragraph, skipping a few bylines and dates ("Russia Today6 days ago"),
// photo captions and notices that share no words with the lead; a
// headline printed twice (the RT aggregator prints it as a link and again
// as a heading) is preferred, and is one headline.
func findHeadline(blocks []*block, first, last int) (headline, newFirst int) {
	if first < last-1 && headingLike(blocks[first]) && !blocks[first].endsProse && blocks[first].chars < goodLength &&
		!isCaption(credited(blocks), blocks[first]) && !isConsent(blocks[first].text) && !isDateline(blocks[first].text) {
		return first, first + 1
	}
	credits := credited(blocks)
	type candidate struct {
		i       int
		shared  int // content words shared with the first paragraph
		printed bool
	}
	var cands []candidate
	for i, skipped := first-1, 0; i >= 0 && skipped <= maxMetaLines; i-- {
		b := blocks[i]
		if headingLike(b) && !isDateline(b.text) && !isCaption(credits, b) && !isConsent(b.text) {
			cands = append(cands, candidate{i, sharedWords(b.text, blocks[first].text), b.repeats > 0})
		}
		if b.words > 0 {
			skipped++
		}
	}
	// A headline shares words with its lead: when one candidate does
	// and others do not, the others are notices and labels (that the
	// article can be listened to, that it was made with a tool).
	minShared := 0
	for _, c := range cands {
		if c.shared >= minSharedWords {
			minShared = minSharedWords
		}
	}
	nearest := -1
	for _, c := range cands {
		if c.shared < minShared {
			continue
		}
		if c.printed {
			return c.i, first
		}
		if nearest < 0 {
			nearest = c.i
		}
	}
	return nearest, first
}

// minSharedWords is how many content words a headline shares with its
// lead for the others near it to be passed over.
const minSharedWords = 2

// sharedWords counts the words of at least four letters of a that b has,
// compared by their first five letters ("Russia", "Russian").
func sharedWords(a, b string) int {
	stem := func(w string) string {
		if r := []rune(w); len(r) > 5 {
			return string(r[:5])
		}
		return w
	}
	inB := map[string]bool{}
	eachWord(b, func(w string) {
		if len([]rune(w)) >= 4 {
			inB[stem(w)] = true
		}
	})
	n := 0
	seen := map[string]bool{}
	eachWord(a, func(w string) {
		if s := stem(w); len([]rune(w)) >= 4 && inB[s] && !seen[s] {
			seen[s] = true
			n++
		}
	})
	return n
}

// datelineWords mark a byline or a date line: "Russia Today6 days ago",
// "Updated on: November 19, 2019", "By Jamelle Bouie". Month names count
// only beside a number, and "by" only first, as headlines use both.
var (
	datelineWords = set(`ago updated published posted correspondent reporting`)
	timeWords     = set(`min read hours days minutes january february march april may june
		july august september october november december jan feb mar apr jun jul aug sep
		sept oct nov dec`)
)

// isDateline reports whether s reads like a byline or a date line. A
// month beside a number makes a date line only in a short line: a
// headline may name a date ("Third round of talks set for July 23,
// Zelensky says").
func isDateline(s string) bool {
	found, first, n := false, true, 0
	digits := strings.ContainsAny(s, "0123456789")
	dated := false
	eachWord(s, func(w string) {
		n++
		if datelineWords[w] || first && w == "by" {
			found = true
		}
		if digits && timeWords[w] {
			dated = true
		}
		first = false
	})
	return found || dated && n <= maxDateLineWords
}

// maxDateLineWords is the most words a date line has: "Tuesday, 29 March
// 2022, 19:04", an author's name and a reading time.
const maxDateLineWords = 9

// creditRE marks a photo credit: "©", "Photo:", "Getty Images", "Image
// source", or the photographer's handle ending the line ("...
// captivity. @V_Zelenskiy_official").
var creditRE = regexp.MustCompile(`©|\bPhoto:|\(Photo\b|Getty Images|\bImage (?:source|caption)\b|\s@\w+$`)

// credited returns the blocks that carry a photo credit.
func credited(blocks []*block) []*block {
	var out []*block
	for _, b := range blocks {
		if strings.ContainsAny(b.text, "©@PGI") && creditRE.MatchString(b.text) {
			out = append(out, b)
		}
	}
	return out
}

// isCaption reports whether b is a photo caption: it carries a credit,
// or a line with a credit repeats it ("Dmitry Peskov, Kremlin
// Spokesman" above "© APA | Dmitry Peskov, Kremlin Spokesman"); credits
// are the blocks that carry one.
func isCaption(credits []*block, b *block) bool {
	for _, o := range credits {
		if o == b || strings.Contains(o.text, b.text) {
			return true
		}
	}
	return false
}

// isConsent reports whether s is a cookie or privacy notice ("This
// website uses cookies ... OK"), which sits above many headlines.
func isConsent(s string) bool {
	l := strings.ToLower(s)
	return strings.Contains(l, "cookie") || strings.Contains(l, "privacy policy") || strings.Contains(l, "consent")
}

// maxMetaLines is how many lines (bylines, dates, share buttons) may stand
// between a headline and the article's first paragraph.
const maxMetaLines = 4

// keep returns the blocks of the article run that are article text: prose
// (good or near-good alone), and short blocks between prose, such as
// subheadings and datelines.
func keep(run []*block) []*block {
	var out []*block
	for i, b := range run {
		switch b.own {
		case good, near:
			out = append(out, b)
		case short:
			if neighbour(run, i, -1) != bad && neighbour(run, i, +1) != bad {
				out = append(out, b)
			}
		}
	}
	return out
}
