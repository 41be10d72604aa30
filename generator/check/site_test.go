package check_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"digest/generator/build"
	"digest/generator/check"
	"digest/generator/corpus"
)

// moduleRoot is the bundled site: content/ and layouts/ at the module root.
var moduleRoot = filepath.Join("..", "..")

// TestBundledSite builds the bundled site for a project site under a subpath
// and for a custom domain at the root, and checks both outputs: there must
// be no problem at all.
func TestBundledSite(t *testing.T) {
	for _, base := range []string{
		"https://example.github.io/briefing/",
		"https://briefing.example.org/",
	} {
		t.Run(base, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			buildSite(t, moduleRoot, out, base)
			assertClean(t, out, base)
		})
	}
}

// TestCorpusSite builds a synthetic site large enough to paginate its lists
// and checks it under a subpath: the paginated pages must all be linked.
func TestCorpusSite(t *testing.T) {
	site := t.TempDir()
	if err := corpus.Write(site, 120, 1); err != nil {
		t.Fatal(err)
	}
	const base = "https://example.github.io/briefing/"
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out, base)
	if _, err := os.Stat(filepath.Join(out, "articles", "page", "2", "index.html")); err != nil {
		t.Fatalf("no second page of articles, the test needs a larger corpus: %v", err)
	}
	assertClean(t, out, base)
}

// TestBundledSiteCustomDomain builds the bundled site with a domain in
// content/site.yaml: the output has a CNAME naming it, and checks clean
// under that domain.
func TestBundledSiteCustomDomain(t *testing.T) {
	const domain = "briefing.example.org"
	site := t.TempDir()
	copyDir(t, filepath.Join(moduleRoot, "content"), filepath.Join(site, "content"))
	copyDir(t, filepath.Join(moduleRoot, "layouts"), filepath.Join(site, "layouts"))
	config := filepath.Join(site, "content", "site.yaml")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(config, append(data, "\ndomain: "+domain+"\n"...), 0o644); err != nil {
		t.Fatal(err)
	}

	base := "https://" + domain + "/"
	out := filepath.Join(t.TempDir(), "public")
	buildSite(t, site, out, base)
	cname, err := os.ReadFile(filepath.Join(out, "CNAME"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(cname)); got != domain {
		t.Errorf("CNAME %q; want %q", got, domain)
	}
	assertClean(t, out, base)

	// The same output published under the github.io subpath would be
	// wrong twice over: links without the prefix, and a CNAME for the
	// other host.
	problems, err := check.Dir(context.Background(), out, "https://example.github.io/briefing/")
	if err != nil {
		t.Fatal(err)
	}
	if !hasProblem(problems, "CNAME: names briefing.example.org but the base URL's host is example.github.io") {
		t.Errorf("checked under another base URL, no CNAME problem among %d problems", len(problems))
	}
}

func buildSite(t *testing.T, site, out, base string) {
	t.Helper()
	b, err := build.New(build.Options{Site: site, Out: out, BaseURL: base, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatalf("build for %s:\n%v", base, err)
	}
}

func assertClean(t *testing.T, out, base string) {
	t.Helper()
	problems, err := check.Dir(context.Background(), out, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	// A check that sees nothing is clean too: make sure it saw the site.
	for _, name := range []string{"index.html", "feed.xml", "sitemap.xml", "404.html", ".nojekyll", "robots.txt"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("output for %s: %v", base, err)
		}
	}
}

func hasProblem(problems []check.Problem, want string) bool {
	for _, p := range problems {
		if p.String() == want {
			return true
		}
	}
	return false
}

// copyDir copies the regular files of the tree src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
