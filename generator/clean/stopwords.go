package clean

import (
	"sort"
	"strings"
)

// stopwords holds, per language, the short function words that make up a
// large share of running prose and a small share of menus, bylines and
// link lists. The share of them in a block ("stopword density") is the main
// signal that a block is prose, as in jusText.
//
// The lists are short on purpose: the most frequent words are enough to
// tell prose from a list of names, and a long list would also match the
// content words of headlines.
var stopwords = map[string]map[string]bool{
	"en": set(`a about after all also an and any are as at be because been but by can could did
		do does for from had has have he her his how i if in into is it its just may more most my
		no not of on one or our out over she so some than that the their them then there these
		they this to up was we were what when where which while who will with would you your
		s t said says`),
	"de": set(`aber als am an auch auf aus bei bis das dass dem den der des die doch du ein eine
		einem einen einer es für hat hatte ich ihr im in ist ja kann man mit nach nicht noch nur
		oder sich sie sind so um und uns von vor war was wenn werden wie wir wird zu zum zur über`),
	"fr": set(`à au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur
		lui mais me même ne nous on ont ou par pas plus pour qu que qui sa se ses son sont sur
		un une vous été était être`),
	"es": set(`a al como con de del el ella en entre era es esta este fue ha hay la las le les
		lo los más mi muy no nos o para pero por que se sin sobre su sus también un una y ya`),
	"it": set(`a ad al alla anche che chi ci come con da dal dei del della di e è gli ha hanno
		i il in io la le lo ma mi nel nella non per più quando questo se si sono su tra un una`),
	"pt": set(`a ao aos as com como da das de do dos e é ela ele em entre era essa este foi há
		isso já mais mas na nas não no nos o os ou para pela pelo por que se sem seu sua são
		também um uma você`),
	"nl": set(`aan al als bij dat de den der die dit door een en er het hij hoe in is je kan maar
		met na naar niet nog of om onder ook op over te tot uit van voor was wat we werd wordt zal
		ze zich zijn`),
	"id": set(`ada adalah akan antara atau bahwa bisa dalam dan dari dengan di harus hanya ini
		itu jadi jangan jika juga kalau kami karena ke kita lebih mereka oleh orang pada para
		saat saja saya sangat seperti sebagai sudah tapi telah tetapi tidak untuk yang yg`),
	"ru": set(`а без бы был была были было в вы да для до его ее её если есть же за и из или
		их к как когда ли мы на не него нет но о об от по при с так также то только у уже что
		это я`),
	"uk": set(`а але в від для до з за і й у та це що як на не по про при що його її їх він
		вона вони ми ви був була було також`),
	"tr": set(`ama bir bu da daha de için ile ise kadar ki mi ne olan olarak sonra ve veya çok
		gibi her en`),
	"pl": set(`a ale bo być do i jak jest już na nie o od po przez się tak to w we z za że
		oraz jego jej ich który która które`),
}

func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// languages lists the languages of stopwords in a fixed order; a word's
// entry in lexicon has bit i set when it is a stopword of languages[i].
var languages = sortedKeys(stopwords)

// Flags of a word in lexicon, above the language bits.
const (
	endLabelWord uint32 = 1 << (24 + iota)
	appealWord
	askWord
	langBits = 1<<24 - 1
)

// lexicon maps a lower-case word to its language bits and flags, so that a
// block's words are looked up once for every list.
var lexicon = buildLexicon()

func buildLexicon() map[string]uint32 {
	m := make(map[string]uint32)
	for i, lang := range languages {
		for w := range stopwords[lang] {
			m[w] |= 1 << i
		}
	}
	for w := range endLabels {
		m[w] |= endLabelWord
	}
	for w := range appealWords {
		m[w] |= appealWord
	}
	for w := range askWords {
		m[w] |= askWord
	}
	return m
}

func sortedKeys(m map[string]map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
