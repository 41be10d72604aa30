// Package clean turns a raw scraped page into the paragraphs of its article.
//
// A raw page is the visible text of a web page saved as plain text, one
// block of markup per line: navigation, headlines of other stories, bylines,
// comment widgets and donation appeals around the article, sometimes with
// paragraphs glued together or sentences broken across lines. Clean keeps
// the article's paragraphs, in order, and nothing else.
//
// The method follows jusText and boilerpipe, with text standing in for the
// markup those tools read. Each line is a block, judged by what it is:
// its length, whether it is made of sentences, its density of stopwords
// (the page's language is guessed from them), whether it repeats elsewhere
// on the page, and whether it reads like a link or a label. The article is
// then the run of blocks where prose most outweighs boilerplate (a
// maximum-sum run, as in body text extraction); within it, prose is kept
// and blocks too short to judge are kept between prose. Labels that end
// articles ("Related Articles", "Comments") and appeals to readers bound
// the run, so that teasers of other stories and donation boxes are left
// out however much they read like prose.
//
// Every function here is pure: text in, text out, no I/O. Any input is
// valid; the worst case is an empty result.
package clean

// Page is what Extract finds in a raw page.
type Page struct {
	// Headline is the page's headline as printed (once, even when the page
	// prints it twice), or "" when the page has none.
	Headline string
	// Byline holds the lines between the headline and the article (or
	// just before the article when there is no headline): bylines and
	// dates such as "Russia Today6 days ago".
	Byline []string
	// Paragraphs are the article's paragraphs in order, each one line of
	// plain text.
	Paragraphs []string
}

// Clean returns the article's paragraphs from a raw page.
func Clean(raw string) []string {
	return Extract(raw).Paragraphs
}

// Extract finds the headline and the article's paragraphs in a raw page.
func Extract(raw string) Page {
	lines := splitGlued(joinBrokenLines(normalize(raw)))
	blocks := makeBlocks(lines)
	first, last := selectArticle(blocks)
	var p Page
	h, first := findHeadline(blocks, first, last)
	if h >= 0 {
		p.Headline = blocks[h].text
	}
	for i := max(h+1, first-maxMetaLines); i < first; i++ {
		if i > h && blocks[i].words > 0 {
			p.Byline = append(p.Byline, blocks[i].text)
		}
	}
	for _, b := range keep(blocks[first:last]) {
		p.Paragraphs = append(p.Paragraphs, b.text)
	}
	return p
}
