package render

import (
	"fmt"
	"strings"

	"digest/generator/site"
)

// descriptionWords is the most words a page's description keeps: search
// engines and link previews show about this many.
const descriptionWords = SummaryWords

// Description returns what the page's meta description and Open Graph
// description say: an article's summary, what a list lists, or the
// site's description. It is BidiSafe and at most descriptionWords
// words long.
func (c *Context) Description() (string, error) {
	d, err := c.describe()
	if err != nil {
		return "", err
	}
	return shorten(BidiSafe(d), descriptionWords), nil
}

func (c *Context) describe() (string, error) {
	m := c.Site
	switch d := c.Page.Data.(type) {
	case *site.ArticleData:
		// The body is rendered here, once, for the summary and then for
		// the page (writeBody), rather than once for each.
		if _, err := c.bodyHTML(d.Article); err != nil {
			return "", err
		}
		s, err := c.Summary(d.Article)
		if err != nil || s != "" {
			return s, err
		}
		return fmt.Sprintf("%s, %s, %s.", d.Article.Title, d.Source.Name, longDateOf(d.Article.Date)), nil
	case *site.ListData:
		n := articles(d.Total)
		var s string
		switch {
		case d.Topic != nil && c.Page.Layout == "list": // a topic within a round, or outside them
			s = fmt.Sprintf("%s: %s, newest first.", d.Heading, n)
		case d.Topic != nil:
			s = strings.TrimSpace(d.Topic.Description + " " + n + " on " + d.Topic.Name + ", newest round first.")
		case d.Round != nil:
			s = fmt.Sprintf("%s (%s%s): the fact card, and %s from the lead-up, the talks and the aftermath, oldest first.",
				d.Round.Name, longDateOf(d.Round.Date.Time), prefixed(", ", d.Round.City), n)
		case d.Source != nil:
			s = fmt.Sprintf("%s from %s (%s), newest first.", n, d.Source.Name, d.Source.Affiliation())
		case c.Page.Layout == "round":
			s = fmt.Sprintf("%s outside the rounds of the talks, oldest first.", n)
		default:
			s = fmt.Sprintf("All %s of the digest, newest first.", n)
		}
		if d.Pager != nil && d.Pager.Pages > 1 {
			s += fmt.Sprintf(" Page %d of %d.", d.Pager.Page, d.Pager.Pages)
		}
		return s, nil
	case *site.IndexData:
		switch c.Page.Layout {
		case "rounds":
			return fmt.Sprintf("The %d rounds of the direct talks, newest first, each with its fact card, and the articles between them.", len(m.Content.Rounds)), nil
		case "topics":
			return fmt.Sprintf("The %d questions of the talks, each followed across the rounds.", len(m.Content.Topics)), nil
		case "sources":
			return fmt.Sprintf("The %d outlets the digest draws on, and who stands behind each.", len(m.Sources)), nil
		}
	}
	switch c.Page.Layout {
	case "search":
		return "Search the articles of the digest.", nil
	case "404":
		return "There is no page at this address; start from the briefing, or browse by round or topic.", nil
	}
	return m.Config.Description, nil
}

// OGType is the page's Open Graph type: "article" for an article,
// "website" for every other page.
func (c *Context) OGType() string {
	if _, ok := c.Page.Data.(*site.ArticleData); ok {
		return "article"
	}
	return "website"
}

// articles counts articles in words: "1 article", "12 articles".
func articles(n int) string {
	if n == 1 {
		return "1 article"
	}
	return fmt.Sprintf("%d articles", n)
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
