package render

import (
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	lre = "\u202A"
	rle = "\u202B"
	pdf = "\u202C"
	lro = "\u202D"
	rlo = "\u202E"
	lri = "\u2066"
	rli = "\u2067"
	fsi = "\u2068"
	pdi = "\u2069"
	lrm = "\u200E"
	rlm = "\u200F"
	alm = "\u061C"
)

func TestBidiSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Plain title — with “quotes” and a dash…", "Plain title — with “quotes” and a dash…"},
		{"Kremlin " + rlo + "sklat", "Kremlin sklat"},
		{rlo + "evil", "evil"},
		{"a" + pdf + "b" + pdi + "c", "abc"},
		{"a" + rle + "b" + pdf + "c", "a" + rle + "b" + pdf + "c"},
		{"a" + rli + "b" + pdi + "c", "a" + rli + "b" + pdi + "c"},
		{"a" + fsi + "b" + rlo + "c" + pdi + "d", "a" + fsi + "b" + rlo + "c" + pdi + "d"},   // the isolate closes the override
		{"a" + rlo + "b" + rli + "c" + pdf + "d" + pdi + "e", "ab" + rli + "cd" + pdi + "e"}, // no PDF out of an isolate
		{"a" + lro + lre + "b" + pdf + "c", "a" + lre + "b" + pdf + "c"},
		{"a" + pdi + rlo + "b", "ab"},
		{lri + rli + "x" + pdi, rli + "x" + pdi},
		{rlm + "שלום" + lrm, "שלום"},
		{alm + "نص" + rlm + " a", "نص" + rlm + " a"},
		{"x" + rlm + rlo, "x"},
		{"bad \xff utf-8 " + rlo, "bad \uFFFD utf-8 "},
	}
	for _, tt := range tests {
		if got := BidiSafe(tt.in); got != tt.want {
			t.Errorf("BidiSafe(%+q) = %+q; want %+q", tt.in, got, tt.want)
		}
	}
}

// balanced reports whether s, placed among other text, ends every
// embedding, override and isolate it opens and closes none it does not,
// and neither starts nor ends with a mark.
func balanced(s string) bool {
	var open []bool // isolate?
	for _, r := range s {
		switch r {
		case '\u202A', '\u202B', '\u202D', '\u202E':
			open = append(open, false)
		case '\u2066', '\u2067', '\u2068':
			open = append(open, true)
		case '\u202C':
			if len(open) == 0 || open[len(open)-1] {
				return false
			}
			open = open[:len(open)-1]
		case '\u2069':
			j := len(open) - 1
			for j >= 0 && !open[j] {
				j--
			}
			if j < 0 {
				return false
			}
			open = open[:j]
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return len(open) == 0 && !isBidiMark(first) && !isBidiMark(last)
}

func FuzzBidiSafe(f *testing.F) {
	for _, s := range []string{"plain", rlo + "x", "a" + pdi + rlo + "b", lri + rle + "x" + pdi + pdf, rlm + "x" + alm, "—’…"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := BidiSafe(s)
		if !balanced(got) {
			t.Errorf("BidiSafe(%+q) = %+q: not balanced", s, got)
		}
		if again := BidiSafe(got); again != got {
			t.Errorf("BidiSafe(%+q) = %+q, and again %+q; want it unchanged", s, got, again)
		}
		strip := func(x string) string {
			return strings.Map(func(r rune) rune {
				if hasBidi(string(r)) {
					return -1
				}
				return r
			}, x)
		}
		if utf8.ValidString(s) && strip(got) != strip(s) {
			t.Errorf("BidiSafe(%+q) = %+q: changed more than bidi characters", s, got)
		}
		if !hasBidi(s) && got != s {
			t.Errorf("BidiSafe(%+q) = %+q; want text without bidi characters unchanged", s, got)
		}
	})
}

// BenchmarkBidiSafe measures the common case: a summary of 60 words with
// dashes and curly quotes (which share a first byte with the bidi
// characters) and no bidi character.
func BenchmarkBidiSafe(b *testing.B) {
	s := strings.Repeat("Delegations “met” in Istanbul — again… ", 10)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		BidiSafe(s)
	}
}
