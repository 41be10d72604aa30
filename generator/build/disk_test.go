package build

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestPublishedBytes builds the basic site as it is published and compares
// the SHA-256 of every file with testdata/golden/basic/sums.txt: the build
// for disk (Options.ForDisk) is a second kind of build, and the published
// one must keep its bytes, search.js and the index included.
func TestPublishedBytes(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir, NoCache: true})
	sums := files(t, out)
	var b strings.Builder
	for _, name := range sortedKeys(sums) {
		b.WriteString(sums[name] + "  " + name + "\n")
	}
	golden(t, "basic/sums.txt", b.String())
}
