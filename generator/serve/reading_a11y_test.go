package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axePath is where .ci/run installs axe-core (npm ci --prefix tools/a11y),
// relative to the module root.
const axePath = "tools/a11y/node_modules/axe-core/axe.min.js"

// TestBrowserAxe runs axe-core over a page of every kind in headless
// Chromium, in the light and the dark colour scheme and 360 px wide as on
// a phone: no page may have a violation of any rule axe-core runs by
// default (WCAG 2 A and AA and its best practices).
func TestBrowserAxe(t *testing.T) {
	skipWithoutBrowser(t)
	axe, err := os.ReadFile(filepath.Join(moduleRoot(t), filepath.FromSlash(axePath)))
	if err != nil {
		t.Skipf("skipping the accessibility test: axe-core is not installed (npm ci --prefix tools/a11y): %v", err)
	}
	base, _ := runSite(t, copySite(t), nil)
	browser := newBrowser(t)
	paths := pageTypes(t, browser, base)

	type violation struct {
		ID      string   `json:"id"`
		Impact  string   `json:"impact"`
		Help    string   `json:"help"`
		Targets []string `json:"targets"`
	}
	for _, mode := range []string{"light", "dark", "phone"} {
		switch mode {
		case "phone":
			colorScheme(t, browser, "light")
			if err := chromedp.Do(browser, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
				t.Fatal(err)
			}
		default:
			colorScheme(t, browser, mode)
		}
		for _, p := range paths {
			where := "/" + p + " (" + mode + ")"
			if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
				t.Fatalf("open %s: %v", where, err)
			}
			waitFor(t, browser, where, loaded)
			// Evaluated by the browser itself, so the page's policy does not
			// apply to it.
			if err := chromedp.Do(browser, chromedp.Evaluate[chromedp.Void](string(axe)+"\n;undefined")); err != nil {
				t.Fatalf("%s: loading axe-core: %v", where, err)
			}
			type result struct {
				Violations []violation `json:"violations"`
				Passes     int         `json:"passes"`
				Incomplete []string    `json:"incomplete"`
			}
			res, err := chromedp.Run(browser, chromedp.Evaluate[result](`axe.run(document, {resultTypes: ["violations"]}).then(r => ({
  violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)})),
  passes: r.passes.length,
  incomplete: r.incomplete.map(v => v.id + " ×" + v.nodes.length)}))`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: axe-core: %v", where, err)
			}
			if res.Passes == 0 {
				t.Errorf("%s: axe-core passed no rule; it did not check the page", where)
			}
			for _, v := range res.Violations {
				t.Errorf("%s: %s (%s): %s at %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
			}
			if len(res.Incomplete) > 0 {
				// What axe-core cannot decide alone; TestBrowserReading
				// measures the contrast itself.
				t.Logf("%s: left to review by axe-core: %s", where, strings.Join(res.Incomplete, ", "))
			}
		}
	}
}
