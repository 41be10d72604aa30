package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// searchArticles are added to the copy of the site for the search tests:
// a word only in a body, a phrase and its words apart, two outlets, both
// spellings of Kyiv, and a hostile title.
var searchArticles = map[string]string{
	"palace-arrivals": `---
title: Delegations arrive at the palace
source: TASS
date: 2025-05-16
topic: delegations
---

The delegations arrived in the morning.

Later, a quokkabird was seen in the garden. Both sides agreed on a prisoner exchange in Kiev terms.
`,
	"exchange-apart": `---
title: Talks go on
source: RT
date: 2025-05-15
topic: delegations
---

The talks went on.

An exchange was discussed; the prisoner lists were not ready. Officials in Kyiv waited.
`,
	"hostile-title": `---
title: "<img src=x onerror=alert(1)> zanzibarite"
source: RT
date: 2025-05-14
topic: delegations
---

Nothing here.
`,
}

// TestBrowserSearchFullText searches a built site in headless Chromium:
// a word found only in a body, a phrase, a filter narrowing results (typed
// and chosen), paging, the Kiev/Kyiv fold, a shared ?q= address, the back button,
// hostile text kept as text, and one download of each index file.
func TestBrowserSearchFullText(t *testing.T) {
	skipWithoutBrowser(t)
	site := copySite(t)
	for slug, text := range searchArticles {
		if err := os.WriteFile(filepath.Join(site, "content", "articles", slug+".md"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 11 { // more than a page of results
		text := fmt.Sprintf("---\ntitle: Paging note %d\nsource: RT\ndate: 2025-04-%02d\ntopic: delegations\n---\n\nA pagingword note.\n", i, i+1)
		if err := os.WriteFile(filepath.Join(site, "content", "articles", fmt.Sprintf("paging-%d.md", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, _ := runSite(t, site, nil)
	browser := newBrowser(t)

	titles := func(q string) []string {
		t.Helper()
		if err := chromedp.Do(browser, chromedp.Navigate(base+"search/?q="+strings.ReplaceAll(q, " ", "+"))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, browser, "results for "+q, `document.getElementById("search-status").textContent.indexOf("for “") >= 0`)
		got, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results a.title"), a => a.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	has := func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	}
	const palace, apart = "Delegations arrive at the palace", "Talks go on"

	// A word only in a body, shown marked in the snippet.
	if got := titles("quokkabird"); fmt.Sprint(got) != "["+palace+"]" {
		t.Errorf("quokkabird: %q; want [%s]", got, palace)
	}
	if mk, err := chromedp.Run(browser, chromedp.Text("#search-results .summary mark")); err != nil || mk != "quokkabird" {
		t.Errorf("quokkabird: marked %q, %v; want the word marked in the snippet", mk, err)
	}

	// A phrase, against its words apart.
	if got := titles("prisoner exchange"); !has(got, palace) || !has(got, apart) {
		t.Errorf("prisoner exchange: %q; want both %q and %q", got, palace, apart)
	}
	if got := titles(`"prisoner exchange" quokkabird`); fmt.Sprint(got) != "["+palace+"]" {
		t.Errorf(`"prisoner exchange" quokkabird: %q; want [%s]`, got, palace)
	}
	if got := titles(`"exchange prisoner"`); len(got) != 0 {
		t.Errorf(`"exchange prisoner": %q; want none`, got)
	}

	// Filters narrow: typed, then chosen from the list.
	all := titles("prisoner exchange")
	if got := titles("prisoner exchange source:tass"); !has(got, palace) || has(got, apart) || len(got) >= len(all) {
		t.Errorf("prisoner exchange source:tass: %q; want %q without %q, fewer than %d", got, palace, apart, len(all))
	}
	if err := chromedp.Do(browser, chromedp.Navigate(base+"search/?q=prisoner+exchange")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "the outlet list", `document.querySelectorAll("select[data-filter=source] option").length > 1`)
	if err := chromedp.Do(browser, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select[data-filter=source]"); s.value = "rt"; s.dispatchEvent(new Event("change")); })()`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "the query with source:rt", `document.getElementById("q").value === "prisoner exchange source:rt" && location.search.indexOf("source%3Art") >= 0`)
	waitFor(t, browser, "results narrowed to RT", `(() => { const r = Array.from(document.querySelectorAll("#search-results a.title"), a => a.textContent); return r.includes("Talks go on") && !r.includes("Delegations arrive at the palace"); })()`)

	// Every result is reachable, a page at a time, newest first; the page
	// is in the address and Back returns to the first.
	if got := titles("pagingword"); len(got) != 10 || got[0] != "Paging note 10" {
		t.Errorf("pagingword, page 1: %q; want 10 results from Paging note 10", got)
	}
	if err := chromedp.Do(browser, chromedp.Click("#search-pages [data-page=next]")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "page 2", `location.search.indexOf("page=2") >= 0 && document.querySelectorAll("#search-results a.title").length === 1 && document.querySelector("#search-results a.title").textContent === "Paging note 0"`)
	if err := chromedp.Do(browser, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "Back to page 1", `location.search.indexOf("page=") < 0 && document.querySelectorAll("#search-results a.title").length === 10`)

	// Kiev and Kyiv are one word.
	kiev, kyiv := titles("kiev"), titles("Kyiv")
	if !has(kiev, palace) || !has(kiev, apart) || fmt.Sprint(kiev) != fmt.Sprint(kyiv) {
		t.Errorf("kiev: %q, Kyiv: %q; want the same, with both %q and %q", kiev, kyiv, palace, apart)
	}

	// Hostile text stays text.
	if got := titles("zanzibarite"); fmt.Sprint(got) != "[<img src=x onerror=alert(1)> zanzibarite]" {
		t.Errorf("zanzibarite: %q; want the title as text", got)
	}
	if n, err := chromedp.Run(browser, chromedp.Evaluate[int](`document.querySelectorAll("#search-results img").length`)); err != nil || n != 0 {
		t.Errorf("zanzibarite: %d img elements, %v; want none", n, err)
	}

	// Typing a new query while on a shared address, then Back; each index
	// file is downloaded once whatever the keystrokes.
	titles("quokkabird")
	if err := chromedp.Do(browser,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("q").value = ""`),
		chromedp.SendKeys("#q", "kyiv"),
	); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "the address following the typing", `location.search === "?q=kyiv"`)
	waitFor(t, browser, "results for kyiv", `document.getElementById("search-status").textContent.indexOf("for “kyiv”") >= 0`)
	dups, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`(() => {
		const seen = {}, dup = [];
		for (const e of performance.getEntriesByType("resource")) {
			if (e.name.indexOf("/search/") < 0) continue;
			if (seen[e.name]) dup.push(e.name);
			seen[e.name] = true;
		}
		return dup;
	})()`))
	if err != nil || len(dups) > 0 {
		t.Errorf("index files downloaded twice: %q, %v", dups, err)
	}
	if err := chromedp.Do(browser, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "Back to the shared address", `location.search === "?q=quokkabird" && document.getElementById("q").value === "quokkabird" && document.querySelectorAll("#search-results a.title").length === 1`)
}
