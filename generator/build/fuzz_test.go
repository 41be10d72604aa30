package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"digest/generator/diag"
)

// FuzzBuild builds the basic site with one more article and, when
// layout is not empty, a topics layout of its own, both fuzzed, over an
// output holding the basic site. A failed build must name its problems
// and leave the output as it was; a build that succeeds must equal a
// fresh build of the same site, and a second run must render nothing
// and change nothing.
func FuzzBuild(f *testing.F) {
	f.Add([]byte("---\ntitle: Fuzzed\nsource: RT\ndate: 2025-05-20\ntopic: ceasefire\n---\n\nBody *text* [link](https://example.org/).\n"), "")
	f.Add([]byte("---\ntitle: Bad date\nsource: RT\ndate: 20/05\ntopic: ceasefire\n---\n"), "")
	f.Add([]byte("+++\ntitle = \"TOML\"\nsource = \"RT\"\ndate = \"2025-06-02\"\ntopic = \"ceasefire\"\n+++\n\n- a\n  - b\n"), `{{define "main"}}<h1>{{.Title}}</h1>{{end}}`)
	f.Add([]byte("no front matter"), `{{define "main"}}{{.Nope}}{{end}}`)
	f.Add([]byte("---\ntitle: <script>alert(1)</script>\nsource: Nobody\ndate: 2025-07-23\ntopic: ceasefire\n---\n\n<b>raw</b> [x](javascript:alert(1))\n"), `{{define "main"}`)
	// The basic site and its output, built once and copied for each
	// input.
	template := writeSite(f, "basic.txtar")
	if b, err := New(Options{Site: template}); err != nil {
		f.Fatal(err)
	} else if _, err := b.Build(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, article []byte, layout string) {
		site := filepath.Join(t.TempDir(), "site")
		copyTree(t, template, site)
		out := filepath.Join(site, "public")
		before := files(t, out)

		if err := os.WriteFile(filepath.Join(site, "content", "articles", "fuzzed.md"), article, 0o644); err != nil {
			t.Fatal(err)
		}
		if layout != "" {
			if err := os.WriteFile(filepath.Join(site, "layouts", "topics.html"), []byte(layout), 0o644); err != nil {
				os.MkdirAll(filepath.Join(site, "layouts"), 0o755)
				os.WriteFile(filepath.Join(site, "layouts", "topics.html"), []byte(layout), 0o644)
			}
		}
		b, err := New(Options{Site: site})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Build(context.Background()); err != nil {
			list := diag.From(err)
			for _, d := range list {
				if d.File == "" {
					t.Errorf("a problem names no file: %q", d.Msg)
				}
			}
			if after := files(t, out); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Fatalf("the failed build (%v) changed the output", err)
			}
			return
		}
		if _, err := ReadMarker(out); err != nil {
			t.Fatalf("the output has no marker: %v", err)
		}
		built := files(t, out)
		fresh := filepath.Join(t.TempDir(), "fresh")
		build(t, Options{Site: site, Out: fresh, NoCache: true})
		if f := files(t, fresh); fmt.Sprint(f) != fmt.Sprint(built) {
			t.Fatalf("the build over an output differs from a fresh build: %s", describeDiff(built, f))
		}
		if res := build(t, Options{Site: site}); res.Rendered != 0 || res.Written != 0 {
			t.Errorf("a second run rendered %d pages and wrote %d files; want none", res.Rendered, res.Written)
		}
		if again := files(t, out); fmt.Sprint(again) != fmt.Sprint(built) {
			t.Error("a second run changed the output")
		}
	})
}
