package render

import "strings"

// PlainText returns a markdown body as the text a reader sees, for search:
// markers of headings, quotes and lists, emphasis and code marks and tags
// taken off, links and images replaced by their text. Paragraphs end in a
// newline; the lines of one are joined by spaces. It reads the markdown the
// importer and editors write, not every corner of CommonMark: at worst a
// stray mark is left in the text, which the index splits away.
//
// It reads every article of a build, so it reads each line once and
// copies it only where a link, an image or a tag is replaced; the rules,
// for a line with its spaces trimmed:
//
//   - a line that is empty, opens or closes a fence (```) or holds
//     nothing but the marks - * _ = and spaces ends the paragraph;
//   - markers are taken off its start, again and again: 1 to 6 # then
//     spaces; > and at most one space; -, * or + then spaces; digits, then
//     . or ), then spaces (spaces here are ASCII: space, tab, form feed,
//     carriage return);
//   - ![text](address) becomes text, then [text](address) does, where text
//     holds no ] and address no ): so [a [b](c) is "a [b";
//   - a tag, < and an optional / then an ASCII letter up to the next >,
//     goes;
//   - *, `, \ and each pair __ go.
func PlainText(md string) string {
	b := make([]byte, 0, len(md))
	var scratch []byte // a line whose links or tags are replaced
	para := false
	for len(md) > 0 {
		line := md
		if i := strings.IndexByte(md, '\n'); i >= 0 {
			line, md = md[:i], md[i+1:]
		} else {
			md = ""
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "```") || isRule(line) {
			if para {
				b = append(b, '\n')
				para = false
			}
			continue
		}
		line = trimMarkers(line)
		if para {
			b = append(b, ' ')
		}
		if strings.Contains(line, "](") || strings.IndexByte(line, '<') >= 0 {
			scratch = replaceMarkup(scratch[:0], line)
			b = appendDroppingMarks(b, scratch)
		} else {
			b = appendDroppingMarks(b, line)
		}
		para = true
	}
	if para {
		b = append(b, '\n')
	}
	return string(b)
}

// isRule reports whether a line holds only - * _ = and spaces: a thematic
// break or a setext heading's underline.
func isRule(line string) bool {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '-', '*', '_', '=', ' ':
		default:
			return false
		}
	}
	return true
}

// isSpace reports whether c is a space between a marker and its text:
// space, tab, newline, form feed or carriage return.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// trimMarkers takes the markers of headings, quotes and list items off the
// start of a line, as many as there are: "> - # x" is "x".
func trimMarkers(line string) string {
	for line != "" {
		i := 0
		switch c := line[0]; {
		case c == '#':
			for i < len(line) && line[i] == '#' {
				i++
			}
			if i > 6 || i == len(line) || !isSpace(line[i]) {
				return line
			}
		case c == '>':
			i = 1
			if i < len(line) && isSpace(line[i]) {
				i++
			}
			line = line[i:]
			continue
		case c == '-' || c == '*' || c == '+':
			i = 1
			if i == len(line) || !isSpace(line[i]) {
				return line
			}
		case '0' <= c && c <= '9':
			for i < len(line) && '0' <= line[i] && line[i] <= '9' {
				i++
			}
			if i == len(line) || (line[i] != '.' && line[i] != ')') {
				return line
			}
			i++
			if i == len(line) || !isSpace(line[i]) {
				return line
			}
		default:
			return line
		}
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		line = line[i:]
	}
	return line
}

// replaceMarkup appends line to b with its images, then its links,
// replaced by their text, and its tags taken out.
func replaceMarkup(b []byte, line string) []byte {
	if strings.Contains(line, "![") {
		n := len(b)
		b = replaceLinks(b, line, "![")
		line = string(b[n:]) // the link pass reads what the image pass wrote
		b = b[:n]
	}
	if strings.Contains(line, "](") {
		n := len(b)
		b = replaceLinks(b, line, "[")
		line = string(b[n:])
		b = b[:n]
	}
	for {
		i := strings.IndexByte(line, '<')
		if i < 0 {
			break
		}
		j := i + 1
		if j < len(line) && line[j] == '/' {
			j++
		}
		if j < len(line) && ('a' <= line[j]|0x20 && line[j]|0x20 <= 'z') {
			if k := strings.IndexByte(line[j:], '>'); k >= 0 {
				b = append(b, line[:i]...)
				line = line[j+k+1:]
				continue
			}
		}
		b = append(b, line[:i+1]...)
		line = line[i+1:]
	}
	return append(b, line...)
}

// replaceLinks appends s to b with each open text ](address) replaced by
// its text, left to right, where open is "[" for links and "![" for
// images, text holds no ] and address no ).
func replaceLinks(b []byte, s, open string) []byte {
	for {
		i := strings.Index(s, open)
		if i < 0 {
			return append(b, s...)
		}
		text := i + len(open)
		if end := strings.IndexByte(s[text:], ']'); end >= 0 {
			end += text
			if end+1 < len(s) && s[end+1] == '(' {
				if close := strings.IndexByte(s[end+2:], ')'); close >= 0 {
					b = append(b, s[:i]...)
					b = append(b, s[text:end]...)
					s = s[end+2+close+1:]
					continue
				}
			}
		}
		b = append(b, s[:i+1]...)
		s = s[i+1:]
	}
}

// appendDroppingMarks appends line to b without its emphasis and code
// marks: *, `, \ and each pair __.
func appendDroppingMarks[T string | []byte](b []byte, line T) []byte {
	start := 0
	for i := 0; i < len(line); i++ {
		if !isMark[line[i]] {
			continue
		}
		if line[i] == '_' {
			if i+1 == len(line) || line[i+1] != '_' {
				continue
			}
			b = append(b, line[start:i]...)
			i++
		} else {
			b = append(b, line[start:i]...)
		}
		start = i + 1
	}
	return append(b, line[start:]...)
}

// isMark holds the bytes appendDroppingMarks looks at.
var isMark = [256]bool{'*': true, '`': true, '\\': true, '_': true}
