package content

import (
	"strings"
	"testing"
	"time"
)

func indented(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	return b.String()
}

func TestNestingOver(t *testing.T) {
	tests := []struct {
		name, body string
		want       int
	}{
		{"empty", "", 0},
		{"prose", "A paragraph.\n\nAnother, with - dashes - and > signs.\n", 0},
		{"real list", "- a\n  - b\n    - c\n\n1. one\n   2. two\n", 0},
		{"indented 100", indented(100), 0},
		{"indented 101", indented(101), 101},
		{"indented 3000", "Intro.\n\n" + indented(3000), 103},
		{"one line 100", strings.Repeat("- ", 100) + "x\n", 0},
		{"one line 101", strings.Repeat("- ", 101) + "x\n", 1},
		{"ordered 101", strings.Repeat("1. ", 101) + "x\n", 1},
		{"ordered too long", strings.Repeat("1234567890. ", 101) + "x\n", 0}, // ten digits: not a marker
		{"quotes 100", strings.Repeat("> ", 100) + "x\n", 0},
		{"quotes 101", "x\n" + strings.Repeat(">", 101) + "\n", 2},
		{"mixed 100", strings.Repeat("> - ", 50) + "x\n", 0},
		{"mixed 102", "x\n" + strings.Repeat("> - ", 51) + "x\n", 2},
		{"tabs 101", strings.Repeat("\t", 50) + "- x\n", 1}, // 200 columns and a marker
		{"thematic break", strings.Repeat("- ", 300) + "\n" + strings.Repeat("*", 300) + "\n", 0},
		{"code indent", "x\n" + strings.Repeat(" ", 202) + "code\n", 2}, // a bound: it may exceed the depth
		{"crlf", strings.Repeat("- ", 101) + "x\r\n", 1},
	}
	for _, tt := range tests {
		if got := NestingOver([]byte(tt.body), MaxNesting); got != tt.want {
			t.Errorf("%s: line %d; want %d", tt.name, got, tt.want)
		}
	}
}

// TestNestingOverIsFast checks that the body that made goldmark take a
// minute is refused at once.
func TestNestingOverIsFast(t *testing.T) {
	body := []byte(indented(3000))
	start := time.Now()
	if NestingOver(body, MaxNesting) == 0 {
		t.Fatal("3,000 levels not refused")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v; want well under a second", d)
	}
}
