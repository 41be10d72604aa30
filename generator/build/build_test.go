package build

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"digest/generator/check"
	"digest/generator/diag"
	"digest/generator/internal/textdiff"
	"digest/layouts"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// writeSite writes a txtar archive of a site into a new temporary directory.
func writeSite(t testing.TB, archive string) string {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", archive))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func build(t *testing.T, opts Options) *Result {
	t.Helper()
	b, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Build(context.Background())
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return res
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// files lists every file under dir with a hash of its bytes.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// golden compares got with testdata/golden/NAME, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from its golden file; run go test ./generator/build -update and review the diff.\n%s",
			name, textdiff.First(got, string(want)))
	}
}

// TestGolden builds the basic site and compares its file list and key
// pages with the golden files.
func TestGolden(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir, NoCache: true})

	golden(t, "basic/files.txt", strings.Join(sortedKeys(files(t, out)), "\n")+"\n")
	for _, name := range []string{
		"index.html",
		"articles/lead-up-one/index.html",
		"articles/between/index.html",
		"rounds/index.html",
		"rounds/round-1/index.html",
		"rounds/round-1/ceasefire/index.html",
		"rounds/none/index.html",
		"topics/ceasefire/index.html",
		"topics/ceasefire/page/2/index.html",
		"sources/unknown-gazette/index.html",
		"404.html",
		"feed.xml",
		"rounds/round-1/feed.xml",
		"sitemap.xml",
		"search/index.json",
		"search/d/0.json",
		"robots.txt",
	} {
		golden(t, "basic/"+strings.ReplaceAll(name, "/", "__"), read(t, out, name))
	}
}

// TestGrouping checks the groupings and the round rule on the built pages.
func TestGrouping(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir, NoCache: true})

	contains := func(page string, want ...string) {
		t.Helper()
		html := read(t, out, page)
		for _, w := range want {
			if !strings.Contains(html, w) {
				t.Errorf("%s does not contain %q", page, w)
			}
		}
	}
	absent := func(page string, bad ...string) {
		t.Helper()
		html := read(t, out, page)
		for _, b := range bad {
			if strings.Contains(html, b) {
				t.Errorf("%s contains %q", page, b)
			}
		}
	}
	inOrder := func(page string, want ...string) {
		t.Helper()
		html := read(t, out, page)
		at := 0
		for _, w := range want {
			i := strings.Index(html[at:], w)
			if i < 0 {
				t.Errorf("%s: %q missing or out of order (want order %q)", page, w, want)
				return
			}
			at += i + len(w)
		}
	}

	// Round 1, newest first: aftermath, the talks, lead-up, in that order.
	inOrder("rounds/round-1/index.html", "<h3>Aftermath</h3>", "Swap carried out",
		"<h3>The talks</h3>", "Delegations meet in Istanbul", "Page 1 of 2")
	inOrder("rounds/round-1/page/2/index.html", "<h3>Lead-up</h3>", "Kremlin prepares for Thursday")
	absent("rounds/round-1/index.html", "A quiet month", "Third round ends")
	// Coverage of the whole round (both its pages) by the group of its
	// outlets, on its first page: RT is Russian state media, the Kyiv
	// Independent has no group here, the Gazette is not in the registry.
	inOrder("rounds/round-1/index.html", `<figcaption>Who stands behind the outlets of these 3 articles</figcaption>`,
		`<rect class="part" data-group="russian-state" x="0%" width="33.33%"`, `<rect class="part" data-group="other" x="33.33%" width="66.67%"`,
		"Russian state media: <strong>1</strong>", "Ukrainian outlets: <strong>0</strong>",
		"Independent Russian outlets: <strong>0</strong>", "International outlets: <strong>0</strong>", "Other outlets: <strong>2</strong>")
	absent("rounds/round-1/page/2/index.html", `class="coverage"`)
	contains("rounds/none/index.html", "Outlets not in the registry: <strong>1</strong>")
	contains("topics/ceasefire/index.html", `<figcaption>Who stands behind the outlets of these 4 articles</figcaption>`)
	contains("rounds/round-1/ceasefire/index.html", "Russian state media: <strong>1</strong>", "Other outlets: <strong>1</strong>")
	absent("articles/index.html", `class="coverage"`)
	absent("rounds/round-1/page/2/index.html", "A quiet month", "Third round ends")
	// An article 18 days after round 2 and 33 before round 3 belongs to none.
	contains("rounds/none/index.html", "A quiet month")
	contains("rounds/round-3/index.html", "Third round ends in 40 minutes")
	contains("articles/between/index.html", "outside the rounds")
	// The home page timeline shows the gap between round 2 and round 3.
	inOrder("index.html", "Third round", "Between rounds", "Second round", "First round")
	// The matrix's columns are the rounds newest first too.
	inOrder("index.html", `<th scope="col">Topic</th>`, ">Third round</a></th>", ">Second round</a></th>",
		">First round</a></th>", ">Outside the rounds</a></th>", `<th scope="col">All</th>`)
	// Topic × round intersection.
	contains("rounds/round-1/ceasefire/index.html", "Kremlin prepares for Thursday", "Swap carried out")
	absent("rounds/round-1/ceasefire/index.html", "Delegations meet")
	// Topic pages group by round, newest round first, and paginate by 2.
	inOrder("topics/ceasefire/index.html", "Third round", "Third round ends", "First round", "Swap carried out")
	contains("topics/ceasefire/index.html", `rel="next" href="../../topics/ceasefire/page/2/"`, "Page 1 of 2")
	contains("topics/ceasefire/page/2/index.html", "Kremlin prepares for Thursday", `rel="prev" href="../../../../topics/ceasefire/"`, "A quiet month")
	// Sources: alias resolved, unknown outlet shown as unclassified.
	contains("articles/lead-up-one/index.html", `href="../../sources/rt/">RT</a>`, "Russian state media")
	contains("sources/unknown-gazette/index.html", "unclassified", "A quiet month")
	// Previous and next within a round, in time order.
	contains("articles/talks-day/index.html", `rel="prev" href="../../articles/lead-up-one/"`,
		`rel="next" href="../../articles/aftermath-swap/"`)
	// Review marks and the original link.
	contains("articles/aftermath-swap/index.html", "An editor has yet to check: date.")
	contains("articles/lead-up-one/index.html", `href="https://example.com/lead-up-one"`)
	// Body headings are demoted below the page title.
	contains("articles/lead-up-one/index.html", "<h2>A heading in the body</h2>")
	// Drafts are left out everywhere.
	if _, err := os.Stat(filepath.Join(out, "articles/draft-piece")); err == nil {
		t.Error("the draft has a page")
	}
	absent("feed.xml", "Not ready")
	absent("search/index.json",
		"search/d/0.json", "Not ready")
	// Feeds per topic and round; the GitHub Pages files.
	for _, f := range []string{"feed.xml", "topics/ceasefire/feed.xml", "rounds/round-1/feed.xml", ".nojekyll", "robots.txt", "sitemap.xml", "404.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	contains("rounds/round-1/feed.xml", "<title>Kremlin prepares for Thursday</title>",
		"<id>https://example.github.io/briefing/articles/lead-up-one/</id>")
	absent("rounds/round-1/feed.xml", "Third round ends")
	// 404.html is served at any path: its links are absolute under the base path.
	contains("404.html", `href="/briefing/style.css"`, `href="/briefing/rounds/"`)
}

// TestLinksResolve builds under a subpath and at a domain root, and checks
// that every internal link, anchor and asset resolves to a file.
func TestLinksResolve(t *testing.T) {
	for _, base := range []string{"https://example.github.io/briefing/", "https://briefing.example.org/"} {
		dir := writeSite(t, "basic.txtar")
		out := filepath.Join(dir, "public")
		build(t, Options{Site: dir, BaseURL: base, NoCache: true})
		problems, err := check.Dir(context.Background(), out, base)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", base, p)
		}
		if got := read(t, out, "sitemap.xml"); !strings.Contains(got, "<loc>"+base+"rounds/round-1/</loc>") {
			t.Errorf("%s: sitemap lacks absolute URLs under the base", base)
		}
	}
}

// TestReproducible checks that two builds of the same content give the same
// bytes, whatever the output directory and cache.
func TestReproducible(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	a, b := filepath.Join(dir, "out-a"), filepath.Join(dir, "out-b")
	build(t, Options{Site: dir, Out: a, NoCache: true})
	build(t, Options{Site: dir, Out: b})
	fa, fb := files(t, a), files(t, b)
	if len(fa) == 0 || fmt.Sprint(fa) != fmt.Sprint(fb) {
		t.Errorf("builds differ:\n%v\n%v", fa, fb)
	}
}

// TestFailedBuildKeepsOutput breaks an article and a layout and checks that
// every problem is reported and the previous output is untouched.
func TestFailedBuildKeepsOutput(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})
	before := files(t, out)

	os.WriteFile(filepath.Join(dir, "content/articles/talks-day.md"), []byte("---\ntitle: Broken\ndate: someday\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content/articles/between.md"), []byte("---\ntitle: X\nsource: RT\ndate: 2025-06-20\ntopic: truce\n---\n"), 0o644)
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.Build(context.Background())
	want := `content/articles/between.md:5: front matter: unknown topic "truce" (known: ceasefire, prisoner-exchange, talks-format)
content/articles/talks-day.md:2: front matter: source is required
content/articles/talks-day.md:2: front matter: topic is required
content/articles/talks-day.md:3: front matter: date "someday": want YYYY-MM-DD or RFC 3339`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
	if after := files(t, out); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("the failed build changed the output")
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*"))
	if len(leftovers) > 0 {
		t.Errorf("staging directories left behind: %v", leftovers)
	}
}

// TestTemplateErrors checks that a broken layout override is reported with
// its file and line, and that execution errors name the page too.
func TestTemplateErrors(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts/topics.html"), []byte("{{define \"main\"}}\n<h1>{{.Title}</h1>\n{{end}}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "layouts/sources.html"), []byte("{{define \"main\"}}\n<p>\n{{.Data.Nope}}</p>\n{{end}}\n"), 0o644)
	b, _ := New(Options{Site: dir})
	_, err := b.Build(context.Background())
	want := `layouts/topics.html:2: template: bad character U+007D '}'`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}

	os.Remove(filepath.Join(dir, "layouts/topics.html"))
	_, err = b.Build(context.Background())
	want = `layouts/sources.html:3: template: executing "main" at <.Data.Nope>: can't evaluate field Nope in type interface {} (rendering page /sources/)`
	if err == nil || err.Error() != want {
		t.Errorf("errors:\n%v\nwant:\n%s", err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("a failed first build created public/")
	}
}

// TestOverrideLayout checks that a site's layout replaces the default of the
// same name and no other.
func TestOverrideLayout(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	os.MkdirAll(filepath.Join(dir, "layouts/static"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts/topics.html"), []byte(`{{define "main"}}<h1>Our own topics page</h1>{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "layouts/static/style.css"), []byte("body{color:red}\n"), 0o644)
	build(t, Options{Site: dir})
	out := filepath.Join(dir, "public")
	if got := read(t, out, "topics/index.html"); !strings.Contains(got, "Our own topics page") {
		t.Error("layouts/topics.html did not override the default")
	}
	if got := read(t, out, "style.css"); got != "body{color:red}\n" {
		t.Errorf("style.css = %q; want the site's own", got)
	}
	if got := read(t, out, "rounds/index.html"); !strings.Contains(got, "<h1>Rounds</h1>") {
		t.Error("the default rounds layout is gone")
	}
}

// TestHostileText checks that markup in scraped text reaches no page, feed
// or index as markup.
func TestHostileText(t *testing.T) {
	dir := writeSite(t, "hostile.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})
	for name := range files(t, out) {
		if name == "search.js" || name == "style.css" {
			continue
		}
		got := read(t, out, name)
		for _, bad := range []string{"<script>alert", "<img src=x", "javascript:", "<b>inline", "<b>Briefing"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	if got := read(t, out, "articles/evil/index.html"); !strings.Contains(got, "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Talks") {
		t.Error("the title was not kept as escaped text")
	}
}

// TestIncremental edits, adds and removes articles between builds of one
// Builder and checks that only the affected pages are rendered and that the
// output matches a fresh build.
func TestIncremental(t *testing.T) {
	t.Run("kept", func(t *testing.T) { testIncremental(t, false) })
	// A Builder told it builds once still builds again right.
	t.Run("once", func(t *testing.T) { testIncremental(t, true) })
}

func testIncremental(t *testing.T, once bool) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	b, err := New(Options{Site: dir, NoCache: true, Once: once})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first.Rendered != first.Pages {
		t.Errorf("first build rendered %d of %d pages", first.Rendered, first.Pages)
	}

	again, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.Rendered != 0 || again.Written != 0 {
		t.Errorf("unchanged rebuild rendered %d and wrote %d; want 0", again.Rendered, again.Written)
	}

	// Edit the body of one article: its page, its neighbours and the lists
	// showing its summary change; nothing else.
	p := filepath.Join(dir, "content/articles/third-round.md")
	src := strings.Replace(read(t, dir, "content/articles/third-round.md"), "about forty minutes", "forty-one minutes", 1)
	os.WriteFile(p, []byte(src), 0o644)
	edit, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if edit.Rendered == 0 || edit.Rendered > edit.Pages/2 {
		t.Errorf("editing one article rendered %d of %d pages", edit.Rendered, edit.Pages)
	}
	if got := read(t, out, "articles/third-round/index.html"); !strings.Contains(got, "forty-one minutes") {
		t.Error("the edited page was not rewritten")
	}
	if got := read(t, out, "rounds/round-1/index.html"); strings.Contains(got, "forty-one") {
		t.Error("an unrelated page changed")
	}

	// Change the outlet of the article on the round's second page: the
	// coverage on its first page, which does not list it, follows.
	p = filepath.Join(dir, "content/articles/lead-up-one.md")
	src = strings.Replace(read(t, dir, "content/articles/lead-up-one.md"), "source: Russia Today", "source: Evening Courier", 1)
	os.WriteFile(p, []byte(src), 0o644)
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	if got := read(t, out, "rounds/round-1/index.html"); !strings.Contains(got, "Russian state media: <strong>0</strong>") ||
		!strings.Contains(got, "Outlets not in the registry: <strong>1</strong>") {
		t.Error("the round's first page kept its coverage after an outlet on its second page changed")
	}

	// Remove an article: its page disappears.
	os.Remove(filepath.Join(dir, "content/articles/between.md"))
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "articles/between/index.html")); !os.IsNotExist(err) {
		t.Error("the removed article's page is still there")
	}
	if _, err := os.Stat(filepath.Join(out, "articles/between")); !os.IsNotExist(err) {
		t.Error("the removed article's directory is still there")
	}

	// The incremental output equals a fresh build of the same content.
	fresh := filepath.Join(dir, "fresh")
	build(t, Options{Site: dir, Out: fresh, NoCache: true})
	if a, b := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("incremental output differs from a fresh build:\n%v\n%v", sortedKeys(a), sortedKeys(b))
	}
}

// TestWarmCache checks that a second run of the command with nothing
// changed renders nothing and still produces the same output.
func TestWarmCache(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})
	before := files(t, out)
	res := build(t, Options{Site: dir})
	if res.Rendered != 0 {
		t.Errorf("warm build rendered %d pages; want 0", res.Rendered)
	}
	if after := files(t, out); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("warm build output differs")
	}
	if res.Parsed != 0 {
		t.Errorf("warm build parsed %d article files; want 0 (their front matter is in the cache file)", res.Parsed)
	}

	// An edited article is parsed again, and only it; the output equals a
	// fresh build.
	p := filepath.Join(dir, "content/articles/third-round.md")
	src := strings.Replace(read(t, dir, "content/articles/third-round.md"), "title: ", "title: Edited ", 1)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := build(t, Options{Site: dir}); res.Parsed != 1 {
		t.Errorf("after editing one article the build parsed %d files; want 1", res.Parsed)
	}
	if got := read(t, out, "articles/third-round/index.html"); !strings.Contains(got, "<h1>Edited ") {
		t.Error("the edited title is not on the article's page")
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(t, Options{Site: dir, Out: fresh, NoCache: true})
	if a, f := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(f) {
		t.Error("the warm build after an edit differs from a fresh build")
	}

	// A cache file another binary wrote is not used: its parse of the
	// front matter may not be this binary's.
	other, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	other.generator += " changed"
	res, err = other.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Parsed != 6 {
		t.Errorf("with the cache file of another binary the build parsed %d files; want all 6 (a draft too)", res.Parsed)
	}
	if a, f := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(f) {
		t.Error("with the cache file of another binary the output differs from a fresh build")
	}
	if res := build(t, Options{Site: dir}); res.Parsed != 6 {
		t.Errorf("after another binary's build the build parsed %d files; want all 6", res.Parsed)
	}

	// A cache file that is not one, or of another format, is ignored.
	cache := filepath.Join(dir, ".public.digest-cache")
	for _, junk := range []string{"", "{\"global\": 1}", "not a cache file at all"} {
		if err := os.WriteFile(cache, []byte(junk), 0o644); err != nil {
			t.Fatal(err)
		}
		if res := build(t, Options{Site: dir}); res.Parsed != 6 {
			t.Errorf("with a cache file of %q the build parsed %d files; want all 6 (a draft too)", junk, res.Parsed)
		}
		if a, f := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(f) {
			t.Errorf("with a cache file of %q the output differs from a fresh build", junk)
		}
	}

	// A removed article's page disappears from a cold run too.
	os.Remove(filepath.Join(dir, "content/articles/between.md"))
	build(t, Options{Site: dir})
	if _, err := os.Stat(filepath.Join(out, "articles/between")); !os.IsNotExist(err) {
		t.Error("the removed article's page survived the rebuild")
	}
}

func TestBaseURLErrors(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	b, _ := New(Options{Site: dir, BaseURL: "example.org/briefing"})
	_, err := b.Build(context.Background())
	want := `--base-url: base URL "example.org/briefing": want an absolute http or https URL such as https://owner.github.io/repo/`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v; want %s", err, want)
	}
	if l := diag.From(err); len(l) != 1 {
		t.Errorf("got %d diagnostics; want 1", len(l))
	}
}

// TestBundledSite builds the repository's own content: the five seed
// articles land in their rounds and topics, and every link resolves.
func TestBundledSite(t *testing.T) {
	root := filepath.Join("..", "..")
	out := filepath.Join(t.TempDir(), "public")
	base := "https://example.github.io/briefing/"
	res := build(t, Options{Site: root, Out: out, BaseURL: base, NoCache: true})
	if res.Pages < 40 {
		t.Errorf("bundled site has %d pages", res.Pages)
	}
	articles, _ := filepath.Glob(filepath.Join(out, "articles", "*", "index.html"))
	if len(articles) < 5 {
		t.Errorf("bundled site has %d article pages; want the 5 seeds at least", len(articles))
	}
	r1 := read(t, out, "rounds/round-1/index.html")
	r3 := read(t, out, "rounds/round-3/index.html")
	if strings.Count(r1, `class="entry"`) < 2 || strings.Count(r3, `class="entry"`) < 3 {
		t.Errorf("round-1 lists %d articles and round-3 %d; want 2 (Moscow Times lead-up) and 3 (two RT, one Kyiv Independent)",
			strings.Count(r1, `class="entry"`), strings.Count(r3, `class="entry"`))
	}
	problems, err := check.Dir(context.Background(), out, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// TestModTime checks that a fixed modification time reaches every file.
func TestModTime(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	when := time.Unix(1753228800, 0) // 2025-07-23
	build(t, Options{Site: dir, ModTime: when})
	n := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		if fi, err := os.Stat(p); err != nil || !fi.ModTime().Equal(when) {
			t.Errorf("%s: modification time %v; want %v", p, fi.ModTime(), when)
		}
		return nil
	})
	if n < 20 {
		t.Errorf("only %d files", n)
	}
}

// TestLayoutChange rebuilds after a layout change that rewrites every
// page, and checks the result equals a fresh build.
func TestLayoutChange(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "layouts/static"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts/static/style.css"), []byte("body{color:navy}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "layouts/topics.html"), []byte(`{{define "main"}}<h1>Topics, again</h1>{{end}}`), 0o644)
	os.Remove(filepath.Join(dir, "content/articles/between.md"))
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "fresh")
	build(t, Options{Site: dir, Out: fresh, NoCache: true})
	if a, f := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(f) {
		t.Errorf("rebuild differs from a fresh build:\n%v\n%v", sortedKeys(a), sortedKeys(f))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*"))
	if len(leftovers) > 0 {
		t.Errorf("staging directories left behind: %v", leftovers)
	}

	// A new Builder (a second run of the command) with a cache file whose
	// output was partly deleted re-renders what is missing.
	os.RemoveAll(filepath.Join(out, "topics"))
	res := build(t, Options{Site: dir})
	if res.Rendered == 0 {
		t.Error("nothing rendered after deleting part of the output")
	}
	if a, f := files(t, out), files(t, fresh); fmt.Sprint(a) != fmt.Sprint(f) {
		t.Errorf("repaired output differs from a fresh build")
	}
}

// TestEmptyFeedTime checks that a feed with no entries takes its time from
// ModTime (SOURCE_DATE_EPOCH), not from the clock.
func TestEmptyFeedTime(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir, ModTime: time.Unix(1753228800, 0)})
	if got := read(t, out, "rounds/round-2/feed.xml"); !strings.Contains(got, "<updated>2025-07-23T00:00:00Z</updated>") {
		t.Errorf("empty feed of round-2:\n%s", got)
	}
}

// TestOwnEntry checks that a layout defining its own "entry" gets its own
// entries, with links right at every depth, while the other layouts keep
// the default ones.
func TestOwnEntry(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	b, err := fs.ReadFile(layouts.FS, "topic.html")
	if err != nil {
		t.Fatal(err)
	}
	own := string(b) + `{{define "entry"}}{{$c := index . 0}}{{$a := index . 1}}<li class="own"><a href="{{$c.URL $a}}">{{$a.Title}}</a></li>{{end}}`
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "layouts", "topic.html"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	build(t, Options{Site: dir})

	topics, _ := filepath.Glob(filepath.Join(out, "topics", "*", "index.html"))
	pages, _ := filepath.Glob(filepath.Join(out, "topics", "*", "page", "*", "index.html"))
	if len(topics) == 0 || len(pages) == 0 {
		t.Fatalf("%d topic pages and %d further pages of them; want some of each", len(topics), len(pages))
	}
	for _, p := range append(topics, pages...) {
		b, _ := os.ReadFile(p)
		got := string(b)
		if strings.Contains(got, `class="entry"`) || !strings.Contains(got, `<li class="own">`) {
			t.Errorf("%s does not list its articles with the topic layout's own entry", p)
		}
		root := "../../"
		if strings.Contains(filepath.ToSlash(p), "/page/") {
			root = "../../../../"
		}
		if !strings.Contains(got, `<li class="own"><a href="`+root+`articles/`) {
			t.Errorf("%s: entry links do not start with %q", p, root+"articles/")
		}
	}
	if got := read(t, out, "articles/index.html"); strings.Contains(got, `class="own"`) || !strings.Contains(got, `<li class="entry">`) {
		t.Error("the article list lost the default entries")
	}
	if got := read(t, out, "rounds/round-1/index.html"); !strings.Contains(got, `<li class="entry">`+"\n"+`  <a class="title" href="../../articles/`) {
		t.Error("the round page's default entries do not link from its depth")
	}
}

// TestGeneratorID checks that the generator is known by its bytes: linked
// again with the same bytes (as `make build` does), it keeps the pages of
// the last build; changed, it renders them again.
func TestGeneratorID(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "digest")
	os.WriteFile(exe, []byte("the same binary"), 0o755)
	first := fileID(exe)
	os.Chtimes(exe, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	os.WriteFile(exe, []byte("the same binary"), 0o755)
	if again := fileID(exe); again != first || first == "" {
		t.Errorf("the same bytes written again: id %q, then %q", first, again)
	}
	os.WriteFile(exe, []byte("a newer binary"), 0o755)
	if other := fileID(exe); other == first {
		t.Error("a changed binary kept its id")
	}
}
