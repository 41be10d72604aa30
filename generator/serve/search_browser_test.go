package serve

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSearch runs the site's search page in headless Chromium: a
// query lists the matching articles, and a result's link opens its page.
func TestBrowserSearch(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("skipping the browser test: %s not found (apt-get install -y chromium)", chromium)
	}
	if testing.Short() {
		t.Skip("skipping the browser test in short mode")
	}
	base, _ := runSite(t, copySite(t), nil)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
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
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

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
