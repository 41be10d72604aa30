package serve

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"digest/generator/build"
)

// TestBrowserFromDisk builds a copy of the repository's site for disk
// (build.Options.ForDisk) and reads it in headless Chromium from file:
// URLs, as a reader who downloaded it would: home, a round, a topic within
// it and an article by their links, each page with its stylesheet, then
// Back to each; search for a word found only in a body and for a phrase,
// typed and from the address, and a result followed. No page may raise a
// policy violation, and nothing may reach the console as an error.
func TestBrowserFromDisk(t *testing.T) {
	skipWithoutBrowser(t)
	site := copySite(t)
	for slug, text := range searchArticles {
		if err := os.WriteFile(filepath.Join(site, "content", "articles", slug+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A folder as a reader might save it, with a space and a letter
	// outside ASCII: file: URLs percent-encode them.
	out := filepath.Join(t.TempDir(), "Istanbul talks – briefing")
	b, err := build.New(build.Options{Site: site, Out: out, ForDisk: true, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	fileURL := func(name string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, filepath.FromSlash(name)))}).String()
	}

	browser := newBrowser(t)
	watchViolations(t, browser)
	var mu sync.Mutex
	var console []string // errors from the console, exceptions and the browser's log
	err = chromedp.Listen(browser, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				msg = "console." + string(e.Type) + ": " + strings.Join(args, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
				msg = "log: " + e.Entry.Text + " " + e.Entry.URL
			}
		}
		if msg != "" {
			mu.Lock()
			console = append(console, msg)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	here := func() string {
		t.Helper()
		u, err := chromedp.Run(browser, chromedp.Evaluate[string](`location.href`))
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// arrive waits for the page at u, a file: URL, with its stylesheet,
	// and checks it raised no violation.
	arrive := func(what, u, ready string) {
		t.Helper()
		waitFor(t, browser, what+" at "+u, `location.href === `+strconv.Quote(u)+` && `+loaded+` && `+ready)
		if v := violations(t, browser); len(v) > 0 {
			t.Errorf("%s: policy violations: %q", what, v)
		}
	}
	// follow clicks the first link matching sel, which must name a file,
	// and waits for the page it leads to.
	follow := func(what, sel string) string {
		t.Helper()
		href, err := chromedp.Run(browser, chromedp.Evaluate[string](`(() => { const a = document.querySelector(`+strconv.Quote(sel)+`); return a ? a.href : ""; })()`))
		if err != nil || href == "" {
			t.Fatalf("%s: no link %s on %s (%v)", what, sel, here(), err)
		}
		if !strings.HasPrefix(href, "file:///") || !strings.HasSuffix(href, "/index.html") {
			t.Errorf("%s: the link leads to %s; want a file: URL of an index.html", what, href)
		}
		if err := chromedp.Do(browser, chromedp.Click(sel, chromedp.NodeVisible)); err != nil {
			t.Fatalf("%s: click %s: %v", what, sel, err)
		}
		arrive(what, href, `document.querySelector("h1") !== null`)
		return href
	}

	// Home -> a round -> a topic within it -> an article, and Back.
	home := fileURL("index.html")
	if err := chromedp.Do(browser, chromedp.Navigate(home)); err != nil {
		t.Fatal(err)
	}
	arrive("the home page", home, `document.querySelector(".timeline") !== null`)
	trail := []string{home}
	trail = append(trail, follow("a round", ".timeline li.round a"))
	if !strings.Contains(trail[1], "/rounds/") {
		t.Errorf("the round's page is %s; want one under rounds/", trail[1])
	}
	trail = append(trail, follow("a topic within the round", "ul.chips a"))
	if !strings.HasPrefix(trail[2], strings.TrimSuffix(trail[1], "index.html")) {
		t.Errorf("the topic's page %s is not within the round's %s", trail[2], trail[1])
	}
	trail = append(trail, follow("an article", ".entry a.title"))
	if !strings.Contains(trail[3], "/articles/") {
		t.Errorf("the article's page is %s; want one under articles/", trail[3])
	}
	for i := len(trail) - 2; i >= 0; i-- {
		if err := chromedp.Do(browser, chromedp.NavigateBack()); err != nil {
			t.Fatalf("back to %s: %v", trail[i], err)
		}
		arrive("back", trail[i], "true")
	}

	// Search from disk: the index comes as scripts, not by fetch().
	titles := func(what, ready string) []string {
		t.Helper()
		waitFor(t, browser, what, `document.getElementById("search-status").textContent.indexOf("for “") >= 0 && `+ready)
		got, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results a.title"), a => a.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if v := violations(t, browser); len(v) > 0 {
			t.Errorf("%s: policy violations: %q", what, v)
		}
		return got
	}
	search := fileURL("search/index.html")
	if err := chromedp.Do(browser, chromedp.Navigate(search+"?q=quokkabird")); err != nil {
		t.Fatal(err)
	}
	if got := titles("a word found only in a body", "true"); !slices.Equal(got, []string{"Delegations arrive at the palace"}) {
		t.Errorf("quokkabird, only in a body, finds %q; want the palace article", got)
	}
	if ms, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`[document.getElementById("search-results").getAttribute("data-ms"), document.getElementById("search-results").getAttribute("data-total-ms")]`)); err == nil {
		t.Logf("quokkabird from disk: first result %s ms after the index part arrived, %s ms from the query", ms[0], ms[1])
	}
	// Chromium refuses fetch() of file: URLs: search-disk.js took the
	// index from its scripts.
	if ok, err := chromedp.Run(browser, chromedp.Evaluate[bool](`typeof window.digestIndexPart === "function"`)); err != nil || !ok {
		t.Errorf("search-disk.js did not run on the search page from disk (%v)", err)
	}

	// A phrase, typed: the address follows it.
	if err := chromedp.Do(browser,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`),
		chromedp.SendKeys("#q", `"prisoner exchange"`),
	); err != nil {
		t.Fatal(err)
	}
	got := titles("the phrase typed", `location.search.indexOf("prisoner") >= 0 && document.getElementById("search-status").textContent.indexOf("prisoner exchange") >= 0`)
	if !slices.Contains(got, "Delegations arrive at the palace") || slices.Contains(got, "Talks go on") {
		t.Errorf(`"prisoner exchange" finds %q; want the palace article, not "Talks go on" (the words apart)`, got)
	}
	// A result leads to its article's file.
	follow("a result", "#search-results a.title")
	if h1, err := chromedp.Run(browser, chromedp.Evaluate[string](`document.querySelector("h1").textContent`)); err != nil || h1 == "" {
		t.Errorf("the result's page has heading %q (%v)", h1, err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(console) > 0 {
		t.Errorf("errors and warnings from the pages: %q", console)
	}
}
