package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepair damages an output the way an interrupted or meddled-with
// build leaves it, then builds again: the result must equal a fresh
// build, files no page owns must go, and nothing may be trusted by size.
func TestRepair(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})
	fresh := files(t, out)
	page := filepath.Join(out, "articles", "between", "index.html")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}

	// Same size, other bytes; files no page owns; a marker naming
	// another build, as a build killed after its swap leaves it.
	sameSize := []byte(strings.Repeat("x", len(orig)))
	writeSite := func(name, text string) {
		p := filepath.Join(out, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeSite("articles/between/index.html", string(sameSize))
	writeSite("extra.html", "<p>no page owns this</p>")
	writeSite(".tmp-index.html-12345", "half a page")
	writeSite("articles/gone/index.html", "an article removed long ago")
	writeSite(markerName, string(Marker{BaseURL: "https://example.github.io/briefing/", ID: 1}.bytes()))
	res := build(t, Options{Site: dir})
	if !res.Repaired {
		t.Error("the build did not see that the output is not the one its cache file describes")
	}
	if got := files(t, out); fmt.Sprint(got) != fmt.Sprint(fresh) {
		t.Errorf("the repaired output is not a fresh build: %s", describeDiff(got, fresh))
	}

	// With the marker right, a file cut short is still noticed.
	if err := os.WriteFile(page, orig[:len(orig)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, Options{Site: dir})
	if got := files(t, out); fmt.Sprint(got) != fmt.Sprint(fresh) {
		t.Errorf("the output with a page cut short was not repaired: %s", describeDiff(got, fresh))
	}
}

// TestLeftoversRemoved leaves beside an output what killed builds of this
// version and of older ones left, and a temporary file inside an output
// of an older version: the next build removes them all.
func TestLeftoversRemoved(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(t, Options{Site: dir, Out: fresh, NoCache: true})

	// An older version's output: no marker, its cache file beside it, a
	// temporary file inside.
	copyTree(t, fresh, out)
	os.Remove(filepath.Join(out, markerName))
	for name, text := range map[string]string{
		"public/.tmp-index.html-4242":         "half a page",
		".public.digest-cache":                "digest cache 3\nold",
		".public.staging-77-1/index.html":     "a killed cold build",
		".public.staging-77-1.old/index.html": "a killed swap",
		".public.staging-123456/a/b.html":     "an older version's staging",
		".public.digest-cache.tmp-99":         "a killed cache write",
		".tmp-.public.digest-cache-abc":       "an older version's cache write",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build(t, Options{Site: dir})
	if got, want := files(t, out), files(t, fresh); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the output is not a fresh build: %s", describeDiff(got, want))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch e.Name() {
		case "content", "layouts", "public", ".public.digest-cache", ".public.digest-lock", ".public.digest-spare":
		default:
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
}

// TestLock checks that a build refuses to write an output another build
// is writing, and says so.
func TestLock(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := lockOutput(newOutputPaths(out))
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Build(context.Background())
	want := "build: output " + out + ": another digest build is writing it (it holds " + filepath.Join(dir, ".public.digest-lock") + "); wait for it to end"
	if err == nil || err.Error() != want {
		t.Errorf("build while locked: %v; want %s", err, want)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("the refused build made the output")
	}
	unlock()
	if _, err := b.Build(context.Background()); err != nil {
		t.Errorf("build once unlocked: %v", err)
	}
}

// TestNothingChangedKeepsOutput checks that a build with nothing changed
// leaves the output directory itself in place, and the spare too, after
// cold builds and after edits, in one process and across runs.
func TestNothingChangedKeepsOutput(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	spare := filepath.Join(dir, ".public.digest-spare")
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	stat := func(p string) os.FileInfo {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	p := filepath.Join(dir, "content/articles/third-round.md")
	for i := range 3 {
		if i > 0 {
			src := strings.Replace(read(t, dir, "content/articles/third-round.md"), "minutes.", "minutes, again.", 1)
			os.WriteFile(p, []byte(src), 0o644)
		}
		if _, err := b.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		before := stat(out)
		var spareBefore os.FileInfo
		if i > 0 {
			spareBefore = stat(spare)
		}
		for _, again := range []func() (*Result, error){
			func() (*Result, error) { return b.Build(context.Background()) },
			func() (*Result, error) { nb, _ := New(Options{Site: dir}); return nb.Build(context.Background()) },
		} {
			res, err := again()
			if err != nil {
				t.Fatal(err)
			}
			if res.Written != 0 || res.Removed != 0 || !os.SameFile(before, stat(out)) {
				t.Errorf("build %d: with nothing changed it wrote %d files, removed %d, or replaced the output", i, res.Written, res.Removed)
			}
			if spareBefore != nil && !os.SameFile(spareBefore, stat(spare)) {
				t.Errorf("build %d: with nothing changed the spare was replaced", i)
			}
		}
	}
}

// noExchange is a disk without an atomic exchange, as on systems other
// than Linux.
type noExchange struct{ disk }

func (noExchange) Exchange(a, b string) error { return errors.New("atomic exchange not supported") }

// TestSwapWithoutExchange builds every state in turn where the output
// cannot be exchanged atomically and must be moved aside and back: each
// output must be a fresh build and nothing may be left beside it.
func TestSwapWithoutExchange(t *testing.T) {
	s := newStateSite(t)
	b, err := New(Options{Site: s.dir})
	if err != nil {
		t.Fatal(err)
	}
	b.disk = noExchange{osDisk{}}
	for _, i := range []int{0, 1, 2, 3, 4, 0} {
		s.set(t, i)
		if _, err := b.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, diff := s.which(t, i); got != i {
			t.Fatalf("state %s: not a fresh build: %s", siteStates[i].name, diff)
		}
		if l := s.leftovers(t); len(l) > 0 {
			t.Errorf("state %s: left beside the output: %v", siteStates[i].name, l)
		}
	}
}
