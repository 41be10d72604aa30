// Package corpus writes synthetic digest sites for benchmarks.
//
// Write(dir, n, seed) lays out a complete site under dir: the four
// registries (content/site.yaml, topics.yaml, rounds.yaml, sources.yaml) and
// n articles in content/articles/<slug>.md, each about 1,000 words of
// markdown (paragraphs, headings, lists, a quote, links, emphasis) with the
// digest's front matter.
//
// The articles are spread like real coverage: over the shipped topics
// (a primary topic, sometimes further ones), over a dozen outlets (by name
// or alias), and over dates clustered around the rounds: the lead-up, the
// talks and the aftermath, with a tenth of the articles far from any round.
// Most articles leave the round to the round rule; some name it, a few say
// "none".
//
// The output is a function of (n, seed) alone: each article draws from its
// own generator seeded by (seed, index), so articles can be written in
// parallel and the same call always writes the same bytes.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Write writes a synthetic site of n articles under dir, creating
// dir/content and dir/content/articles. Existing files of the same names
// are overwritten; other files are left alone.
func Write(dir string, n int, seed int64) error {
	if n < 0 {
		return fmt.Errorf("corpus: negative article count %d", n)
	}
	articles := filepath.Join(dir, "content", "articles")
	if err := os.MkdirAll(articles, 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, f := range registries() {
		if err := os.WriteFile(filepath.Join(dir, "content", f.name), []byte(f.data), 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}

	// Workers take batches of article indices; each article has its own
	// generator, so the bytes do not depend on which worker writes them.
	const batch = 256
	starts := make(chan int)
	errs := make([]error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for k := range errs {
		wg.Go(func() {
			var buf bytes.Buffer
			for start := range starts {
				if errs[k] != nil {
					continue
				}
				for i := start; i < min(start+batch, n); i++ {
					buf.Reset()
					slug := WriteArticle(&buf, i, seed)
					path := filepath.Join(articles, slug+".md")
					if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
						errs[k] = fmt.Errorf("corpus: %w", err)
						break
					}
				}
			}
		})
	}
	for start := 0; start < n; start += batch {
		starts <- start
	}
	close(starts)
	wg.Wait()
	return errors.Join(errs...)
}

// WriteArticle appends article number i of the corpus with the given seed
// to buf, front matter and body, and returns its slug.
func WriteArticle(buf *bytes.Buffer, i int, seed int64) string {
	w := &writer{
		rng: rand.New(rand.NewPCG(uint64(seed), uint64(i))),
		buf: buf,
	}
	return w.article(i)
}

// writer composes one article from one generator.
type writer struct {
	rng *rand.Rand
	buf *bytes.Buffer
}

// pick returns a random element of list.
func pick[T any](rng *rand.Rand, list []T) T {
	return list[rng.IntN(len(list))]
}

// article writes the front matter and body of article i and returns its slug.
func (w *writer) article(i int) string {
	top := pick(w.rng, topics)
	source := pick(w.rng, sources)
	date, round := w.date()
	title := w.title(top)
	slug := fmt.Sprintf("%s-%s-%d", date.Format("2006-01-02"), slugify(title, 6), i)

	b := w.buf
	b.WriteString("---\n")
	fmt.Fprintf(b, "title: %q\n", title)
	name := source.Name
	if len(source.Aliases) > 0 && w.rng.IntN(4) == 0 {
		name = pick(w.rng, source.Aliases)
	}
	fmt.Fprintf(b, "source: %q\n", name)
	fmt.Fprintf(b, "date: %s\n", date.Format("2006-01-02"))
	fmt.Fprintf(b, "topic: %s\n", top.id)
	if extra := w.furtherTopics(top); len(extra) > 0 {
		fmt.Fprintf(b, "topics: [%s]\n", strings.Join(extra, ", "))
	}
	switch r := w.rng.IntN(100); {
	case round == "" && r < 30:
		b.WriteString("round: none\n")
	case round != "" && r < 15:
		fmt.Fprintf(b, "round: %s\n", round)
	}
	fmt.Fprintf(b, "url: %s%s/%s\n", source.Homepage, date.Format("2006/01/02"), slugify(title, 8))
	if w.rng.IntN(10) == 0 {
		fmt.Fprintf(b, "author: %q\n", pick(w.rng, authors))
	}
	b.WriteString("---\n\n")
	w.body(top)
	return slug
}

// date draws an article's date: nine in ten cluster around a round, from
// 30 days before it to 10 days after; the rest fall between 2022 and 2026
// at least 40 days from every round. It returns the round the date is near,
// or "" when it is near none.
func (w *writer) date() (time.Time, string) {
	if w.rng.IntN(10) > 0 {
		r := rounds[w.pickRound()]
		offset := w.rng.IntN(41) - 30
		return r.date.AddDate(0, 0, offset), r.id
	}
	for {
		d := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, w.rng.IntN(4*365))
		if !nearRound(d, 40) {
			return d, ""
		}
	}
}

// pickRound returns the index of a round, weighted towards the 2025 rounds,
// which drew most of the coverage.
func (w *writer) pickRound() int {
	switch r := w.rng.IntN(100); {
	case r < 10:
		return 0
	case r < 45:
		return 1
	case r < 70:
		return 2
	default:
		return 3
	}
}

// nearRound reports whether d lies within days of any round's date.
func nearRound(d time.Time, days int) bool {
	for _, r := range rounds {
		gap := d.Sub(r.date).Hours() / 24
		if gap > -float64(days) && gap < float64(days) {
			return true
		}
	}
	return false
}

// furtherTopics returns zero to two topic ids other than primary.
func (w *writer) furtherTopics(primary *topic) []string {
	var ids []string
	for range w.rng.IntN(5) / 2 { // 0, 0, 1, 1, 2
		t := pick(w.rng, topics)
		if t == primary || contains(ids, t.id) {
			continue
		}
		ids = append(ids, t.id)
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// title draws a headline about topic.
func (w *writer) title(t *topic) string {
	subject := pick(w.rng, t.subjects)
	return fmt.Sprintf("%s %s %s", subject, pick(w.rng, verbs), pick(w.rng, titleEnds))
}

// body writes about 1,000 words of markdown: an opening paragraph, then
// sections under "##" headings holding paragraphs, sometimes a list or a
// quote.
func (w *writer) body(t *topic) {
	words := 0
	words += w.paragraph(t)
	for section := 0; words < 1000; section++ {
		fmt.Fprintf(w.buf, "## %s\n\n", capitalize(pick(w.rng, headings)))
		for p := 0; p < 2+w.rng.IntN(2) && words < 1000; p++ {
			words += w.paragraph(t)
		}
		switch w.rng.IntN(4) {
		case 0:
			words += w.list(t)
		case 1:
			words += w.quote(t)
		}
	}
}

// paragraph writes a paragraph of three to six sentences and returns its
// word count.
func (w *writer) paragraph(t *topic) int {
	words := 0
	for s := 0; s < 3+w.rng.IntN(4); s++ {
		if s > 0 {
			w.buf.WriteByte(' ')
		}
		words += w.sentence(t)
	}
	w.buf.WriteString("\n\n")
	return words
}

// sentence writes one sentence of 10 to 24 words, mixing common words with
// the topic's keywords, now and then emphasised or linked.
func (w *writer) sentence(t *topic) int {
	n := 10 + w.rng.IntN(15)
	for i := range n {
		if i > 0 {
			if i > 3 && i < n-2 && w.rng.IntN(12) == 0 {
				w.buf.WriteString(", ")
			} else {
				w.buf.WriteByte(' ')
			}
		}
		word := pick(w.rng, common)
		if w.rng.IntN(8) == 0 {
			word = pick(w.rng, t.keywords)
		}
		if i == 0 {
			word = capitalize(word)
		}
		switch w.rng.IntN(60) {
		case 0:
			fmt.Fprintf(w.buf, "*%s*", word)
		case 1:
			fmt.Fprintf(w.buf, "**%s**", word)
		case 2:
			fmt.Fprintf(w.buf, "[%s](https://%s.example/%s)", word, pick(w.rng, linkHosts), slugify(word, 1))
		default:
			w.buf.WriteString(word)
		}
	}
	w.buf.WriteByte('.')
	return n
}

// list writes a bulleted or numbered list of three to five short items and
// returns its word count.
func (w *writer) list(t *topic) int {
	words := 0
	numbered := w.rng.IntN(3) == 0
	for i := range 3 + w.rng.IntN(3) {
		if numbered {
			fmt.Fprintf(w.buf, "%d. ", i+1)
		} else {
			w.buf.WriteString("- ")
		}
		n := 4 + w.rng.IntN(6)
		for j := range n {
			if j > 0 {
				w.buf.WriteByte(' ')
			}
			word := pick(w.rng, common)
			if j == 0 {
				word = capitalize(pick(w.rng, t.keywords))
			}
			w.buf.WriteString(word)
		}
		w.buf.WriteByte('\n')
		words += n
	}
	w.buf.WriteByte('\n')
	return words
}

// quote writes a block quote of one or two sentences attributed to a
// speaker and returns its word count.
func (w *writer) quote(t *topic) int {
	w.buf.WriteString("> ")
	words := w.sentence(t)
	if w.rng.IntN(2) == 0 {
		w.buf.WriteByte(' ')
		words += w.sentence(t)
	}
	fmt.Fprintf(w.buf, "\n>\n> — %s\n\n", pick(w.rng, speakers))
	return words + 2
}

// capitalize upper-cases the first letter of an ASCII word.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// asciiFold spells the non-ASCII letters of the word lists in ASCII.
var asciiFold = strings.NewReplacer("ç", "c", "ı", "i", "ğ", "g", "ş", "s", "ö", "o", "ü", "u", "é", "e")

// slugify turns the first max words of s into lowercase ASCII letters and
// digits joined by hyphens; Turkish letters are folded to ASCII, other
// characters dropped.
func slugify(s string, max int) string {
	var b strings.Builder
	words := 0
	for _, field := range strings.Fields(s) {
		var word strings.Builder
		for _, r := range asciiFold.Replace(strings.ToLower(field)) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				word.WriteRune(r)
			}
		}
		if word.Len() == 0 {
			continue
		}
		if words > 0 {
			b.WriteByte('-')
		}
		b.WriteString(word.String())
		if words++; words == max {
			break
		}
	}
	if b.Len() == 0 {
		return "article"
	}
	return b.String()
}
