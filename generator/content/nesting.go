package content

import "bytes"

// MaxNesting is the deepest that lists and block quotes may nest in an
// article body. Real articles nest a few levels; goldmark's time grows
// with the cube of the depth (2,000 levels take 21 s, 3,000 take a minute
// and a gigabyte), so a deeper body is an error, found before goldmark
// sees it.
const MaxNesting = 100

// NestingOver returns the line of body (counted from 1) on which lists
// and block quotes may nest more than max levels deep, or 0 when none may.
//
// It reads only the start of each line, in one pass. A block quote or a
// list item is continued on a line, or opened, only by what starts it: a
// ">" for each quote, a marker ("-", "+", "*", or up to 9 digits and "."
// or ")", then a space) for each item opened, and at least two columns of
// indentation for each item continued (a marker and its space). So the
// count of quotes and markers, plus half the indentation, bounds the depth
// of every container on the line from above; the deepest container is
// opened on a line that continues all those around it. The bound counts
// an item by its narrowest marker, so it may exceed the real depth (never
// fall short of it): a body is refused only when a line starts with
// quotes, markers and indentation worth more than max levels, none of
// which a real article comes near. A line of only "-", "*" or "_" and
// spaces is a thematic break, not nesting.
func NestingOver(body []byte, max int) int {
	line := 0
	for len(body) > 0 {
		line++
		l := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			l, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if 2*len(l) > max && nestingBound(l) > max && !isThematicBreak(l) {
			return line
		}
	}
	return 0
}

// nestingBound is the bound NestingOver puts on the depth of the
// containers of one line.
func nestingBound(l []byte) int {
	depth, cols := 0, 0
	i := 0
	space := func() { // the one space that belongs to a marker
		if i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			i++
		}
	}
scan:
	for i < len(l) {
		switch c := l[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4
			i++
		case c == '>':
			depth++
			i++
			space()
		case c == '-' || c == '+' || c == '*':
			if i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' && l[i+1] != '\r' {
				break scan
			}
			depth++
			i++
			space()
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 10 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j-i > 9 || j == len(l) || l[j] != '.' && l[j] != ')' ||
				j+1 < len(l) && l[j+1] != ' ' && l[j+1] != '\t' && l[j+1] != '\r' {
				break scan
			}
			depth++
			i = j + 1
			space()
		default:
			break scan
		}
	}
	return depth + cols/2
}

// isThematicBreak reports whether l holds only one of "-", "*" or "_",
// three times or more, and spaces.
func isThematicBreak(l []byte) bool {
	var mark byte
	n := 0
	for _, c := range l {
		switch c {
		case ' ', '\t', '\r':
		case '-', '*', '_':
			if mark != 0 && c != mark {
				return false
			}
			mark = c
			n++
		default:
			return false
		}
	}
	return n >= 3
}
