package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// pageTypes returns a path under the base URL for every kind of page of
// the repository's site, found from the home page open in browser: the
// home page, each index, a round, a round's topic, a topic, a source, an
// article, search and a missing page.
func pageTypes(t *testing.T, browser context.Context, base string) []string {
	t.Helper()
	if err := chromedp.Do(browser, chromedp.Navigate(base)); err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	waitFor(t, browser, "the home page", loaded)
	found, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`(() => {
		const href = sel => { const a = document.querySelector(sel); return a ? a.getAttribute("href") : ""; };
		return [href(".timeline li.round a"), href(".matrix tbody td a"), href(".matrix tbody th a"), href(".entry a.title")];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"", "rounds/", "topics/", "sources/", "articles/", "search/", "no-such-page/"}
	for i, p := range found {
		if p == "" {
			t.Fatalf("the home page has no link of kind %d (round, round's topic, topic, article)", i)
		}
		paths = append(paths, strings.TrimPrefix(p, "./"))
	}
	article := paths[len(paths)-1]
	if err := chromedp.Do(browser, chromedp.Navigate(base+article)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "an article", loaded)
	source, err := chromedp.Run(browser, chromedp.Evaluate[string](`new URL(document.querySelector("article .meta a").href).pathname`))
	if err != nil || source == "" {
		t.Fatalf("the article's source link: %q, %v", source, err)
	}
	basePath := base[strings.Index(base[len("http://"):], "/")+len("http://"):]
	return append(paths, strings.TrimPrefix(source, basePath))
}

// colorScheme emulates the reader's preferred colour scheme, "light" or
// "dark".
func colorScheme(t *testing.T, browser context.Context, scheme string) {
	t.Helper()
	_, err := chromedp.Call(browser, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// lowContrast lists the texts of the open page whose colour has a
// contrast below 4.5:1 with the background behind them (WCAG 2's
// relative luminance; semi-transparent colours composited on the colour
// beneath).
const lowContrast = `(() => {
  const parse = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null; const v = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== "");
    if (!own || el.getClientRects().length === 0 || getComputedStyle(el).visibility !== "visible") continue;
    const bg = background(el), fg = over(parse(getComputedStyle(el).color), bg);
    const a = lum(fg), b = lum(bg), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) out.push(el.tagName.toLowerCase() + "." + el.className + " " + JSON.stringify(el.textContent.trim().slice(0, 30)) + ": " + ratio.toFixed(2) + ":1");
  }
  return out;
})()`

// TestBrowserReading opens a page of every kind in headless Chromium, in
// the light and the dark colour scheme: every text has a contrast of at
// least 4.5:1, the page declares both schemes (so form controls follow
// the dark one), the first Tab reaches a skip link that leads to the
// content, and the page's icon loads.
func TestBrowserReading(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, copySite(t), nil)
	browser := newBrowser(t)
	paths := pageTypes(t, browser, base)
	for _, scheme := range []string{"light", "dark"} {
		colorScheme(t, browser, scheme)
		for _, p := range paths {
			where := fmt.Sprintf("/%s (%s)", p, scheme)
			if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
				t.Fatalf("open %s: %v", where, err)
			}
			waitFor(t, browser, where, loaded)
			low, err := chromedp.Run(browser, chromedp.Evaluate[[]string](lowContrast))
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range low {
				t.Errorf("%s: contrast below 4.5:1: %s", where, l)
			}
			type facts struct {
				Meta     string `json:"meta"`
				CSS      string `json:"css"`
				Dark     bool   `json:"dark"`
				Icon     int    `json:"icon"`
				IconType string `json:"iconType"`
			}
			f, err := chromedp.Run(browser, chromedp.Evaluate[facts](`(async () => {
  const m = document.querySelector('meta[name="color-scheme"]');
  const link = document.querySelector('link[rel="icon"]');
  let icon = 0, type = "";
  if (link) { const r = await fetch(link.href); icon = r.status; type = r.headers.get("content-type") || ""; }
  return {meta: m ? m.content : "", css: getComputedStyle(document.documentElement).colorScheme,
    dark: matchMedia("(prefers-color-scheme: dark)").matches, icon: icon, iconType: type};
})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			if f.Meta != "light dark" || f.CSS != "light dark" || f.Dark != (scheme == "dark") {
				t.Errorf("%s: color-scheme meta %q, CSS %q, dark %v; want light dark, light dark, %v", where, f.Meta, f.CSS, f.Dark, scheme == "dark")
			}
			if f.Icon != 200 || !strings.HasPrefix(f.IconType, "image/svg+xml") {
				t.Errorf("%s: icon: status %d, type %q; want 200, image/svg+xml", where, f.Icon, f.IconType)
			}
			if scheme == "light" {
				skipLink(t, browser, where)
			}
		}
	}
}

// skipLink checks that the first Tab on the open page focuses a visible
// skip link, and that following it moves the focus to the main content.
func skipLink(t *testing.T, browser context.Context, where string) {
	t.Helper()
	if err := chromedp.Do(browser, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	type focus struct {
		Text    string  `json:"text"`
		Href    string  `json:"href"`
		Top     float64 `json:"top"`
		Visible bool    `json:"visible"`
	}
	f, err := chromedp.Run(browser, chromedp.Evaluate[focus](`(() => {
  const a = document.activeElement, r = a.getBoundingClientRect();
  return {text: a.textContent, href: a.getAttribute("href") || "", top: r.top, visible: r.bottom > 0 && r.width > 0};
})()`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Href != "#main" || !f.Visible || !strings.Contains(f.Text, "Skip") {
		t.Fatalf("%s: the first Tab focuses %q (href %q, visible %v); want a visible skip link to #main", where, f.Text, f.Href, f.Visible)
	}
	if err := chromedp.Do(browser, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, where+": the focus on the content after the skip link", `document.activeElement === document.querySelector("main")`)
}

// TestBrowserPrint prints a page of every kind, in the dark colour scheme:
// no navigation, header or footer; every text black on white; headings
// kept with what follows them; the address of each link to another site
// printed after it.
func TestBrowserPrint(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, copySite(t), nil)
	browser := newBrowser(t)
	paths := pageTypes(t, browser, base)
	colorScheme(t, browser, "dark")
	_, err := chromedp.Call(browser, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Media:    "print",
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	external := 0
	for _, p := range paths {
		where := "/" + p + " (print)"
		if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
			t.Fatalf("open %s: %v", where, err)
		}
		waitFor(t, browser, where, loaded)
		type printed struct {
			Shown     []string `json:"shown"`
			NotBlack  []string `json:"notBlack"`
			Loose     []string `json:"loose"`
			NoAddress []string `json:"noAddress"`
			External  int      `json:"external"`
		}
		got, err := chromedp.Run(browser, chromedp.Evaluate[printed](`(() => {
  const out = {shown: [], notBlack: [], loose: [], noAddress: [], external: 0};
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility === "visible";
  for (const el of document.querySelectorAll("header.site, footer.site, nav, .skip")) if (visible(el)) out.shown.push(el.tagName.toLowerCase() + "." + el.className);
  for (const el of [document.documentElement, document.body, ...document.body.querySelectorAll("*")]) {
    if (!visible(el)) continue;
    const cs = getComputedStyle(el);
    const bg = cs.backgroundColor;
    if (bg !== "rgba(0, 0, 0, 0)" && bg !== "rgb(255, 255, 255)") out.notBlack.push(el.tagName.toLowerCase() + "." + el.className + " background " + bg);
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== "");
    if (own && cs.color !== "rgb(0, 0, 0)") out.notBlack.push(el.tagName.toLowerCase() + "." + el.className + " " + JSON.stringify(el.textContent.trim().slice(0, 30)) + " color " + cs.color);
  }
  for (const h of document.querySelectorAll("main h1, main h2, main h3")) if (getComputedStyle(h).breakAfter !== "avoid") out.loose.push(h.textContent.trim().slice(0, 30));
  for (const a of document.querySelectorAll("main a[href^='http']")) {
    if (!visible(a)) continue;
    out.external++;
    if (!getComputedStyle(a, "::after").content.includes(a.getAttribute("href"))) out.noAddress.push(a.getAttribute("href"));
  }
  return out;
})()`))
		if err != nil {
			t.Fatal(err)
		}
		external += got.External
		if len(got.Shown) > 0 {
			t.Errorf("%s: printed %q; want no navigation, header or footer", where, got.Shown)
		}
		for _, s := range got.NotBlack {
			t.Errorf("%s: not black on white: %s", where, s)
		}
		if len(got.Loose) > 0 {
			t.Errorf("%s: headings that may end a printed page: %q", where, got.Loose)
		}
		if len(got.NoAddress) > 0 {
			t.Errorf("%s: links printed without their address: %q", where, got.NoAddress)
		}
	}
	if external == 0 {
		t.Error("no page of the site links to another site; the test of printed addresses proves nothing")
	}
}

// TestBrowserPhone opens a page of every kind 360 px wide, as on a phone:
// the page does not scroll sideways, its links to tap (all but those
// within a sentence: navigation, footer, the matrix, chips, pagers,
// timelines, indexes and list entries) are at least 24 px each way, and on the home
// page every cell of every column of the topic × round matrix is within
// the screen.
func TestBrowserPhone(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, copySite(t), nil)
	browser := newBrowser(t)
	paths := pageTypes(t, browser, base)
	if err := chromedp.Do(browser, chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		where := "/" + p + " (360 px)"
		if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
			t.Fatalf("open %s: %v", where, err)
		}
		waitFor(t, browser, where, loaded)
		type phone struct {
			Width, ScrollWidth int
			Small              []string
			Columns, Rows      int
			Hidden             []string
		}
		got, err := chromedp.Run(browser, chromedp.Evaluate[phone](`(() => {
  const out = {Width: innerWidth, ScrollWidth: document.documentElement.scrollWidth, Small: [], Columns: 0, Rows: 0, Hidden: []};
  for (const a of document.querySelectorAll("header.site a, footer.site a, .matrix a, .chips a, .pager a, .prevnext a, .timeline a, .index a, .entry a, .card h2 a")) {
    if (a.getClientRects().length === 0) continue; // not shown at this width
    const r = a.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) out.Small.push(JSON.stringify(a.textContent.trim().slice(0, 30)) + " " + Math.round(r.width) + "×" + Math.round(r.height));
  }
  const m = document.querySelector(".matrix");
  if (m) {
    out.Columns = m.querySelectorAll("thead th").length;
    for (const tr of m.querySelectorAll("tbody tr")) {
      out.Rows++;
      const cells = tr.querySelectorAll("th, td");
      if (cells.length !== out.Columns) out.Hidden.push("a row of " + cells.length + " cells");
      cells.forEach((c, i) => {
        const r = c.getBoundingClientRect();
        let clipped = false;
        for (let e = c.parentElement; e && e !== document.body; e = e.parentElement) {
          const er = e.getBoundingClientRect(), cs = getComputedStyle(e);
          if (cs.overflowX !== "visible" && (r.left < er.left || r.right > er.right + 0.5)) clipped = true;
        }
        if (r.width === 0 || r.left < 0 || r.right > innerWidth + 0.5 || clipped)
          out.Hidden.push(tr.querySelector("th").textContent.trim() + " × " + m.querySelectorAll("thead th")[i].textContent.trim());
      });
    }
  }
  return out;
})()`))
		if err != nil {
			t.Fatal(err)
		}
		if got.ScrollWidth > got.Width {
			t.Errorf("%s: the page is %d px wide on a %d px screen; want no sideways scroll", where, got.ScrollWidth, got.Width)
		}
		for _, s := range got.Small {
			t.Errorf("%s: touch target smaller than 24×24 px: %s", where, s)
		}
		if p == "" && (got.Rows == 0 || got.Columns < 3) {
			t.Errorf("%s: matrix of %d rows, %d columns; want the topic × round matrix", where, got.Rows, got.Columns)
		}
		for _, h := range got.Hidden {
			t.Errorf("%s: matrix cell out of sight: %s", where, h)
		}
	}
}
