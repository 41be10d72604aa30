package search

import (
	"strconv"
	"unicode/utf8"
)

// encodeDoc returns the document of d, the search/d file: the same bytes
// encoding/json would write for its fields, without its reflection, since
// a build writes one for every article.
func encodeDoc(d Doc) []byte {
	b := make([]byte, 0, len(d.Text)+len(d.Title)+len(d.Path)+len(d.Source.Name)+len(d.Round.Name)+64)
	b = append(b, `{"p":`...)
	b = appendJSONString(b, d.Path)
	b = append(b, `,"t":`...)
	b = appendJSONString(b, d.Title)
	b = append(b, `,"d":`...)
	b = appendJSONString(b, d.Date)
	b = append(b, `,"s":`...)
	b = appendJSONString(b, d.Source.Name)
	if d.Round.Name != "" {
		b = append(b, `,"r":`...)
		b = appendJSONString(b, d.Round.Name)
	}
	b = append(b, `,"x":`...)
	b = appendJSONString(b, d.Text)
	return append(b, "}\n"...)
}

// jsonPlain holds the ASCII bytes appendJSONString writes as they are.
var jsonPlain = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s as a JSON string the way encoding/json does:
// <, > and & escaped as \u003c, \u003e and \u0026, so that no file can
// carry markup; control characters escaped; U+2028 and U+2029 escaped;
// invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonPlain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = strconv.AppendInt(b, int64(r&0xf), 16)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
