package review

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"digest/generator/content"
	"digest/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// registries is a minimal valid set of registry files.
var registries = map[string]string{
	content.SiteFile:   "title: Test digest\nbase_url: https://example.org/\n",
	content.TopicsFile: "- id: ceasefire\n  name: Ceasefire\n- id: talks-format\n  name: Talks format\n",
	content.RoundsFile: "- id: round-1\n  name: First round\n  date: 2025-05-16\n- id: round-3\n  name: Third round\n  date: 2025-07-23\n",
	content.SourcesFile: `- name: RT
  aliases: [Russia Today]
  affiliation: Russian state media
- name: The Moscow Times
  affiliation: independent, in exile
`,
}

func site(articles map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for k, v := range registries {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	for k, v := range articles {
		fsys["content/articles/"+k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fsys
}

// queueSite has articles as the importer writes them, one an editor
// finished, one whose reason the editor deleted, one with TOML front
// matter, a draft, and files that are not articles.
var queueSite = site(map[string]string{
	"lavrov.md": `---
title: Ukraine derailing peace talks
source: RT  # signed "Russia Today6 days ago", "Russia Today"
date: 2025-07-08  # estimate: after round-2 ("two rounds" held), before round-3; said on a Tuesday
topic: talks-format  # headline and lead 2, text 3: format 3
round: round-3  # text, ahead: "third round"; date agrees
raw: content/inbox/001.txt
review: [date]
---

Body.
`,
	"putin.md": `---
title: ""  # no headline; the start of the lead
source: The Moscow Times  # signed "We, the journalists of The Moscow Times"
date: 2025-05-12  # estimate: before round-1
topic: ceasefire
round: round-1
url: https://example.org/putin
raw: content/inbox/003.txt
review: [title, date, topic, venue]
---

Body.
`,
	"done.md": `---
title: Reviewed
source: RT
date: 2025-07-30
topic: ceasefire
---

Body.
`,
	"toml.md": `+++
title = "Written in TOML"
source = "RT"
date = "2025-06-01"
topic = "ceasefire"
review = ["topic"]
+++

Body.
`,
	"draft.md": `---
title: Not yet
source: Some Outlet  # signed "© Some Outlet 2025"
date: 2025-07-24
topic: ceasefire
draft: true
review: [source]
---
`,
	".hidden.md":  "---\ntitle: x\nreview: [date]\n---\n",
	"notes.txt":   "review: [date]\n",
	"sub/deep.md": "---\ntitle: In a folder\nsource: RT\ndate: 2025-05-20\ntopic: ceasefire\nreview: [round]\n---\n",
})

// TestQueue: the articles with fields to review, newest first, each field
// with its value, line and the importer's reason, in the text and the JSON
// forms (golden files; -update rewrites them).
func TestQueue(t *testing.T) {
	queue, err := Queue(queueSite)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, it := range queue {
		paths = append(paths, it.Path)
	}
	want := []string{
		"content/articles/draft.md", "content/articles/lavrov.md", "content/articles/toml.md",
		"content/articles/sub/deep.md", "content/articles/putin.md",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("queue %q; want %q", paths, want)
	}
	var text, js bytes.Buffer
	if err := WriteText(&text, queue); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, queue); err != nil {
		t.Fatal(err)
	}
	golden(t, "queue.txt", text.Bytes())
	golden(t, "queue.json", js.Bytes())

	// The JSON reads back as what Queue gave.
	var back struct{ Articles []Item }
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Articles) != len(queue) || back.Articles[4].Fields[1] != (Field{Name: "date", Value: "2025-05-12", Line: 4, Why: "estimate: before round-1"}) {
		t.Errorf("JSON read back: %+v", back.Articles)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs; got:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestQueueEmpty: no articles folder, or nothing to review, is an empty
// queue, said as such.
func TestQueueEmpty(t *testing.T) {
	for _, fsys := range []fstest.MapFS{site(nil), site(map[string]string{"a.md": "---\ntitle: A\n---\n"})} {
		queue, err := Queue(fsys)
		if err != nil || len(queue) != 0 {
			t.Errorf("queue %v, error %v; want empty", queue, err)
		}
		var text, js bytes.Buffer
		WriteText(&text, queue)
		WriteJSON(&js, queue)
		if text.String() != "nothing to review\n" || js.String() != "{\n  \"articles\": []\n}\n" {
			t.Errorf("text %q, JSON %q; want nothing to review and an empty list", text.String(), js.String())
		}
	}
}

// TestQueueBrokenArticle: an article that cannot be read is reported with
// its line; the others are still in the queue.
func TestQueueBrokenArticle(t *testing.T) {
	fsys := site(map[string]string{
		"ok.md":     "---\ntitle: A\ndate: 2025-05-16\nreview: [date]\n---\n",
		"broken.md": "---\ntitle: A\ntitle: B\nreview: [date]\n---\n",
	})
	queue, err := Queue(fsys)
	want := `content/articles/broken.md:3: review: front matter: key "title" is already used at line 2`
	if got := diag.From(err); len(got) != 1 || got[0].Error() != want {
		t.Errorf("error %v; want %q", err, want)
	}
	if len(queue) != 1 || queue[0].Path != "content/articles/ok.md" {
		t.Errorf("queue %+v; want ok.md only", queue)
	}

	notAFolder := site(nil)
	notAFolder[content.ArticlesDir] = &fstest.MapFile{Data: []byte("a file")}
	if _, err := Queue(notAFolder); err == nil || err.Error() != "content/articles: review: not a folder" {
		t.Errorf("articles folder a file: error %v; want content/articles: review: not a folder", err)
	}
}

// TestWarnings: one line per outlet not in the registry, at its first
// article's source: line, with the count of its articles; then the count
// of articles to review. Drafts are not in a loaded site and count for
// neither.
func TestWarnings(t *testing.T) {
	article := func(title, source, review string) string {
		s := "---\ntitle: " + title + "\nsource: " + source + "\ndate: 2025-05-16\ntopic: ceasefire\n"
		if review != "" {
			s += "review: [" + review + "]\n"
		}
		return s + "---\n\nBody.\n"
	}
	fsys := site(map[string]string{
		"a.md":      article("A", "RT", "date"),
		"b.md":      article("B", "Anadolu Ajansı", "source"),
		"c.md":      article("C", "Anadolu Ajansı", ""),
		"d.md":      "---\n# imported\ntitle: D\nsource: Other Outlet\ndate: 2025-05-17\ntopic: ceasefire\n---\n",
		"e.md":      article("E", "russia today", "topic"),
		"draft.md":  article("Draft", "Draft Outlet", "date") + "",
		"draft2.md": "---\ntitle: F\nsource: Anadolu Ajansı\ndate: 2025-05-16\ntopic: ceasefire\ndraft: true\nreview: [date]\n---\n",
	})
	fsys["content/articles/draft.md"].Data = []byte(strings.Replace(string(fsys["content/articles/draft.md"].Data), "---\n\n", "draft: true\n---\n\n", 1))
	s, err := content.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	got := Warnings(fsys, s)
	want := []string{
		`content/articles/b.md:3: source "Anadolu Ajansı" is not in content/sources.yaml (2 articles): add it with its affiliation`,
		`content/articles/d.md:4: source "Other Outlet" is not in content/sources.yaml (1 article): add it with its affiliation`,
		`3 articles have fields to review (digest review)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	one := site(map[string]string{"a.md": article("A", "RT", "date")})
	s, err = content.Load(one)
	if err != nil {
		t.Fatal(err)
	}
	if got := Warnings(one, s); !slices.Equal(got, []string{"1 article has fields to review (digest review)"}) {
		t.Errorf("one article: %q", got)
	}
	clean := site(map[string]string{"a.md": article("A", "RT", "")})
	s, err = content.Load(clean)
	if err != nil {
		t.Fatal(err)
	}
	if got := Warnings(clean, s); len(got) != 0 {
		t.Errorf("nothing to do: %q; want no warnings", got)
	}
}
