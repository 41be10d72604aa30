package corpus

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/adrg/frontmatter"

	"digest/generator/content"
)

// readTree returns every file under dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestWriteIsDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, run := range []struct {
		dir  string
		seed int64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if err := Write(run.dir, 300, run.seed); err != nil {
			t.Fatal(err)
		}
	}
	fa, fb, fc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(fa) != 300+4 {
		t.Errorf("files written: got %d; want %d", len(fa), 304)
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two writes with the same seed", name)
		}
	}
	same := 0
	for name := range fa {
		if bytes.Equal(fa[name], fc[name]) {
			same++
		}
	}
	if same != 4 { // only the registries are shared
		t.Errorf("files equal across seeds: got %d; want 4", same)
	}
}

// frontMatter is the digest's front matter as the corpus writes it.
type frontMatter struct {
	Title  string   `yaml:"title"`
	Source string   `yaml:"source"`
	Date   string   `yaml:"date"`
	Topic  string   `yaml:"topic"`
	Topics []string `yaml:"topics"`
	Round  string   `yaml:"round"`
	URL    string   `yaml:"url"`
}

func TestArticles(t *testing.T) {
	dir := t.TempDir()
	const n = 400
	if err := Write(dir, n, 1); err != nil {
		t.Fatal(err)
	}
	topicIDs := map[string]bool{}
	for _, tp := range topics {
		topicIDs[tp.id] = true
	}
	roundIDs := map[string]bool{"none": true}
	for _, r := range rounds {
		roundIDs[r.id] = true
	}
	names := map[string]bool{}
	for _, s := range sources {
		names[s.Name] = true
		for _, a := range s.Aliases {
			names[a] = true
		}
	}

	seenTopics := map[string]int{}
	seenSources := map[string]int{}
	var explicit, none, words int
	entries, err := os.ReadDir(filepath.Join(dir, "content", "articles"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, "content", "articles", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var fm frontMatter
		body, err := frontmatter.MustParse(bytes.NewReader(data), &fm)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if fm.Title == "" || fm.URL == "" {
			t.Errorf("%s: missing title or url", e.Name())
		}
		if !names[fm.Source] {
			t.Errorf("%s: source %q not in the registry", e.Name(), fm.Source)
		}
		if _, err := time.Parse("2006-01-02", fm.Date); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
		}
		if !strings.HasPrefix(e.Name(), fm.Date+"-") {
			t.Errorf("%s: slug does not start with the date %s", e.Name(), fm.Date)
		}
		for _, id := range append([]string{fm.Topic}, fm.Topics...) {
			if !topicIDs[id] {
				t.Errorf("%s: unknown topic %q", e.Name(), id)
			}
		}
		if slices.Contains(fm.Topics, fm.Topic) {
			t.Errorf("%s: primary topic repeated in topics", e.Name())
		}
		switch {
		case fm.Round == "none":
			none++
		case fm.Round != "":
			explicit++
			if !roundIDs[fm.Round] {
				t.Errorf("%s: unknown round %q", e.Name(), fm.Round)
			}
		}
		seenTopics[fm.Topic]++
		seenSources[fm.Source]++
		words += len(strings.Fields(string(body)))
	}
	if len(entries) != n {
		t.Errorf("articles: got %d; want %d", len(entries), n)
	}
	if len(seenTopics) != len(topics) {
		t.Errorf("primary topics used: got %d; want %d", len(seenTopics), len(topics))
	}
	if len(seenSources) < len(sources) {
		t.Errorf("outlet names used: got %d; want at least %d", len(seenSources), len(sources))
	}
	if explicit == 0 || none == 0 {
		t.Errorf("explicit rounds %d, round: none %d; want some of each", explicit, none)
	}
	if avg := words / n; avg < 950 || avg > 1250 {
		t.Errorf("average words per article: got %d; want about 1,000", avg)
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Prisoner swap stalls as Istanbul talks", 3, "prisoner-swap-stalls"},
		{"Putin–Zelensky meeting", 6, "putinzelensky-meeting"},
		{"Çırağan Palace meeting", 6, "ciragan-palace-meeting"},
		{"— !", 2, "article"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in, tt.max); got != tt.want {
			t.Errorf("slugify(%q, %d) = %q; want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

// TestLoadsInDigest checks that the digest's own loader accepts a corpus
// without a single diagnostic, and that the round rule leaves some articles
// in no round.
func TestLoadsInDigest(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, 200, 3); err != nil {
		t.Fatal(err)
	}
	s, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Articles) != 200 {
		t.Errorf("articles loaded: got %d; want 200", len(s.Articles))
	}
	if len(s.Topics) != len(topics) || len(s.Rounds) != len(rounds) || len(s.Sources) != len(sources) {
		t.Errorf("registries: got %d topics, %d rounds, %d sources; want %d, %d, %d",
			len(s.Topics), len(s.Rounds), len(s.Sources), len(topics), len(rounds), len(sources))
	}
	var unclassified, noRound int
	for _, a := range s.Articles {
		if a.Source == nil {
			unclassified++
		}
		if a.Round == nil {
			noRound++
		}
	}
	if unclassified != 0 {
		t.Errorf("articles with an unknown outlet: got %d; want 0", unclassified)
	}
	if noRound == 0 || noRound > len(s.Articles)/4 {
		t.Errorf("articles in no round: got %d of %d; want some, under a quarter", noRound, len(s.Articles))
	}
}
