package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestReviewCommand: digest review prints the queue, or JSON with --json;
// a broken article is reported on stderr with exit 1 while the queue of
// the others is still printed; usage errors exit 2.
func TestReviewCommand(t *testing.T) {
	dir := t.TempDir()
	articles := filepath.Join(dir, "content", "articles")
	writeFile(t, filepath.Join(articles, "a.md"), []byte("---\ntitle: A\nsource: RT\ndate: 2025-05-16  # dateline\ntopic: ceasefire\nreview: [date]\n---\n"))
	writeFile(t, filepath.Join(articles, "b.md"), []byte("---\ntitle: B\nsource: RT\ndate: 2025-05-17\ntopic: ceasefire\n---\n"))

	wantText := "2025-05-16  \"A\"  RT\n  content/articles/a.md:4: date: 2025-05-16  (dateline)\n\n" +
		"1 article, 1 field to review; take each from its review: list once checked\n"
	if code, stdout, stderr := runCmd("review", "--site", dir); code != 0 || stdout != wantText || stderr != "" {
		t.Errorf("review: exit %d, stdout %q, stderr %q; want 0, %q", code, stdout, stderr, wantText)
	}

	code, stdout, stderr := runCmd("review", "--site", dir, "--json")
	var got struct {
		Articles []struct {
			Path   string
			Fields []struct{ Field, Value, Why string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); code != 0 || err != nil || stderr != "" ||
		len(got.Articles) != 1 || got.Articles[0].Path != "content/articles/a.md" || got.Articles[0].Fields[0].Why != "dateline" {
		t.Errorf("review --json: exit %d, stdout %q, stderr %q, decoded %+v (%v)", code, stdout, stderr, got, err)
	}

	writeFile(t, filepath.Join(articles, "c.md"), []byte("title: no front matter\n"))
	code, stdout, stderr = runCmd("review", "--site", dir)
	if want := "content/articles/c.md:1: review: front matter: missing; start the file with a --- line\n"; code != 1 || stdout != wantText || stderr != want {
		t.Errorf("broken article: exit %d, stdout %q, stderr %q; want 1, the queue, %q", code, stdout, stderr, want)
	}

	for _, args := range [][]string{{"review", "--nope"}, {"review", "stray"}} {
		if code, _, stderr := runCmd(args...); code != 2 || !strings.Contains(stderr, "usage: digest review") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and the usage", args, code, stderr)
		}
	}
	if code, _, stderr := runCmd("review", "--site", filepath.Join(dir, "nope")); code != 1 || !strings.Contains(stderr, "not a folder") {
		t.Errorf("missing site: exit %d, stderr %q", code, stderr)
	}
}
