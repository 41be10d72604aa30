package serve

import (
	"context"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// watchViolations makes every document the browser opens from now on
// record the Content-Security-Policy violations it raises in
// window.digestViolations. The script is the browser's own, run before
// the page's, so the policy does not apply to it.
func watchViolations(t *testing.T, browser context.Context) {
	t.Helper()
	const script = `window.digestViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.digestViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});`
	err := chromedp.Do(browser, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
}

// loaded is true once a page and its resources have loaded, and style.css
// applies (it sets the body's margin to 0).
const loaded = `document.readyState === "complete" && getComputedStyle(document.body).marginTop === "0px"`

// violations returns the violations the open page recorded.
func violations(t *testing.T, browser context.Context) []string {
	t.Helper()
	list, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`window.digestViolations || ["the violation watcher did not run"]`))
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestBrowserPolicy previews a copy of the repository's site in headless
// Chromium under the preview's policy and the pages' own: a page of
// every kind loads its stylesheet and scripts and raises no violation,
// search finds an article, an edit reloads the open page, an inline
// script added to a page does not run, and a page cannot be framed; and
// pages opened from disk load their stylesheet without a violation.
func TestBrowserPolicy(t *testing.T) {
	skipWithoutBrowser(t)
	site := copySite(t)
	base, _ := runSite(t, site, nil)
	browser := newBrowser(t)
	watchViolations(t, browser)

	// open opens target, a URL or a path under base, and waits for it and
	// for ready.
	open := func(target, ready string) {
		t.Helper()
		u := target
		if !strings.HasPrefix(u, "http") {
			u = base + target
		}
		if err := chromedp.Do(browser, chromedp.Navigate(u)); err != nil {
			t.Fatalf("open %s: %v", target, err)
		}
		waitFor(t, browser, target+" loaded", loaded+" && "+ready)
		if v := violations(t, browser); len(v) > 0 {
			t.Errorf("%s: policy violations: %q", target, v)
		}
	}
	const reloadScript = `document.querySelector("script[data-build]") !== null`
	// A page of every kind the site has (the first by path of each
	// shape: articles/*/, rounds/*/*/, ...; a fresh build of the same copy
	// lists them), and a missing one. TestPagesDeclarePolicy reads every
	// page for what the policy refuses.
	out := buildSite(t, site)
	var names []string
	for name := range pages(t, out) {
		names = append(names, strings.TrimSuffix(name, "index.html"))
	}
	slices.Sort(names)
	shapes := map[string]bool{}
	var targets []string
	for _, name := range names {
		segs := strings.Split(name, "/")
		for i := 1; i < len(segs)-1; i++ {
			segs[i] = "*"
		}
		if shape := strings.Join(segs, "/"); !shapes[shape] {
			shapes[shape] = true
			targets = append(targets, name)
		}
	}
	targets = append(targets, "no-such-page/")
	for _, target := range targets {
		open(target, reloadScript)
	}
	t.Logf("%d of %d pages opened, one of each kind, without a policy violation: %q", len(targets), len(names)+1, targets)

	// Search runs its script and fetches its index.
	open("search/?q=derailing", `document.querySelector("#search-results li a.title") !== null`)

	// An inline script does not run, and the watcher sees it refused.
	type outcome struct {
		Ran        bool     `json:"ran"`
		Violations []string `json:"violations"`
		Framed     bool     `json:"framed"`
	}
	got, err := chromedp.Run(browser, chromedp.Evaluate[outcome](`new Promise(resolve => {
		const s = document.createElement("script");
		s.textContent = "window.digestInline = true";
		document.body.appendChild(s);
		const f = document.createElement("iframe");
		f.src = location.href;
		document.body.appendChild(f);
		setTimeout(() => {
			let framed = false;
			try { framed = !!(f.contentDocument && f.contentDocument.querySelector("#search-status")); } catch (e) {}
			resolve({ran: !!window.digestInline, violations: window.digestViolations, framed: framed});
		}, 1000);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got.Ran || len(got.Violations) == 0 || !strings.HasPrefix(got.Violations[0], "script-src") {
		t.Errorf("inline script: ran %v, violations %q; want it refused by script-src", got.Ran, got.Violations)
	}
	if got.Framed {
		t.Error("the search page showed inside a frame; want framing refused")
	}

	// Live reload still works: an edit of the article open reloads it.
	open("", reloadScript)
	article, err := chromedp.Run(browser, chromedp.Evaluate[string](`document.querySelector(".entries a.title").href`))
	if err != nil {
		t.Fatal(err)
	}
	open(article, reloadScript)
	mark(t, browser)
	slug := path.Base(strings.TrimSuffix(article, "/"))
	file := filepath.Join(site, "content", "articles", slug+".md")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	const newTitle = "Delegations agree to meet again"
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "title:") {
			lines[i] = "title: " + newTitle
			break
		}
	}
	writeFile(t, file, strings.Join(lines, "\n"))
	waitFor(t, browser, "the reload with the new title",
		`!window.digestTestMark && document.querySelector("h1").textContent === `+strconv.Quote(newTitle)+` && `+loaded)
	if v := violations(t, browser); len(v) > 0 {
		t.Errorf("after the reload: policy violations: %q", v)
	}

	// From disk (the copy `digest build --for-disk` makes), the policy lets the pages'
	// stylesheet load from file: URLs.
	for _, name := range []string{"index.html", "topics/index.html"} {
		u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, name))}).String()
		if err := chromedp.Do(browser, chromedp.Navigate(u)); err != nil {
			t.Fatalf("open %s: %v", name, err)
		}
		waitFor(t, browser, name+" loaded from disk with its stylesheet", loaded)
		if v := violations(t, browser); len(v) > 0 {
			t.Errorf("%s from disk: policy violations: %q", name, v)
		}
	}
}

// TestBrowserBidi previews the bidi site: in a list entry, the text after
// an outlet name that opens a right-to-left override stays to its right,
// as it is written. On the search page, which gets the name BidiSafe from
// search.json and isolates it as well, the same holds.
func TestBrowserBidi(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, bidiSite(t), nil)
	browser := newBrowser(t)
	// In the entry's meta line "date · outlet · talks", where does the
	// phase that follows the outlet stand against the outlet?
	const measure = `(() => {
		const metas = [...document.querySelectorAll(".entry .meta")].filter(m => m.textContent.includes("Gazette"));
		if (metas.length === 0) return "no entry of the Gazette";
		const m = metas[0];
		const name = [...m.querySelectorAll("bdi")].find(b => b.textContent.includes("Gazette"));
		if (!name) return "the outlet is not in a bdi";
		const after = name.nextSibling;
		if (!after || after.nodeType !== Node.TEXT_NODE) return "nothing after the outlet";
		const r = document.createRange();
		r.selectNodeContents(after);
		const a = r.getBoundingClientRect(), n = name.getBoundingClientRect();
		return a.left >= n.right - 1 ? "after" : "before: " + a.left + " < " + n.right;
	})()`
	for _, target := range []string{"rounds/round-1/", "search/?q=gazette"} {
		if err := chromedp.Do(browser, chromedp.Navigate(base+target)); err != nil {
			t.Fatalf("open %s: %v", target, err)
		}
		waitFor(t, browser, target+" with the Gazette's entry", loaded+` && [...document.querySelectorAll(".entry .meta")].some(m => m.textContent.includes("Gazette"))`)
		got, err := chromedp.Run(browser, chromedp.Evaluate[string](measure))
		if err != nil {
			t.Fatal(err)
		}
		if got != "after" {
			t.Errorf("%s: the text after the outlet stands %s; want after it", target, got)
		}
	}
}
