package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"digest/generator/content"
	"digest/generator/diag"
)

// clock is the time the re-import tests name their backups by.
func clock() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }

const backupName = ".import-backups/ukraine-derailing-peace-talks.20260102T030405Z.md"

// lavrovSite is a site with the seed page 001 imported once, as the
// importer writes it; it returns the site, the page and the article.
func lavrovSite(t *testing.T) (dir, page, article string) {
	t.Helper()
	dir = testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	page = filepath.Join(dir, "content", "inbox", "001.txt")
	if _, err := run(t, Options{Site: dir}, page); err != nil {
		t.Fatal(err)
	}
	return dir, page, filepath.Join(dir, "content", "articles", lavrov)
}

// edit applies replacements to text, failing when one does not apply.
func edit(t *testing.T, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("test setup: %q is not in:\n%s", pairs[i], text)
		}
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return text
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// noTemporaryFiles fails when an .import-*.tmp file is left anywhere in
// the site.
func noTemporaryFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".import-") && strings.HasSuffix(d.Name(), ".tmp") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}

// line returns the line of text that starts with prefix, with its
// newline, failing when there is none.
func line(t *testing.T, text, prefix string) string {
	t.Helper()
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	t.Fatalf("test setup: no line starts with %q in:\n%s", prefix, text)
	return ""
}

// editorsEdits makes the edits of the editor in the tests below, to the
// article orig as imported (whatever the analysis made of it): a word of
// the body, the date, still under review, and a key of their own.
func editorsEdits(t *testing.T, orig string) string {
	t.Helper()
	if !strings.Contains(line(t, orig, "review: "), "date") {
		t.Fatalf("test setup: the date is not under review in:\n%s", orig)
	}
	date := line(t, orig, "date: ")
	_, comment, _ := strings.Cut(date, "  #")
	return edit(t, orig,
		"Kiev is derailing", "Kyiv is derailing",
		date, "date: 2025-07-09  #"+comment,
		line(t, orig, "topic: "), "draft: true\n"+line(t, orig, "topic: "),
	)
}

// logLine checks the line printed for the seed page 001: its status, and
// the date it shows.
func logLine(t *testing.T, log, status, date string) {
	t.Helper()
	prefix := "content/inbox/001.txt -> content/articles/ukraine-derailing-peace-talks.md (" + status + "): "
	if !strings.HasPrefix(log, prefix) || !strings.Contains(log, " | "+date+" | ") || strings.Count(log, "\n") != 1 {
		t.Errorf("log:\n%s\nwant one line starting %q, with the date %s", log, prefix, date)
	}
}

// TestForceKeepsEdits: a forced re-import keeps a body edited by hand, an
// edited field still under review (still under review), and a key the
// editor added; it takes what changed on the page's side (a URL from a
// new sidecar); it says what it kept and where the backup is, and the
// backup is the article as the editor left it.
func TestForceKeepsEdits(t *testing.T) {
	dir, page, path := lavrovSite(t)
	orig := read(t, path)
	edited := editorsEdits(t, orig)
	write(t, path, []byte(edited))
	write(t, filepath.Join(dir, "content", "inbox", "001.yaml"), []byte("url: https://example.org/lavrov\n"))

	log, err := run(t, Options{Site: dir, Force: true, Now: clock}, page)
	if err != nil {
		t.Fatal(err)
	}
	logLine(t, log, "replaced, kept the editor's body, date and draft, backup "+backupName, "2025-07-09")
	// The record is the one a first import of the page with its URL writes.
	refDir, refPage, refPath := lavrovSite(t)
	write(t, filepath.Join(refDir, "content", "inbox", "001.yaml"), []byte("url: https://example.org/lavrov\n"))
	if _, err := run(t, Options{Site: refDir, Force: true, DiscardEdits: true, Now: clock}, refPage); err != nil {
		t.Fatal(err)
	}
	want := edit(t, orig,
		"Kiev is derailing", "Kyiv is derailing",
		line(t, orig, "date: "), "date: 2025-07-09\n",
		line(t, orig, "raw: "), "url: https://example.org/lavrov\n"+line(t, orig, "raw: "),
		line(t, orig, "review: "), line(t, orig, "review: ")+"draft: true\n",
		line(t, orig, RecordKey+": "), line(t, read(t, refPath), RecordKey+": "),
	)
	if got := read(t, path); got != want {
		t.Errorf("article:\n%s\nwant:\n%s", got, want)
	}
	if got := read(t, filepath.Join(dir, backupName)); got != edited {
		t.Errorf("backup:\n%s\nwant the article as the editor left it:\n%s", got, edited)
	}
	noTemporaryFiles(t, dir)

	// Again: the edits are still told apart from the importer's output,
	// so nothing changes, and the line says the edits are kept.
	log, err = run(t, Options{Site: dir, Force: true, Now: clock}, page)
	if err != nil {
		t.Fatal(err)
	}
	logLine(t, log, "unchanged, kept the editor's body, date and draft", "2025-07-09")
	if got := read(t, path); got != want {
		t.Errorf("second forced import changed the article:\n%s", got)
	}
}

// TestForceDiscardEdits: --discard-edits gives the fresh import, says what
// it dropped, and keeps the edited article as the backup.
func TestForceDiscardEdits(t *testing.T) {
	dir, page, path := lavrovSite(t)
	orig := read(t, path)
	edited := editorsEdits(t, orig)
	write(t, path, []byte(edited))

	log, err := run(t, Options{Site: dir, Force: true, DiscardEdits: true, Now: clock}, page)
	if err != nil {
		t.Fatal(err)
	}
	logLine(t, log, "replaced, discarded the editor's body, date and draft, backup "+backupName, strings.Fields(line(t, orig, "date: "))[1])
	if got := read(t, path); got != orig {
		t.Errorf("article:\n%s\nwant the fresh import:\n%s", got, orig)
	}
	if got := read(t, filepath.Join(dir, backupName)); got != edited {
		t.Errorf("backup:\n%s\nwant the edited article:\n%s", got, edited)
	}
}

// lineNo is the number of the line of text that starts with prefix.
func lineNo(t *testing.T, text, prefix string) int {
	t.Helper()
	l := line(t, text, prefix)
	return strings.Count(text[:strings.Index(text, l)], "\n") + 1
}

// TestForceGuessesAgain: a field under review that nobody touched is the
// importer's to guess again (here the date, once a fetch date is known);
// without the record the importer cannot tell, and keeps it.
func TestForceGuessesAgain(t *testing.T) {
	for _, withRecord := range []bool{true, false} {
		dir, page, path := lavrovSite(t)
		if !withRecord {
			text := read(t, path)
			write(t, path, []byte(edit(t, text, line(t, text, RecordKey+": "), "")))
		}
		write(t, filepath.Join(dir, "content", "inbox", "001.yaml"), []byte("fetched_at: 2025-07-21\n"))
		log, err := run(t, Options{Site: dir, Force: true, Now: clock}, page)
		if err != nil {
			t.Fatal(err)
		}
		got := read(t, path)
		review := ""
		if strings.Contains(got, "\nreview: ") {
			review = line(t, got, "review: ")
		}
		if withRecord {
			logLine(t, log, "replaced, backup "+backupName, "2025-07-15")
			if !strings.HasPrefix(line(t, got, "date: "), "date: 2025-07-15  # ") || strings.Contains(review, "date") {
				t.Errorf("with the record: article:\n%s\nwant the date guessed again, not under review", got)
			}
		} else {
			if !strings.Contains(log, "(replaced, kept the editor's date") || line(t, got, "date: ") != "date: 2025-07-08\n" || !strings.Contains(review, "date") {
				t.Errorf("without the record: log %q, article:\n%s\nwant the old date kept, under review", log, got)
			}
		}
	}
}

// TestForceKeepsRFC3339Date: a date an editor wrote with a time is kept as
// written, not cut to the day.
func TestForceKeepsRFC3339Date(t *testing.T) {
	dir, page, path := lavrovSite(t)
	text := read(t, path)
	write(t, path, []byte(edit(t, text, line(t, text, "date: "), "date: 2025-07-08T14:30:00+03:00\n")))
	if _, err := run(t, Options{Site: dir, Force: true, Now: clock}, page); err != nil {
		t.Fatal(err)
	}
	if got := read(t, path); line(t, got, "date: ") != "date: \"2025-07-08T14:30:00+03:00\"\n" {
		t.Errorf("article lost the time of its date:\n%s", got)
	}
}

// TestReimportBadArticle: an article the importer cannot merge with is an
// error naming its file and line; the article is left as it is, no backup
// is made and no temporary file is left.
func TestReimportBadArticle(t *testing.T) {
	const file = "content/articles/ukraine-derailing-peace-talks.md"
	tests := []struct {
		name string
		edit func(orig string) string
		want func(orig string) string
	}{
		{"duplicate key",
			func(o string) string {
				return edit(t, o, line(t, o, "topic: "), line(t, o, "topic: ")+"title: Another\n")
			},
			func(o string) string {
				return fmt.Sprintf(`%s:%d: import: front matter: key "title" is already used at line 2`, file, lineNo(t, o, "topic: ")+1)
			}},
		{"broken yaml",
			func(o string) string { return edit(t, o, line(t, o, "topic: "), "topic: x\n  x: y\n") },
			func(o string) string {
				return fmt.Sprintf(`%s:%d: import: front matter: mapping values are not allowed in this context`, file, lineNo(t, o, "topic: ")+1)
			}},
		{"unclosed",
			func(o string) string { return edit(t, o, "\n---\n", "\n\n") },
			func(string) string { return file + ":1: import: front matter: no closing --- line" }},
		{"bad record",
			func(o string) string {
				return edit(t, o, line(t, o, RecordKey+": "), RecordKey+": body=94b52512f531 date=yes\n")
			},
			func(o string) string {
				return fmt.Sprintf(`%s:%d: import: imported: not the record digest import writes; delete the line, and every difference from the page will be kept as an edit`, file, lineNo(t, o, RecordKey+": "))
			}},
		{"bad date kept",
			func(o string) string { return edit(t, o, line(t, o, "date: "), "date: 13/05\n") },
			func(o string) string {
				return fmt.Sprintf(`%s:%d: import: date "13/05": want YYYY-MM-DD or RFC 3339; correct it, or re-import with --discard-edits`, file, lineNo(t, o, "date: "))
			}},
	}
	for _, tt := range tests {
		dir, page, path := lavrovSite(t)
		orig := read(t, path)
		bad, want := tt.edit(orig), tt.want(orig)
		write(t, path, []byte(bad))
		log, err := run(t, Options{Site: dir, Force: true, Now: clock}, page)
		if got := diag.From(err); len(got) != 1 || got[0].Error() != want || log != "" {
			t.Errorf("%s: error %v, log %q; want %q and no log", tt.name, err, log, want)
		}
		if got := read(t, path); got != bad {
			t.Errorf("%s: the article changed:\n%s", tt.name, got)
		}
		if _, err := os.Stat(filepath.Join(dir, BackupDir)); !os.IsNotExist(err) {
			t.Errorf("%s: a backup folder was made (stat: %v)", tt.name, err)
		}
		noTemporaryFiles(t, dir)
	}
}

// TestBackupFails: when no backup can be made the article is not
// overwritten.
func TestBackupFails(t *testing.T) {
	dir, page, path := lavrovSite(t)
	edited := editorsEdits(t, read(t, path))
	write(t, path, []byte(edited))
	write(t, filepath.Join(dir, BackupDir), []byte("a file where the backups go"))
	_, err := run(t, Options{Site: dir, Force: true, DiscardEdits: true, Now: clock}, page)
	want := "content/inbox/001.txt: import: backup of content/articles/ukraine-derailing-peace-talks.md: not a directory; the article is unchanged"
	if err == nil || err.Error() != want {
		t.Errorf("error %v; want %q", err, want)
	}
	if got := read(t, path); got != edited {
		t.Errorf("the article changed:\n%s", got)
	}
	noTemporaryFiles(t, dir)
}

// TestOutNotAFolder: --out naming a file is refused before anything is
// written.
func TestOutNotAFolder(t *testing.T) {
	dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	out := filepath.Join(dir, "content", "articles")
	write(t, out, []byte("not a folder"))
	leftover := filepath.Join(dir, "content", "inbox", ".import-1.tmp")
	write(t, leftover, nil)
	_, err := run(t, Options{Site: dir}, filepath.Join(dir, "content", "inbox"))
	if want := "content/articles: import: not a folder; the articles are written into a folder"; err == nil || err.Error() != want {
		t.Errorf("error %v; want %q", err, want)
	}
	if got := read(t, out); got != "not a folder" {
		t.Errorf("--out changed: %q", got)
	}
	if _, err := os.Stat(leftover); err != nil {
		t.Errorf("a refused run removed files: %v", err)
	}
}

// TestLeftoversRemoved: the temporary files a killed run left in the
// articles folder and the inbox are removed by the next run that writes,
// which says so; a dry run leaves them.
func TestLeftoversRemoved(t *testing.T) {
	dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
	left := []string{
		filepath.Join(dir, "content", "articles", ".import-123.tmp"),
		filepath.Join(dir, "content", "inbox", ".import-456.tmp"),
	}
	for _, p := range left {
		write(t, p, []byte("half an article"))
	}
	keep := filepath.Join(dir, "content", "inbox", "import-notes.tmp") // not the importer's
	write(t, keep, nil)
	inbox := filepath.Join(dir, "content", "inbox")

	log, err := run(t, Options{Site: dir, DryRun: true}, inbox)
	if err != nil || strings.Contains(log, "removed") {
		t.Errorf("dry run: error %v, log %q; want nothing removed", err, log)
	}
	for _, p := range left {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("dry run removed %s", p)
		}
	}

	log, err = run(t, Options{Site: dir}, inbox)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(log, "\n")
	want := "removed 2 temporary files left by an interrupted import: content/articles/.import-123.tmp, content/inbox/.import-456.tmp"
	if first != want {
		t.Errorf("first line %q; want %q", first, want)
	}
	noTemporaryFiles(t, dir)
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("removed a file that is not the importer's: %v", err)
	}
}

// TestRecordIsCacheable: the record is one text, so the build's cache of
// front matter keeps an imported article instead of parsing it on every
// build.
func TestRecordIsCacheable(t *testing.T) {
	dir, _, _ := lavrovSite(t)
	var l content.Loader
	if _, err := l.Load(os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	if saved := l.Saved(); len(saved) != 1 {
		t.Errorf("the cache keeps %d articles; want the imported one", len(saved))
	}
}

// TestForceDryRun: a forced dry run says what it would keep and writes
// neither the article nor a backup.
func TestForceDryRun(t *testing.T) {
	dir, page, path := lavrovSite(t)
	edited := editorsEdits(t, read(t, path))
	write(t, path, []byte(edited))
	write(t, filepath.Join(dir, "content", "inbox", "001.yaml"), []byte("url: https://example.org/lavrov\n"))
	log, err := run(t, Options{Site: dir, Force: true, DryRun: true, Now: clock}, page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log, "(replaced, kept the editor's body, date and draft, dry run)") {
		t.Errorf("log %q; want it to say what would be kept, dry run", log)
	}
	if got := read(t, path); got != edited {
		t.Errorf("a dry run changed the article:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, BackupDir)); !os.IsNotExist(err) {
		t.Errorf("a dry run made a backup folder (stat: %v)", err)
	}
}

// TestWriteFails: when the article cannot be written the error says so
// and the article is as it was.
func TestWriteFails(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes into a read-only folder; run as another user to test a failed write")
	}
	dir, page, path := lavrovSite(t)
	edited := editorsEdits(t, read(t, path))
	write(t, path, []byte(edited))
	articlesDir := filepath.Dir(path)
	if err := os.Chmod(articlesDir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(articlesDir, 0o755)
	_, err := run(t, Options{Site: dir, Force: true, DiscardEdits: true, Now: clock}, page)
	want := "content/inbox/001.txt: import: write content/articles/ukraine-derailing-peace-talks.md: permission denied; the article is unchanged"
	if err == nil || err.Error() != want {
		t.Errorf("error %v; want %q", err, want)
	}
	if got := read(t, path); got != edited {
		t.Errorf("the article changed:\n%s", got)
	}
	noTemporaryFiles(t, dir)
}

// FuzzGenerate: whatever text a page gives, the article rendered for it
// reads back; re-importing the page over its untouched article changes
// nothing and finds no edit; and a body edited by hand is kept.
func FuzzGenerate(f *testing.F) {
	f.Add("Ukraine derailing peace talks", "RT", `signed "Russia Today"`, "Kiev is derailing peace efforts.", "2025-07-08")
	f.Add("---", "a: b", "# ---", "---\n---", "2025-05-16")
	f.Add("title: x\n---\nraw: y", "\"'", "\n", "<script>", "2022-03-29")
	f.Fuzz(func(t *testing.T, title, source, why, para, date string) {
		for _, s := range []string{title, source, why, para} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Skip("readPage refuses a page that is not UTF-8 text")
			}
		}
		day, err := time.Parse(time.DateOnly, date)
		if err != nil {
			day = time.Date(2025, 5, 16, 0, 0, 0, 0, time.UTC)
		}
		d := &Draft{
			Slug: "x", Title: title, Source: source, Date: day, Topic: "ceasefire", Round: "round-1",
			Raw: "content/inbox/x.txt", Review: []string{"title", "source", "date"},
			Paragraphs: []string{para, "Second paragraph."},
			Why:        map[string]string{"title": why, "source": why, "date": why},
		}
		data, err := fresh(d)
		if err != nil {
			t.Fatal(err)
		}
		r, err := reimport("x.md", d, data, false)
		if err != nil {
			t.Fatalf("re-import over the untouched article: %v\n%s", err, data)
		}
		if string(r.data) != string(data) || len(r.edits) > 0 {
			t.Fatalf("re-import over the untouched article found edits %v or changed it:\n%s\nwant:\n%s", r.edits, r.data, data)
		}
		edited := append(slices.Clone(data), "\nAn editor's paragraph.\n"...)
		r, err = reimport("x.md", d, edited, false)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(string(r.data), "\nAn editor's paragraph.\n") || !slices.Equal(r.edits, []string{"body"}) {
			t.Fatalf("edited body: edits %v, article:\n%s", r.edits, r.data)
		}
	})
}

// TestForceRecordTellsApart: with the record, a field the importer was
// sure of and nobody touched is guessed again, a field an editor
// confirmed by taking it off review: is kept even unchanged, and a field
// an editor put on review: stays there.
func TestForceRecordTellsApart(t *testing.T) {
	sidecar := func(dir, text string) {
		write(t, filepath.Join(dir, "content", "inbox", "001.yaml"), []byte(text))
	}
	t.Run("sure and untouched", func(t *testing.T) {
		dir := testSite(t, map[string][]byte{"001.txt": seed(t, "001_ddd55587bb5b04cc.txt")})
		page := filepath.Join(dir, "content", "inbox", "001.txt")
		path := filepath.Join(dir, "content", "articles", lavrov)
		sidecar(dir, "url: https://example.org/a\n")
		if _, err := run(t, Options{Site: dir}, page); err != nil {
			t.Fatal(err)
		}
		sidecar(dir, "url: https://example.org/b\n")
		log, err := run(t, Options{Site: dir, Force: true, Now: clock}, page)
		if err != nil {
			t.Fatal(err)
		}
		if got := read(t, path); line(t, got, "url: ") != "url: https://example.org/b\n" || !strings.Contains(log, "(replaced, backup ") {
			t.Errorf("log %q, article:\n%s\nwant the new URL taken, nothing kept", log, got)
		}
	})
	t.Run("confirmed unchanged", func(t *testing.T) {
		dir, page, path := lavrovSite(t)
		orig := read(t, path)
		review := line(t, orig, "review: ")
		confirmed := strings.Replace(review, "date, ", "", 1)
		confirmed = strings.Replace(confirmed, ", date", "", 1)
		if confirmed == "review: [date]\n" {
			confirmed = ""
		}
		write(t, path, []byte(edit(t, orig, review, confirmed)))
		sidecar(dir, "fetched_at: 2025-07-21\n") // the fresh guess is another date
		log, err := run(t, Options{Site: dir, Force: true, Now: clock}, page)
		if err != nil {
			t.Fatal(err)
		}
		got := read(t, path)
		if line(t, got, "date: ") != "date: 2025-07-08\n" || strings.Contains(got, "review: [date") || strings.Contains(got, ", date") ||
			!strings.Contains(log, "kept the editor's date") {
			t.Errorf("log %q, article:\n%s\nwant the confirmed date kept, off review", log, got)
		}
	})
	t.Run("put on review", func(t *testing.T) {
		dir, page, path := lavrovSite(t)
		orig := read(t, path)
		review := line(t, orig, "review: ")
		write(t, path, []byte(edit(t, orig, review, strings.Replace(review, "]", ", url]", 1))))
		sidecar(dir, "url: https://example.org/a\n")
		if _, err := run(t, Options{Site: dir, Force: true, Now: clock}, page); err != nil {
			t.Fatal(err)
		}
		if got := read(t, path); !strings.Contains(line(t, got, "review: "), "url") {
			t.Errorf("article:\n%s\nwant url still on review:", got)
		}
	})
}
