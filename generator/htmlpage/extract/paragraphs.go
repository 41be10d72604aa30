package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// paragraphs returns the text of each block of the extracted story (a
// paragraph, heading, list item, quotation, table cell), one line each,
// dropping a first block that repeats the headline: many pages print it
// inside the story's container.
func paragraphs(story *html.Node, title string) []string {
	if story == nil {
		return nil
	}
	var out []string
	var line strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(line.String()), " "); p != "" {
			out = append(out, p)
		}
		line.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			line.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom == atom.Br {
				line.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && !inline[n.DataAtom] && n.Data != "hi"
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(story)
	flush()
	if len(out) > 0 && title != "" && strings.EqualFold(out[0], strings.Join(strings.Fields(title), " ")) {
		out = out[1:]
	}
	return out
}

// inline are the elements whose text continues the line around them.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Cite: true, atom.Code: true,
	atom.Em: true, atom.I: true, atom.Mark: true, atom.Q: true, atom.S: true,
	atom.Small: true, atom.Span: true, atom.Strong: true, atom.Sub: true, atom.Sup: true,
	atom.Time: true, atom.U: true, atom.Font: true,
}
