package importer

import (
	"bytes"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Render writes a draft as an article file: YAML front matter with the
// fields of the content model, each explained by a comment where the
// importer inferred it, then the paragraphs as markdown.
func Render(d *Draft) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	field(&b, "title", scalar(d.Title), d.Why["title"])
	field(&b, "source", scalar(d.Source), d.Why["source"])
	field(&b, "date", d.Date.Format(time.DateOnly), d.Why["date"])
	field(&b, "topic", scalar(d.Topic), d.Why["topic"])
	if len(d.Topics) > 0 {
		field(&b, "topics", list(d.Topics), "")
	}
	field(&b, "round", scalar(d.Round), d.Why["round"])
	if d.URL != "" {
		field(&b, "url", scalar(d.URL), "")
	}
	field(&b, "raw", scalar(d.Raw), "")
	if len(d.Review) > 0 {
		field(&b, "review", list(d.Review), "")
	}
	b.WriteString("---\n")
	for _, p := range d.Paragraphs {
		b.WriteString("\n")
		b.WriteString(EscapeMarkdown(p))
		b.WriteString("\n")
	}
	return b.Bytes()
}

func field(b *bytes.Buffer, key, value, why string) {
	b.WriteString(key)
	b.WriteString(": ")
	b.WriteString(value)
	if why != "" {
		// A comment is written as it is, so the control characters a
		// scraped quote may hold, which YAML refuses, become spaces.
		why = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, why)
		b.WriteString("  # ")
		b.WriteString(strings.Join(strings.Fields(why), " "))
	}
	b.WriteString("\n")
}

// scalar quotes s for YAML when it needs it.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return `""`
	}
	v := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(v, "\n") {
		// yaml.v3 folds long strings onto several lines; keep one line.
		out, _ := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Style: yaml.DoubleQuotedStyle, Value: s})
		v = strings.TrimSuffix(string(out), "\n")
	}
	return v
}

func list(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = scalar(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// EscapeMarkdown escapes the characters of scraped text that markdown or
// HTML would read as markup, so the text renders as written and can never
// inject HTML: "<script>" stays text, "*" stays an asterisk, "1. " at the
// start of a paragraph stays a number and "# " a hash, "&amp;" shows as
// written.
func EscapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '$':
			b.WriteByte('\\')
		case '#', '+', '-', '=', '!':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if isLeadingNumber(s[:i]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isLeadingNumber reports whether s is all digits, as in "1" before the
// "." of "1. Lego Star Wars" that would start an ordered list.
func isLeadingNumber(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
