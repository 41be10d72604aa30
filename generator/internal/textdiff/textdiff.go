// Package textdiff says where two texts first differ, for tests that
// compare output with golden files.
package textdiff

import (
	"fmt"
	"strings"
)

// First returns the first line at which got and want differ, numbered
// from 1, with both versions of it; "" when they are equal line for line.
func First(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}
