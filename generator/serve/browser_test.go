package serve

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium is Debian's build of the browser (apt-get install -y chromium).
const chromium = "/usr/bin/chromium"

// skipWithoutBrowser skips a test, saying why, when Debian's Chromium is
// missing or the tests run in short mode.
func skipWithoutBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping the browser test: %s not found (apt-get install -y chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("skipping the browser test in short mode")
	}
}

// newBrowser starts headless Chromium, kept off the network, for one test
// of at most 30 s; it is stopped when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 30*time.Second)
}

// newBrowserFor is newBrowser for a test of at most d, one that opens
// every kind of page several times.
func newBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	return browser
}

// TestBrowser previews a copy of the repository's site in headless
// Chromium: an edit of an article's title reloads the open page with the
// new title; a broken front matter shows the overlay naming the file and
// line, its hostile text as text; the fix brings the page back.
func TestBrowser(t *testing.T) {
	skipWithoutBrowser(t)
	site := copySite(t)
	const slug = "istanbul-talks-format-exhausted-itself"
	rel := "content/articles/" + slug + ".md"
	path := filepath.Join(site, filepath.FromSlash(rel))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("skipping the browser test: the site has no article %s: %v", rel, err)
	}
	orig := string(data)
	lines := strings.Split(orig, "\n")
	titleLine, dateLine := -1, -1
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "title:") && titleLine < 0:
			titleLine = i
		case strings.HasPrefix(l, "date:") && dateLine < 0:
			dateLine = i
		}
	}
	if titleLine < 0 || dateLine < 0 {
		t.Fatalf("%s: no title or date line", rel)
	}
	const newTitle = "Delegations agree to meet again in Istanbul"
	lines[titleLine] = "title: " + newTitle
	retitled := strings.Join(lines, "\n")
	lines[dateLine] = "date: <i>soon</i>"
	broken := strings.Join(lines, "\n")

	base, _ := runSite(t, site, nil)

	browser := newBrowser(t)

	page := base + "articles/" + slug + "/"
	if err := chromedp.Do(browser, chromedp.Navigate(page)); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}
	waitFor(t, browser, "the article", `document.querySelector("h1") !== null && document.querySelector("script[data-build]") !== null`)
	mark(t, browser)

	// A new title reloads the page.
	writeFile(t, path, retitled)
	waitFor(t, browser, "the reload with the new title",
		`!window.digestTestMark && document.querySelector("h1").textContent === `+strconv.Quote(newTitle))
	mark(t, browser)

	// A broken front matter shows the overlay, without a reload.
	writeFile(t, path, broken)
	where := rel + ":" + strconv.Itoa(dateLine+1) + ": "
	waitFor(t, browser, "the overlay naming "+where, `(() => {
		const o = document.getElementById("digest-overlay");
		return o !== null && o.textContent.includes(`+strconv.Quote(where)+`);
	})()`)
	type overlay struct {
		Mark     bool   `json:"mark"`
		Text     string `json:"text"`
		Elements int    `json:"elements"`
	}
	shown, err := chromedp.Run(browser, chromedp.Evaluate[overlay](`(() => {
		const o = document.getElementById("digest-overlay");
		return {mark: !!window.digestTestMark, text: o.textContent, elements: o.querySelectorAll("i").length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !shown.Mark {
		t.Error("the page reloaded on a failed build; want it kept with the overlay")
	}
	if !strings.Contains(shown.Text, "<i>soon</i>") || shown.Elements != 0 {
		t.Errorf("overlay %q with %d <i> elements; want the message as text", shown.Text, shown.Elements)
	}

	// The fix clears the overlay and brings the page back.
	writeFile(t, path, retitled+"\n")
	waitFor(t, browser, "the page back after the fix",
		`!window.digestTestMark && document.getElementById("digest-overlay") === null && document.querySelector("h1").textContent === `+strconv.Quote(newTitle))
}

// mark sets a variable in the page that a reload clears.
func mark(t *testing.T, browser context.Context) {
	t.Helper()
	if err := chromedp.Do(browser, chromedp.Evaluate[chromedp.Void](`window.digestTestMark = true`)); err != nil {
		t.Fatal(err)
	}
}

// waitFor evaluates expr in the page until it is true. Errors while a page
// reloads are expected and retried.
func waitFor(t *testing.T, browser context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		var ok bool
		ok, last = chromedp.Run(browser, chromedp.Evaluate[bool](expr))
		if last == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	html, _ := chromedp.Run(browser, chromedp.Evaluate[string](`document.body ? document.body.outerHTML : ""`))
	t.Fatalf("waiting for %s: not seen (last error: %v); page body: %.2000s", what, last, html)
}
