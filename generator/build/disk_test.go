package build

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
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

// TestDiskLinksResolve builds the bundled site for disk and follows every
// link of every page as a browser reading file: URLs would: each href and
// src inside the site (and the search form's index) must be relative and
// lead to a file of the output, not a folder, and a #fragment to an
// element of that page. Every document of the search index must link to
// a page that exists, and every index file must have its script form.
func TestDiskLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "content", "site.yaml")); err != nil {
		t.Skipf("the bundled site is not beside the package (%v): nothing to build for disk", err)
	}
	out := filepath.Join(t.TempDir(), "public-disk")
	build(t, Options{Site: root, Out: out, ForDisk: true, NoCache: true})
	if m, err := ReadMarker(out); err != nil || !m.ForDisk {
		t.Errorf("marker %+v, %v; want one for disk", m, err)
	}

	ids := map[string]map[string]bool{} // page -> ids of its elements
	type link struct{ page, attr, target string }
	var all []link
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		page := filepath.ToSlash(rel)
		ids[page] = map[string]bool{}
		for n := range doc.Descendants() {
			for _, a := range n.Attr {
				switch a.Key {
				case "id":
					ids[page][a.Val] = true
				case "href", "src", "data-index":
					all = append(all, link{page, n.Data + " " + a.Key, a.Val})
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 40 {
		t.Fatalf("%d pages in the bundled site built for disk; want 40 or more", len(ids))
	}

	inside, fragments := 0, 0
	for _, l := range all {
		u, err := url.Parse(l.target)
		if err != nil {
			t.Errorf("%s: %s=%q: %v", l.page, l.attr, l.target, err)
			continue
		}
		if u.Scheme != "" || u.Host != "" {
			continue // leaves the site: originals, canonical and Open Graph URLs
		}
		if u.Path == "" && u.Fragment == "" {
			continue // the page itself: a body's link emptied of javascript:
		}
		target := l.page
		if u.Path != "" {
			if strings.HasPrefix(u.Path, "/") {
				t.Errorf("%s: %s=%q is absolute; from disk it leads out of the site", l.page, l.attr, l.target)
				continue
			}
			target = path.Join(path.Dir(l.page), u.Path)
			if target == ".." || strings.HasPrefix(target, "../") {
				t.Errorf("%s: %s=%q leads out of the site", l.page, l.attr, l.target)
				continue
			}
			fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(target)))
			if err != nil || !fi.Mode().IsRegular() {
				t.Errorf("%s: %s=%q leads to %s, which is not a file of the output (%v)", l.page, l.attr, l.target, target, err)
				continue
			}
			inside++
		}
		if u.Fragment != "" {
			if !ids[target][u.Fragment] {
				t.Errorf("%s: %s=%q: %s has no element with id %q", l.page, l.attr, l.target, target, u.Fragment)
			}
			fragments++
		}
	}
	if inside < 10*len(ids) {
		t.Errorf("only %d links inside the site followed in %d pages; want at least base.html's 10 a page", inside, len(ids))
	}

	docs, scripts := 0, 0
	err = filepath.WalkDir(filepath.Join(out, "search"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		if _, err := os.Stat(strings.TrimSuffix(p, ".json") + ".js"); err != nil {
			t.Errorf("%s has no script form: %v", p, err)
		} else {
			scripts++
		}
		if filepath.Base(filepath.Dir(p)) != "d" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var doc struct{ P string }
		if err := json.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%s: %v", p, err)
		}
		if fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(doc.P))); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: p %q is not a file of the output (%v)", p, doc.P, err)
		}
		docs++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if docs == 0 || scripts <= docs {
		t.Errorf("%d documents and %d index files in script form; want every document, the shards and the manifest", docs, scripts)
	}
	t.Logf("%d pages: %d links inside the site lead to files (%d with a fragment); %d index files in script form", len(ids), inside, fragments, scripts)
}

// TestDiskSwitch builds into one output by turns for disk and as served,
// by a new Builder (reading the cache file) and by the same one: each
// build must give the bytes of a cold build of its kind, marked as such,
// whatever the one before it was.
func TestDiskSwitch(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	want := coldBuilds(t, dir)
	if maps.Equal(want[false], want[true]) {
		t.Fatal("the build for disk gave the served build's bytes")
	}
	if _, ok := want[true]["search-disk.js"]; !ok {
		t.Error("no search-disk.js in the build for disk")
	}
	if _, ok := want[false]["search-disk.js"]; ok {
		t.Error("search-disk.js in the served build")
	}

	out := filepath.Join(dir, "public")
	check := func(what string, forDisk bool) {
		t.Helper()
		got := files(t, out)
		if !maps.Equal(got, want[forDisk]) {
			t.Errorf("%s: the output is not a cold build of its kind: %s", what, describeDiff(got, want[forDisk]))
		}
		if m, err := ReadMarker(out); err != nil || m.ForDisk != forDisk {
			t.Errorf("%s: marker %+v, %v; want ForDisk %v", what, m, err, forDisk)
		}
	}
	for i, forDisk := range []bool{false, true, false, true} {
		build(t, Options{Site: dir, ForDisk: forDisk})
		check(fmt.Sprintf("build %d by a new Builder, for disk %v", i, forDisk), forDisk)
	}
	// The same Builder keeps its own kind from build to build.
	b, err := New(Options{Site: dir, ForDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if _, err := b.Build(context.Background()); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("build %d by the same Builder, for disk", i), true)
	}
}

// coldBuilds returns the files of a build of the site at dir from nothing,
// by kind: as served (false) and for disk (true).
func coldBuilds(t *testing.T, dir string) map[bool]map[string]string {
	t.Helper()
	refs := t.TempDir()
	want := map[bool]map[string]string{}
	for _, forDisk := range []bool{false, true} {
		out := filepath.Join(refs, fmt.Sprint(forDisk))
		build(t, Options{Site: dir, Out: out, ForDisk: forDisk, NoCache: true})
		want[forDisk] = files(t, out)
	}
	return want
}

// TestDiskRefusesOutput checks that a build for disk refuses what any
// build refuses: a directory it did not make.
func TestDiskRefusesOutput(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(t.TempDir(), "downloads")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Site: dir, Out: out, ForDisk: true}); err == nil {
		t.Error("a build for disk took a directory holding another's files")
	}
	if got := read(t, out, "notes.txt"); got != "mine" {
		t.Errorf("notes.txt holds %q; want it untouched", got)
	}
}

// TestDiskFullDisk starts a build for disk over a served build on a disk
// that fills up at several steps: the output must be the served build,
// whole, or the build for disk, whole, never a mix, and the next build
// with room must finish it.
func TestDiskFullDisk(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	want := coldBuilds(t, dir)
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})
	steps := diskSteps(t, Options{Site: dir, ForDisk: true})
	const points = 6
	failed := 0
	for k := range int64(points) {
		build(t, Options{Site: dir}) // served again
		after := k * steps / points
		what := fmt.Sprintf("the disk full after %d of %d steps", after, steps)
		b, err := New(Options{Site: dir, ForDisk: true})
		if err != nil {
			t.Fatal(err)
		}
		b.disk = &fullDisk{disk: osDisk{}, after: after}
		_, err = b.Build(context.Background())
		got := files(t, out)
		switch {
		case err == nil && !maps.Equal(got, want[true]):
			t.Fatalf("%s: the build succeeded but the output is not the build for disk: %s", what, describeDiff(got, want[true]))
		case err != nil && !maps.Equal(got, want[false]):
			t.Fatalf("%s: the build failed (%v) but the output is not the served build: %s", what, err, describeDiff(got, want[false]))
		case err != nil:
			failed++
		}
		b.disk = osDisk{}
		if _, err := b.Build(context.Background()); err != nil {
			t.Fatalf("%s: the build with room again: %v", what, err)
		}
		if got := files(t, out); !maps.Equal(got, want[true]) {
			t.Fatalf("%s: the build with room again is not the build for disk: %s", what, describeDiff(got, want[true]))
		}
	}
	if failed == 0 {
		t.Error("no build for disk failed on the full disk; the test tried nothing")
	}
	t.Logf("%d of %d builds for disk failed on a full disk, each leaving the served build whole", failed, points)
}

// TestDiskScriptRestored removes the script form of a document, and of a
// shard, from a build for disk by hand: the next run of the command (a new
// Builder, reading the cache file) must write them again and give the
// bytes of a cold build.
func TestDiskScriptRestored(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	want := coldBuilds(t, dir)[true]
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir, ForDisk: true})
	for _, name := range []string{"search/d/0.js", "search/t/k.js"} {
		if err := os.Remove(filepath.Join(out, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	build(t, Options{Site: dir, ForDisk: true})
	if got := files(t, out); !maps.Equal(got, want) {
		t.Errorf("after the scripts were removed by hand, the next build is not a cold build for disk: %s", describeDiff(got, want))
	}
}
