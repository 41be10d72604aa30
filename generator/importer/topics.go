package importer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"digest/generator/clean"
	"digest/generator/content"
)

// minTopicScore is the least score of a primary topic that is not a
// guess: a keyword in the headline and another anywhere, or two in the
// lead.
const minTopicScore = 4

// maxBodyHits is how often one keyword counts in the body: a story that
// names the head of a delegation in every paragraph is not for that
// about delegations.
const maxBodyHits = 2

// findTopics scores each topic by its registry keywords. What a story is
// about is said in its headline and lead, so the primary topic is the one
// whose keywords the headline (three points each) and the lead paragraph
// (two points) use most, with the rest of the text (one point each, at
// most maxBodyHits per keyword) breaking ties; only when neither names
// any topic does the whole text decide, and then the topic is marked for
// review, as it is when the leader is tied or scores under
// minTopicScore. Photo captions do not count, and the lead is the first
// paragraph that is not one. Keywords match their word forms
// ("exchange" finds "exchanges" and "exchanged"; a keyword ending in "*"
// is a stem: "guarant*"), and where keywords overlap the longest one
// counts ("humanitarian corridors" is not "humanitarian"). Further topics
// are those scoring, over the whole text, at least two points and a third
// of the primary topic, at most four of them, highest first.
func findTopics(topics []*content.Topic, page clean.Page) (primary string, further []string, why string, sure bool) {
	type score struct {
		t          *content.Topic
		lead, body int
		hits       map[string]int
	}
	paras := withoutCaptions(page.Paragraphs)
	lead, rest := "", ""
	if len(paras) > 0 {
		lead = paras[0]
		rest = strings.Join(paras[1:], "\n")
	}
	var scores []*score
	for _, t := range topics {
		scores = append(scores, &score{t: t, hits: map[string]int{}})
	}
	if len(scores) == 0 {
		return "", nil, "the topics registry is empty", false
	}
	count := func(text string, weight, limit int, into func(*score) *int) {
		for i, kws := range keywordHits(topics, text) {
			for k, n := range kws {
				if limit > 0 {
					n = min(n, limit)
				}
				*into(scores[i]) += weight * n
				scores[i].hits[k] += n
			}
		}
	}
	count(page.Headline, 3, 0, func(s *score) *int { return &s.lead })
	count(lead, 2, 0, func(s *score) *int { return &s.lead })
	count(rest, 1, maxBodyHits, func(s *score) *int { return &s.body })

	hitList := func(s *score) string {
		var ks []string
		for k, n := range s.hits {
			ks = append(ks, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(ks)
		return strings.Join(ks, ", ")
	}
	byLead := append([]*score(nil), scores...)
	sort.SliceStable(byLead, func(i, j int) bool {
		a, b := byLead[i], byLead[j]
		if a.lead != b.lead {
			return a.lead > b.lead
		}
		return a.body > b.body
	})
	best := byLead[0]
	switch {
	case best.lead > 0:
		sure = (len(byLead) == 1 || best.lead > byLead[1].lead) && best.lead+best.body >= minTopicScore
		why = fmt.Sprintf("headline and lead %d, text %d: %s", best.lead, best.body, hitList(best))
		if len(byLead) > 1 && byLead[1].lead > 0 {
			why += fmt.Sprintf("; next %s %d", byLead[1].t.ID, byLead[1].lead)
		}
	default:
		sort.SliceStable(byLead, func(i, j int) bool { return byLead[i].body > byLead[j].body })
		best = byLead[0]
		if best.body == 0 {
			return best.t.ID, nil, "no topic keyword in the text", false
		}
		why = fmt.Sprintf("not in headline or lead; text %d: %s", best.body, hitList(best))
		if len(byLead) > 1 {
			why += fmt.Sprintf("; next %s %d", byLead[1].t.ID, byLead[1].body)
		}
	}
	total := func(s *score) int { return s.lead + s.body }
	sort.SliceStable(scores, func(i, j int) bool { return total(scores[i]) > total(scores[j]) })
	for _, sc := range scores {
		if sc != best && len(further) < 4 && total(sc) >= 2 && 3*total(sc) >= total(best) {
			further = append(further, sc.t.ID)
		}
	}
	return best.t.ID, further, why, sure
}

// keywordHits counts, per topic (by index) and keyword, the keywords in
// text. Longer keywords are matched first and the words they match are
// not matched again, so a phrase counts once, for its longest keyword.
func keywordHits(topics []*content.Topic, text string) []map[string]int {
	type kw struct {
		topic int
		word  string
		toks  [][]string // the keyword's words, and their other orders
	}
	var kws []kw
	for i, t := range topics {
		for _, k := range t.Keywords {
			if ws := keywordWords(k); len(ws) > 0 {
				kws = append(kws, kw{i, k, keywordOrders(ws)})
			}
		}
	}
	sort.SliceStable(kws, func(i, j int) bool { return len(kws[i].toks[0]) > len(kws[j].toks[0]) })
	out := make([]map[string]int, len(topics))
	for i := range out {
		out[i] = map[string]int{}
	}
	toks := tokens(text)
	taken := make([]bool, len(toks))
	for _, k := range kws {
		for _, order := range k.toks {
			for i := 0; i+len(order) <= len(toks); i++ {
				if matchAt(toks, i, order, taken) {
					for j := i; j < i+len(order); j++ {
						taken[j] = true
					}
					out[k.topic][k.word]++
				}
			}
		}
	}
	return out
}

// token is a word of a text: lower case, with whether it was written
// with a capital inside a run of capitalised words (part of a name:
// "European Political Community Summit").
type token struct {
	word   string
	inName bool
}

// tokens splits s into words at anything that is not a letter or a
// digit, so "cease-fire" and "cease fire" are the same words, and so are
// "leaders’ meeting" and "leaders' meeting".
func tokens(s string) []token {
	var out []token
	prevCap := false
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, _ := utf8.DecodeRuneInString(f)
		capital := unicode.IsUpper(r)
		out = append(out, token{word: strings.ToLower(f), inName: capital && prevCap})
		prevCap = capital
	}
	return out
}

// keywordWords splits a keyword as tokens splits text, keeping the "*"
// that marks a stem.
func keywordWords(k string) []string {
	return strings.FieldsFunc(strings.ToLower(k), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '*'
	})
}

// keywordOrders returns a keyword's words, and for "meeting between
// Putin and Zelensky" also "meeting between Zelensky and Putin".
func keywordOrders(words []string) [][]string {
	orders := [][]string{words}
	if n := len(words); n >= 3 && words[n-2] == "and" {
		swapped := append([]string(nil), words...)
		swapped[n-3], swapped[n-1] = swapped[n-1], swapped[n-3]
		orders = append(orders, swapped)
	}
	return orders
}

// inflections are the endings a keyword's word may take: plurals, past
// tenses and participles.
var inflections = []string{"s", "es", "ed", "d", "ing"}

// matchAt reports whether the keyword's words match the text's from i,
// none of them taken by a longer keyword and the last not part of a
// name ("Summit" in "European Political Community Summit" is a
// conference, not a meeting of leaders). A keyword word ending in "*" is
// a stem and matches any ending ("guarantor*"); others match with their
// inflections ("exchange" finds "exchanged", "exchanging").
func matchAt(toks []token, i int, kw []string, taken []bool) bool {
	for j, w := range kw {
		t := toks[i+j]
		if taken[i+j] || !wordMatches(t.word, w) {
			return false
		}
	}
	return !toks[i+len(kw)-1].inName || len(kw) > 1 && !toks[i].inName
}

func wordMatches(word, kw string) bool {
	if stem, ok := strings.CutSuffix(kw, "*"); ok {
		return strings.HasPrefix(word, stem)
	}
	if word == kw {
		return true
	}
	rest, ok := strings.CutPrefix(word, kw)
	if !ok {
		if base, e := strings.CutSuffix(kw, "e"); e && word == base+"ing" {
			return true
		}
		return false
	}
	for _, suf := range inflections {
		if rest == suf {
			return true
		}
	}
	return false
}

// captionRE marks a photo caption or credit: "©Cem Ozdel / Anadolu
// Agency via Getty Images", "(Photo: Olivier Matthys/EPA)", "Photo:
// Turkish Foreign Ministry / EPA-EFE", "[Murad Sezer/Reuters]", "Image
// source, Reuters", "/ AP".
var captionRE = regexp.MustCompile(`©|\(Photo\b|\bPhoto:|\bImage (?:source|caption)\b|\bvia Getty Images\b|\bGetty Images\b|\[[^\]]*/[^\]]*\]|/\s*(?:AP|AFP|Reuters|EPA(?:-EFE)?|Handout)\b\.?$|@\w+_official`)

// isCaption reports whether a paragraph is a photo caption.
func isCaption(p string) bool {
	// Every credit has one of these; most paragraphs have none.
	return strings.ContainsAny(p, "©@[/PGI") && captionRE.MatchString(p)
}

// withoutCaptions drops the photo captions from paragraphs.
func withoutCaptions(ps []string) []string {
	var out []string
	for _, p := range ps {
		if !isCaption(p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return ps
	}
	return out
}
