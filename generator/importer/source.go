package importer

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"digest/generator/clean"
	"digest/generator/content"
)

// findSource names the outlet. The address's host decides first: a
// source whose domains hold it (a subdomain counts) is the outlet, sure.
// Otherwise signatures decide. They come from the sources
// registry: each source's name, aliases and homepage host. Where one
// appears matters. It signs the page on a line that is the name with at
// most a time beside it ("Russia Today6 days ago", "- Russia Today": the
// aggregator's bylines), or on a line where the site speaks of itself
// ("We, the journalists of The Moscow Times", "A Message from The Moscow
// Times"). Elsewhere a name is a source cited ("according to the Interfax
// news agency", "..., Reuters reports") and does not count. With no
// signature, the spelling of Ukrainian place names (Kyiv or Kiev) hints at
// the outlet's country, and the first registered source of that country is
// proposed, to be reviewed.
func findSource(site *content.Site, pageURL, raw string, page clean.Page) (name, why string, sure bool) {
	if host := hostOf(pageURL); host != "" {
		for _, src := range site.Sources {
			for _, d := range src.Domains {
				d = strings.ToLower(strings.TrimPrefix(d, "www."))
				if host == d || strings.HasSuffix(host, "."+d) {
					return src.Name, "the address is on " + d, true
				}
			}
		}
	}
	type score struct {
		src   *content.Source
		n     int
		lines []string
	}
	var scores []score
	lines := strings.Split(raw, "\n")
	lower := make([]string, len(lines))
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
		lower[i] = strings.ToLower(lines[i])
	}
	for _, src := range site.Sources {
		sc := score{src: src}
		sigs := signatures(src)
		for i, line := range lines {
			for _, sig := range sigs {
				// The cheap test first: most lines name no outlet.
				if !strings.Contains(lower[i], strings.ToLower(sig)) {
					continue
				}
				if containsWord(line, sig) > 0 && (bylineOf(line, sig) || len(line) <= maxOwnVoice && speaksOfItself(line)) {
					sc.n++
					if len(sc.lines) < 2 {
						sc.lines = append(sc.lines, quote(line))
					}
					break
				}
			}
		}
		if sc.n > 0 {
			scores = append(scores, sc)
		}
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].n > scores[j].n })
	if len(scores) > 0 && (len(scores) == 1 || scores[0].n >= 2*scores[1].n) {
		return scores[0].src.Name, "signed " + strings.Join(scores[0].lines, ", "), true
	}
	if len(scores) > 1 {
		return scores[0].src.Name, fmt.Sprintf("signatures of %s and %s", scores[0].src.Name, scores[1].src.Name), false
	}
	if name := selfNamed(lines); name != "" {
		if src := site.FindSource(name); src != nil {
			return src.Name, fmt.Sprintf("the page names itself %q", name), true
		}
		return name, fmt.Sprintf("the page names itself %q, an outlet not in %s", name, content.SourcesFile), false
	}
	country, spelled := spellingCountry(strings.Join(page.Paragraphs, "\n"))
	for _, src := range site.Sources {
		if country != "" && strings.EqualFold(src.Country, country) {
			return src.Name, fmt.Sprintf("no outlet named on the page; %s spelling suggests %s", spelled, country), false
		}
	}
	return "unknown", "no outlet named on the page", false
}

// maxOwnVoice is the longest line read as the site speaking of itself:
// an appeal or a footer, not a paragraph quoting someone's "we".
const maxOwnVoice = 200

// bylineOf reports whether line is sig with at most a time, bullets and
// punctuation beside it.
func bylineOf(line, sig string) bool {
	i := strings.Index(strings.ToLower(line), strings.ToLower(sig))
	rest := line[:i] + " " + line[i+len(sig):]
	for _, w := range strings.FieldsFunc(rest, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 && r != '•' && r != '–' && r != '—')
	}) {
		switch strings.ToLower(w) {
		case "ago", "time", "min", "mins", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "by", "via", "from", "updated", "published", "source":
		default:
			return false
		}
	}
	return true
}

// speaksOfItself reports whether a line is written in the site's own
// voice: first person plural, or addressed to its readers.
func speaksOfItself(line string) bool {
	// Case matters: "US" is a country, "us" a pronoun.
	for _, w := range strings.FieldsFunc(line, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		switch w {
		case "we", "We", "our", "Our", "us", "you", "You", "your", "Your", "youre", "you're", "you’re":
			return true
		}
	}
	return strings.HasPrefix(line, "A Message from ") || strings.Contains(line, "©")
}

// signatures are the strings that name a source on a page.
func signatures(src *content.Source) []string {
	sigs := append([]string{src.Name}, src.Aliases...)
	if h := src.Homepage; h != "" {
		h = strings.TrimPrefix(strings.TrimPrefix(h, "https://"), "http://")
		h = strings.TrimPrefix(strings.TrimSuffix(h, "/"), "www.")
		sigs = append(sigs, h)
	}
	var out []string
	for _, s := range sigs {
		if utf8.RuneCountInString(s) >= 2 {
			out = append(out, s)
		}
	}
	return out
}

// selfNamed returns the name of an outlet missing from the registry when
// the page names itself: "A Message from The Moscow Times:", "© 2019 CBS
// Interactive Inc.".
func selfNamed(lines []string) string {
	for _, line := range lines {
		line = strings.TrimSpace(line)
		for _, prefix := range []string{"A Message from ", "Copyright © ", "© ", "Copyright "} {
			if _, rest, ok := strings.Cut(line, prefix); ok {
				rest = strings.TrimLeft(rest, "0123456789 ")
				rest, _, _ = strings.Cut(rest, ":")
				rest, _, _ = strings.Cut(rest, ". ")
				rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
				// "© Anadolu Ajansı 2025", "© 2025 Reuters. All rights reserved"
				rest = strings.TrimSpace(strings.TrimRight(rest, "0123456789–- "))
				rest, _, _ = strings.Cut(rest, " All rights")
				rest = strings.TrimSuffix(strings.TrimSpace(rest), ".")
				if n := len(strings.Fields(rest)); n > 0 && n <= 5 {
					return rest
				}
			}
		}
	}
	return ""
}

// spellingCountry tells from how a text spells Ukrainian place names
// whether it follows Ukrainian usage (Kyiv, Kharkiv, Odesa) or Russian
// (Kiev, Kharkov, Odessa): Russian state media keep the latter.
func spellingCountry(text string) (country, spelled string) {
	ua, ru := 0, 0
	for _, w := range []string{"Kyiv", "Kharkiv", "Odesa", "Lviv", "Luhansk", "Chernihiv", "Mykolaiv"} {
		ua += containsWord(text, w)
	}
	for _, w := range []string{"Kiev", "Kharkov", "Lugansk", "Chernigov", "Nikolaev", "Lvov"} {
		ru += containsWord(text, w)
	}
	switch {
	case ua > 2*ru && ua >= 2:
		return "Ukraine", "the Ukrainian"
	case ru > 2*ua && ru >= 2:
		return "Russia", "the Russian"
	}
	return "", ""
}

// hostOf returns the lower-case host of an address without "www.", or
// "".
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
