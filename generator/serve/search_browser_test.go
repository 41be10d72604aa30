package serve

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearch runs the site's search page in headless Chromium: a
// query lists the matching articles, and a result's link opens its page.
func TestBrowserSearch(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, copySite(t), nil)

	browser := newBrowser(t)

	if err := chromedp.Do(browser,
		chromedp.Navigate(base+"search/?q=derailing"),
		chromedp.WaitVisible("#search-results li a.title"),
	); err != nil {
		t.Fatalf("search page: %v", err)
	}
	status, err := chromedp.Run(browser, chromedp.Text("#search-status"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(browser, chromedp.Text("#search-results li a.title"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(status, "1 article for") || first != "Ukraine derailing peace talks" {
		t.Errorf("search for derailing: status %q, first result %q; want 1 article, Ukraine derailing peace talks", status, first)
	}
	if err := chromedp.Do(browser,
		chromedp.Click("#search-results li a.title"),
		chromedp.WaitVisible("article h1"),
	); err != nil {
		t.Fatalf("following the result: %v", err)
	}
	if heading, err := chromedp.Run(browser, chromedp.Text("article h1")); err != nil || heading != "Ukraine derailing peace talks" {
		t.Errorf("following the result: heading %q, %v", heading, err)
	}
}
