package importer

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"digest/generator/content"
	"digest/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// moduleRoot is the repository root, two levels up from this package.
const moduleRoot = "../.."

// bundledSite loads the project's own registries.
func bundledSite(t *testing.T) *content.Site {
	t.Helper()
	site, err := content.LoadRegistries(os.DirFS(moduleRoot))
	if err != nil {
		t.Fatalf("bundled registries: %v", err)
	}
	return site
}

// TestSeedsGolden imports the five seed pages with the bundled registries
// and compares each article, front matter and body, with its golden file.
// Run with -update to rewrite them, then review the diff.
func TestSeedsGolden(t *testing.T) {
	site := bundledSite(t)
	raws, err := filepath.Glob(filepath.Join(moduleRoot, "content", "inbox", "*.txt"))
	if err != nil || len(raws) != 5 {
		t.Fatalf("want the 5 seed pages in content/inbox, got %d (%v)", len(raws), err)
	}
	for _, raw := range raws {
		data, err := os.ReadFile(raw)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(raw)
		d, err := Analyze(site, Page{Raw: "content/inbox/" + name, Text: string(data)})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got := Render(d)
		golden := filepath.Join("testdata", "seeds", strings.TrimSuffix(name, ".txt")+".md")
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: article differs from %s; got:\n%s", name, golden, got)
		}
	}
}

// TestSeedFields states what the seeds must come out as, independently of
// the golden files: the facts in ../shared/rounds-facts.md and the pages.
func TestSeedFields(t *testing.T) {
	site := bundledSite(t)
	tests := []struct {
		file, title, source, topic, round string
		date                              string // "" when only an estimate is possible
		review                            []string
	}{
		{"000_02204aa9e5cd7f2d.txt", "Istanbul talks format ‘exhausted itself'", "RT", "talks-format", "round-3", "", []string{"date", "round"}},
		{"001_ddd55587bb5b04cc.txt", "Ukraine derailing peace talks", "RT", "talks-format", "round-3", "", []string{"date", "round"}},
		{"002_4da82f6481d0e883.txt", "Kremlin indicates Putin-Zelensky meeting unlikely before August amid ongoing Russia-Ukraine negotiations", "The Kyiv Independent", "leaders-summit", "round-3", "", []string{"source", "date", "round"}},
		{"003_f4f283e0c69cc692.txt", "", "The Moscow Times", "", "round-1", "", []string{"title", "date", "topic", "round"}},
		{"004_abc6d72f65a6a919.txt", "Kremlin Yet to Confirm Who It’s Sending to Istanbul Talks With Ukraine", "The Moscow Times", "delegations", "round-1", "2025-05-13", nil},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(filepath.Join(moduleRoot, "content", "inbox", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Analyze(site, Page{Raw: "content/inbox/" + tt.file, Text: string(data)})
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		check := func(field, got, want string) {
			if want != "" && got != want {
				t.Errorf("%s: %s %q; want %q", tt.file, field, got, want)
			}
		}
		check("title", d.Title, tt.title)
		check("source", d.Source, tt.source)
		check("topic", d.Topic, tt.topic)
		check("round", d.Round, tt.round)
		check("date", d.Date.Format(time.DateOnly), tt.date)
		check("review", strings.Join(d.Review, ","), strings.Join(tt.review, ","))
		// A sure date decides the round by the rule; an estimate does not.
		if r := content.AssignRound(site.Rounds, d.Date); !slices.Contains(d.Review, "date") && (r == nil || r.ID != d.Round) {
			t.Errorf("%s: date %s gives round %v by the rule; want %s", tt.file, d.Date.Format(time.DateOnly), r, d.Round)
		}
	}
}

// testSite makes a site folder with the bundled registries and the given
// raw pages in content/inbox.
func testSite(t *testing.T, pages map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{content.SiteFile, content.TopicsFile, content.RoundsFile, content.SourcesFile} {
		data, err := os.ReadFile(filepath.Join(moduleRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, f), data)
	}
	for name, data := range pages {
		write(t, filepath.Join(dir, "content", "inbox", name), data)
	}
	return dir
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func seed(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot, "content", "inbox", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func run(t *testing.T, opts Options, paths ...string) (string, error) {
	t.Helper()
	var log bytes.Buffer
	opts.Log = &log
	if opts.ReadHTML == nil {
		opts.ReadHTML = readHTML
	}
	err := Import(context.Background(), opts, paths)
	return log.String(), err
}

func articles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "content", "articles", "*"))
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = string(data)
	}
	return out
}

const lavrov = "ukraine-derailing-peace-talks.md"

// TestImportWritesLoadableArticles: what the importer writes, the content
// loader reads without a problem, and the round it writes is the one the
// round rule gives for the date.
func TestImportWritesLoadableArticles(t *testing.T) {
	dir := testSite(t, map[string][]byte{
		"000.txt": seed(t, "000_02204aa9e5cd7f2d.txt"),
		"001.txt": seed(t, "001_ddd55587bb5b04cc.txt"),
	})
	log, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if n := strings.Count(log, "\n"); n != 2 {
		t.Errorf("printed %d lines; want one per page:\n%s", n, log)
	}
	site, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatalf("loading the imported articles: %v", err)
	}
	if len(site.Articles) != 2 {
		t.Fatalf("loaded %d articles; want 2", len(site.Articles))
	}
	for _, a := range site.Articles {
		if a.Source == nil || a.Topic == nil || a.Round == nil || len(a.Review) == 0 || a.Raw == "" {
			t.Errorf("%s: source %v, topic %v, round %v, review %v, raw %q", a.Path, a.Source, a.Topic, a.Round, a.Review, a.Raw)
		}
	}
}

// TestReimportIsIdentical: importing the same page again leaves the same
// bytes and says so.
func TestReimportIsIdentical(t *testing.T) {
	dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	page := filepath.Join(dir, "content", "inbox", "001.txt")
	if _, err := run(t, Options{Site: dir}, page); err != nil {
		t.Fatal(err)
	}
	first := articles(t, dir)
	for _, force := range []bool{false, true} {
		log, err := run(t, Options{Site: dir, Force: force}, page)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log, "(unchanged)") {
			t.Errorf("force=%v: log %q; want it to say unchanged", force, log)
		}
		if got := articles(t, dir); got[lavrov] != first[lavrov] || len(got) != 1 {
			t.Errorf("force=%v: re-import changed the article:\n%s", force, got[lavrov])
		}
	}
}

// TestForce: an edited article is kept without --force; with --force the
// page is re-imported but the fields the editor confirmed, and the body
// edited by hand, stay. reimport_test.go tests the other cases.
func TestForce(t *testing.T) {
	dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	page := filepath.Join(dir, "content", "inbox", "001.txt")
	if _, err := run(t, Options{Site: dir}, page); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "content", "articles", lavrov)
	orig, _ := os.ReadFile(path)
	// The editor sets the date, confirms it and the round by taking them
	// off the review list, and fixes a word in the body.
	edited := strings.Replace(string(orig), "date: 2025-07-08", "date: 2025-07-15", 1)
	edited = strings.Replace(edited, "review: [date, round]\n", "", 1)
	edited = strings.Replace(edited, "Kiev is derailing", "Kyiv is derailing", 1)
	if edited == string(orig) {
		t.Fatal("test setup: the article did not contain what the editor changes")
	}
	write(t, path, []byte(edited))

	log, err := run(t, Options{Site: dir}, page)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != edited || !strings.Contains(log, "exists, kept") {
		t.Errorf("without --force the edited article changed, or the log does not say it was kept: %q", log)
	}

	if _, err := run(t, Options{Site: dir, Force: true}, page); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	for _, want := range []string{"date: 2025-07-15\n", "title: Ukraine derailing peace talks", "Kyiv is derailing"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("with --force: article lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(got), "review:") {
		t.Errorf("with --force: the confirmed date is back under review:\n%s", got)
	}
}

// TestDryRun writes nothing, not even the articles folder.
func TestDryRun(t *testing.T) {
	dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	log, err := run(t, Options{Site: dir, DryRun: true}, filepath.Join(dir, "content", "inbox"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "dry run") || !strings.Contains(log, "Ukraine derailing peace talks") {
		t.Errorf("log %q; want the page's line marked dry run", log)
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "articles")); !os.IsNotExist(err) {
		t.Errorf("dry run created content/articles (stat: %v)", err)
	}
}

// TestBadPages: each unusable page is one error naming it; the good page
// is still imported.
func TestBadPages(t *testing.T) {
	dir := testSite(t, map[string][]byte{
		"good.txt":   seed(t, "004_abc6d72f65a6a919.txt"),
		"empty.txt":  {},
		"blank.txt":  []byte("\n \n"),
		"binary.txt": []byte("PK\x03\x04\x00\x00binary"),
		"latin1.txt": []byte("Caf\xe9 au lait in Kyiv"),
		"huge.txt":   bytes.Repeat([]byte("word "), MaxPageSize/5+1),
		"menu.txt":   []byte("Home\nNews\nSport\n"),
	})
	_, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	got := map[string]string{}
	for _, d := range diag.From(err) {
		got[d.File] = d.Msg
	}
	want := map[string]string{
		"content/inbox/empty.txt":  "import: file is empty",
		"content/inbox/blank.txt":  "import: file is empty",
		"content/inbox/binary.txt": "import: file is binary, not text",
		"content/inbox/latin1.txt": "import: file is not valid UTF-8 text",
		"content/inbox/huge.txt":   "import: file is larger than 2 MiB; not a scraped page",
		"content/inbox/menu.txt":   "import: no article text found",
	}
	for file, msg := range want {
		if got[file] != msg {
			t.Errorf("%s: error %q; want %q", file, got[file], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors %v; want exactly %v", got, want)
	}
	if a := articles(t, dir); len(a) != 1 {
		t.Errorf("imported %d articles; want the good page's only", len(a))
	}
}

// TestMissingPath: a path that does not exist is an error naming it.
func TestMissingPath(t *testing.T) {
	dir := testSite(t, nil)
	_, err := run(t, Options{Site: dir}, filepath.Join(dir, "nope.txt"))
	if err == nil || !strings.Contains(err.Error(), "nope.txt: import: no such file or directory") {
		t.Errorf("error %v; want one naming nope.txt", err)
	}
}

// TestSameTitleTwoPages: a second page with the same headline does not
// overwrite the first page's article.
func TestSameTitleTwoPages(t *testing.T) {
	page := seed(t, "004_abc6d72f65a6a919.txt")
	dir := testSite(t, map[string][]byte{"a.txt": page, "b.txt": append([]byte("Extra line\n"), page...)})
	if _, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox")); err != nil {
		t.Fatal(err)
	}
	a := articles(t, dir)
	if len(a) != 2 || a["kremlin-yet-to-confirm-who-its-sending-to-istanbul-talks-2.md"] == "" {
		t.Errorf("articles %v; want the second with suffix -2", keys(a))
	}
}

// TestSameTitleManyPages: pages of one headline get the free suffixes in
// order, skipping a name an article already on disk has.
func TestSameTitleManyPages(t *testing.T) {
	page := seed(t, "004_abc6d72f65a6a919.txt")
	const slug = "kremlin-yet-to-confirm-who-its-sending-to-istanbul-talks"
	pages := map[string][]byte{}
	for i := range 4 {
		pages[fmt.Sprintf("p%d.txt", i)] = append([]byte(strings.Repeat("Extra line\n", i)), page...)
	}
	dir := testSite(t, pages)
	other := filepath.Join(dir, "content", "articles", slug+"-3.md")
	os.MkdirAll(filepath.Dir(other), 0o755)
	if err := os.WriteFile(other, []byte("---\ntitle: Another article\n---\n\nBody.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox")); err != nil {
		t.Fatal(err)
	}
	got := keys(articles(t, dir))
	slices.Sort(got)
	want := []string{slug + "-2.md", slug + "-3.md", slug + "-4.md", slug + "-5.md", slug + ".md"}
	if !slices.Equal(got, want) {
		t.Errorf("articles %v; want %v", got, want)
	}
	if b, _ := os.ReadFile(other); !strings.Contains(string(b), "Another article") {
		t.Errorf("the article already at %s-3.md was overwritten", slug)
	}
}

// TestSidecar: NAME.yaml beside a page gives its URL and fetch date, which
// resolves "6 days ago".
func TestSidecar(t *testing.T) {
	dir := testSite(t, map[string][]byte{
		"001.txt":  seed(t, "001_ddd55587bb5b04cc.txt"),
		"001.yaml": []byte("url: https://example.org/lavrov\nfetched_at: 2025-07-21\n"),
	})
	if _, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox", "001.txt")); err != nil {
		t.Fatal(err)
	}
	got := articles(t, dir)[lavrov]
	for _, want := range []string{"date: 2025-07-15  # \"6 days ago\" before fetch on 2025-07-21", "url: https://example.org/lavrov"} {
		if !strings.Contains(got, want) {
			t.Errorf("article lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "review:") {
		t.Errorf("with a fetch date nothing should need review:\n%s", got)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
