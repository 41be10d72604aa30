package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The reliability tests (kill_test.go, fault_test.go) move one site
// through these states and compare every output with a fresh build of
// the state it should hold.

// siteState is what a state changes in the basic site: files written
// (name -> text) and files removed.
type siteState struct {
	name   string
	write  map[string]string
	remove []string
}

// siteStates are the basic site and four changes of it: one article
// edited (a patch), one added, one removed, and a layout that changes
// every page.
var siteStates = []siteState{
	{name: "basic"},
	{name: "edited", write: map[string]string{
		"content/articles/third-round.md": "---\ntitle: Third round ends in 40 minutes\nsource: RT\ndate: 2025-07-23T18:00:00+03:00\ntopic: ceasefire\n---\n\nThe third round lasted about forty minutes, an edit says.\n",
	}},
	{name: "added", write: map[string]string{
		"content/articles/added-late.md": "---\ntitle: A late addition\nsource: RT\ndate: 2025-07-25\ntopic: prisoner-exchange\n---\n\nAdded after the third round.\n",
	}},
	{name: "removed", remove: []string{"content/articles/between.md"}},
	{name: "relayout", write: map[string]string{
		"layouts/static/style.css": "body { color: navy }\n",
		"layouts/topics.html":      `{{define "main"}}<h1>Topics, laid out again</h1>{{end}}`,
	}},
}

// stateSite is the basic site in a temporary directory whose state can
// be set, with a fresh build of every state to compare with.
type stateSite struct {
	dir   string            // the site root; its output is dir/public
	base  map[string]string // the basic site's files that states change
	fresh []map[string]string
}

func newStateSite(t *testing.T) *stateSite {
	t.Helper()
	s := &stateSite{dir: writeSite(t, "basic.txtar"), base: map[string]string{}}
	for _, st := range siteStates {
		for name := range st.write {
			s.base[name] = ""
		}
		for _, name := range st.remove {
			s.base[name] = ""
		}
	}
	for name := range s.base {
		if data, err := os.ReadFile(filepath.Join(s.dir, name)); err == nil {
			s.base[name] = string(data)
		} else {
			delete(s.base, name) // absent from the basic site
		}
	}
	refs := t.TempDir()
	for i := range siteStates {
		s.set(t, i)
		out := filepath.Join(refs, siteStates[i].name)
		build(t, Options{Site: s.dir, Out: out, NoCache: true})
		s.fresh = append(s.fresh, files(t, out))
	}
	s.set(t, 0)
	return s
}

func (s *stateSite) out() string { return filepath.Join(s.dir, "public") }

// set puts the site in state i.
func (s *stateSite) set(t *testing.T, i int) {
	t.Helper()
	st := siteStates[i]
	for _, other := range siteStates {
		for name := range other.write {
			s.restore(t, name, st)
		}
		for _, name := range other.remove {
			s.restore(t, name, st)
		}
	}
}

// restore gives the file name its text in state st.
func (s *stateSite) restore(t *testing.T, name string, st siteState) {
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	text, inBase := s.base[name]
	if w, ok := st.write[name]; ok {
		text, inBase = w, true
	}
	if slices.Contains(st.remove, name) {
		inBase = false
	}
	if !inBase {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return
	}
	if old, err := os.ReadFile(p); err == nil && string(old) == text {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshot lists the output's files, or nil when there is no output.
func (s *stateSite) snapshot(t *testing.T) map[string]string {
	t.Helper()
	if _, err := os.Lstat(s.out()); os.IsNotExist(err) {
		return nil
	}
	return files(t, s.out())
}

// which returns the state whose fresh build the output equals, -1 when
// there is no output, or -2 and a description of the difference with
// want when it is none of them.
func (s *stateSite) which(t *testing.T, want int) (int, string) {
	t.Helper()
	got := s.snapshot(t)
	if got == nil {
		return -1, ""
	}
	for i, f := range s.fresh {
		if fmt.Sprint(got) == fmt.Sprint(f) {
			return i, ""
		}
	}
	return -2, describeDiff(got, s.fresh[want])
}

// describeDiff names the files that differ between got and want.
func describeDiff(got, want map[string]string) string {
	var lines []string
	for name, h := range got {
		switch w, ok := want[name]; {
		case !ok:
			lines = append(lines, "extra "+name)
		case w != h:
			lines = append(lines, "changed "+name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			lines = append(lines, "missing "+name)
		}
	}
	slices.Sort(lines)
	if len(lines) > 12 {
		lines = append(lines[:12], fmt.Sprintf("and %d more", len(lines)-12))
	}
	return strings.Join(lines, "; ")
}

// leftovers lists what lies beside the output that a finished build does
// not keep there.
func (s *stateSite) leftovers(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	for _, e := range entries {
		switch e.Name() {
		case "content", "layouts", "public", ".public.digest-cache", ".public.digest-spare", ".public.digest-lock":
		default:
			extra = append(extra, e.Name())
		}
	}
	return extra
}

// buildState builds the site in state i in this process, as a new run of
// the command does, and checks the output equals the fresh build.
func (s *stateSite) buildState(t *testing.T, i int, why string) *Result {
	t.Helper()
	s.set(t, i)
	b, err := New(Options{Site: s.dir})
	if err != nil {
		t.Fatalf("%s: %v", why, err)
	}
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("%s: build failed: %v", why, err)
	}
	if got, diff := s.which(t, i); got != i {
		t.Fatalf("%s: the output is not a fresh build of %s: %s", why, siteStates[i].name, diff)
	}
	if l := s.leftovers(t); len(l) > 0 {
		t.Errorf("%s: left beside the output: %v", why, l)
	}
	return res
}
