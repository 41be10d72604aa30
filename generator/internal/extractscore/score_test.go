package extractscore

import (
	"math"
	"testing"
)

func TestPage(t *testing.T) {
	tests := []struct {
		gold, pred string
		p, r       float64
	}{
		{"one two three four five", "one two three four five", 1, 1},
		{"one two three four five", "", 0, 0},
		{"one two three four five", "one two three four", 1, 0.5},         // 1 of 2 gold shingles
		{"one two three four", "one two three four five six", 1.0 / 3, 1}, // 1 of 3 predicted
		{"a b", "a, b!", 1, 1},                                            // short texts are one shingle; punctuation is not a token
	}
	for _, tt := range tests {
		p, r := Page(tt.gold, tt.pred)
		if math.Abs(p-tt.p) > 1e-9 || math.Abs(r-tt.r) > 1e-9 {
			t.Errorf("Page(%q, %q) = %.3f, %.3f; want %.3f, %.3f", tt.gold, tt.pred, p, r, tt.p, tt.r)
		}
	}
	if f := F1(0.5, 1); math.Abs(f-2.0/3) > 1e-9 {
		t.Errorf("F1(0.5, 1) = %v; want 2/3", f)
	}
	if f := F1(0, 0); f != 0 {
		t.Errorf("F1(0, 0) = %v; want 0", f)
	}
}
