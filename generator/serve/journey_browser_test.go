package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"digest/generator/content"
	"digest/generator/site"
)

// artifactsEnv names the directory the browser tests write their
// screenshots to; without it they go to a temporary directory, named in
// the test's log.
const artifactsEnv = "DIGEST_ARTIFACTS"

// artifacts returns the directory for the screenshots of the test.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(artifactsEnv)
	if dir == "" {
		dir = t.TempDir()
		t.Logf("screenshots in %s (removed after the test; set %s to keep them)", dir, artifactsEnv)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pageKind names the kind of page at a path pageTypes returns: "home",
// "round", "round-topic", "article", "404"...
func pageKind(p string) string {
	segs := strings.Split(strings.TrimSuffix(p, "/"), "/")
	switch {
	case p == "":
		return "home"
	case p == "no-such-page/":
		return "404"
	case len(segs) == 1:
		return segs[0]
	case segs[0] == "rounds" && len(segs) == 3:
		return "round-topic"
	}
	return strings.TrimSuffix(segs[0], "s") // rounds/x/ is a round, articles/x/ an article
}

// screenshot writes a PNG of the whole open page into dir, named by the
// page's kind and mode ("round-phone.png").
func screenshot(t *testing.T, browser context.Context, dir, p, mode string) {
	t.Helper()
	png, err := chromedp.Run(browser, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of /%s (%s): %v", p, mode, err)
	}
	if err := os.WriteFile(filepath.Join(dir, pageKind(p)+"-"+mode+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// page facts read in the browser at each step of a journey.
type step struct {
	Path    string `json:"path"`
	Heading string `json:"heading"`
}

// where returns the path (under base's path) and heading of the open page.
func where(t *testing.T, browser context.Context) step {
	t.Helper()
	s, err := chromedp.Run(browser, chromedp.Evaluate[step](`({path: location.pathname, heading: document.querySelector("h1").textContent.trim()})`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestBrowserJourney reads the site as a reader does, by clicking: the
// home page, the newest round in its timeline, a topic of that round, an
// article of it; then Back to each page in turn. Each step shows the
// address of the link followed and the heading the link promised.
func TestBrowserJourney(t *testing.T) {
	skipWithoutBrowser(t)
	base, _ := runSite(t, copySite(t), nil)
	browser := newBrowserFor(t, time.Minute)
	if err := chromedp.Do(browser, chromedp.Navigate(base)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, browser, "the home page", loaded)
	basePath := base[strings.Index(base[len("http://"):], "/")+len("http://"):]
	steps := []step{{Path: basePath, Heading: "Where the talks stand"}}
	if got := where(t, browser); got != steps[0] {
		t.Fatalf("home: %+v; want %+v", got, steps[0])
	}
	for _, link := range []struct {
		what, sel string
		path      func(string) bool
		heading   func(text string, prev step) string
	}{
		{"the newest round", ".timeline li.round a",
			func(p string) bool { return strings.Count(strings.TrimPrefix(p, basePath+"rounds/"), "/") == 1 },
			func(text string, _ step) string { return text }},
		{"a topic of the round", ".chips a",
			func(p string) bool { return strings.Count(strings.TrimPrefix(p, basePath+"rounds/"), "/") == 2 },
			func(text string, prev step) string {
				// "Ceasefire 2": the chip ends with its count.
				name := strings.TrimSpace(text[:strings.LastIndex(text, " ")])
				return name + " — " + prev.Heading
			}},
		{"an article", ".entry a.title",
			func(p string) bool {
				return strings.HasPrefix(p, basePath+"articles/") && strings.Count(p[len(basePath):], "/") == 2
			},
			func(text string, _ step) string { return text }},
	} {
		type target struct {
			Path string `json:"path"`
			Text string `json:"text"`
		}
		to, err := chromedp.Run(browser, chromedp.Evaluate[target](`(() => {
			const a = document.querySelector(`+strconv.Quote(link.sel)+`);
			return a ? {path: new URL(a.href).pathname, text: a.textContent.trim()} : {path: "", text: ""};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if !link.path(to.Path) {
			t.Fatalf("%s: the link to %s leads to %q", steps[len(steps)-1].Path, link.what, to.Path)
		}
		if err := chromedp.Do(browser, chromedp.Click(chromedp.CSS(link.sel))); err != nil {
			t.Fatalf("click %s: %v", link.what, err)
		}
		waitFor(t, browser, link.what+" at "+to.Path, `location.pathname === `+strconv.Quote(to.Path)+` && `+loaded)
		want := step{Path: to.Path, Heading: link.heading(to.Text, steps[len(steps)-1])}
		if got := where(t, browser); got != want {
			t.Errorf("after clicking %s: %+v; want %+v", link.what, got, want)
		}
		steps = append(steps, want)
	}
	for i := len(steps) - 2; i >= 0; i-- {
		if err := chromedp.Do(browser, chromedp.NavigateBack()); err != nil {
			t.Fatalf("back to %s: %v", steps[i].Path, err)
		}
		waitFor(t, browser, "back at "+steps[i].Path, `location.pathname === `+strconv.Quote(steps[i].Path)+` && `+loaded)
		if got := where(t, browser); got != steps[i] {
			t.Errorf("back: %+v; want %+v", got, steps[i])
		}
	}
}

// visitsKey is the localStorage item visits.js keeps for the site served
// at base.
func visitsKey(base string) string {
	return "digest-visits " + base[strings.Index(base[len("http://"):], "/")+len("http://"):]
}

// marked returns the titles of the entries of the open page marked New.
func marked(t *testing.T, browser context.Context) []string {
	t.Helper()
	got, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll("li.entry")].filter(e => {
		const m = e.querySelector(".title .new");
		return m && m.textContent === "New";
	}).map(e => e.querySelector(".title bdi").textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// newerThan returns the titles of the site's articles dated after the
// start of day (UTC), sorted.
func newerThan(t *testing.T, dir string, day time.Time) []string {
	t.Helper()
	s, err := content.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range s.Articles {
		if y, m, d := a.Date.Date(); time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(day) {
			out = append(out, a.Title)
		}
	}
	slices.Sort(out)
	return out
}

// TestBrowserNewSinceLastVisit checks the "New" markers of visits.js: the
// first visit marks nothing; a later visit marks the entries dated after
// the previous one, on every list of the visit; an article added and built
// since is marked; the markers are readable (contrast, and axe-core when
// installed); pages without lists do not load the script; and with
// storage blocked nothing is marked and no error is raised.
func TestBrowserNewSinceLastVisit(t *testing.T) {
	skipWithoutBrowser(t)
	dir := copySite(t)
	base, _ := runSite(t, dir, nil)
	browser := newBrowserFor(t, time.Minute)
	key := strconv.Quote(visitsKey(base))
	open := func(p string) {
		t.Helper()
		if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
			t.Fatalf("open /%s: %v", p, err)
		}
		waitFor(t, browser, "/"+p, loaded)
	}
	// store records a visit from the search page, which has no lists:
	// on a page with them, visits.js would record its own as it is left.
	store := func(v string) {
		t.Helper()
		open("search/")
		if err := chromedp.Do(browser, chromedp.Evaluate[chromedp.Void](`localStorage.setItem(`+key+`, `+strconv.Quote(v)+`)`)); err != nil {
			t.Fatal(err)
		}
	}
	type visit struct {
		Previous *float64 `json:"previous"`
		Last     float64  `json:"last"`
	}
	stored := func() visit {
		t.Helper()
		raw, err := chromedp.Run(browser, chromedp.Evaluate[string](`localStorage.getItem(`+key+`) || ""`))
		if err != nil {
			t.Fatal(err)
		}
		var v visit
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			t.Fatalf("stored visit %q: %v", raw, err)
		}
		return v
	}

	// The first visit marks nothing, and is recorded as it is shown.
	start := float64(time.Now().UnixMilli())
	for _, p := range []string{"", "rounds/round-3/", "articles/"} {
		open(p)
		if m := marked(t, browser); len(m) > 0 {
			t.Errorf("first visit, /%s: marked %q; want nothing", p, m)
		}
	}
	if v := stored(); v.Previous != nil || v.Last < start {
		t.Errorf("after the first visit: stored %+v; want no previous visit and the last page shown at %.0f or later", v, start)
	}

	// A visit that ended on 1 July 2025: the articles dated since are new,
	// on the home page and on a round's page alike, for the whole visit.
	july := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	want := newerThan(t, dir, july)
	if len(want) == 0 {
		t.Fatal("no article of the site is dated after 1 July 2025; the markers cannot be checked")
	}
	store(fmt.Sprintf(`{"previous":null,"last":%d}`, july.UnixMilli()))
	open("")
	if got := marked(t, browser); !slices.Equal(got, want) {
		t.Errorf("home after a visit on 1 July 2025: marked %q; want %q", got, want)
	}
	if v := stored(); v.Previous == nil || int64(*v.Previous) != july.UnixMilli() {
		t.Errorf("stored %+v; want the previous visit %d kept", v, july.UnixMilli())
	}
	open("articles/")
	if got := marked(t, browser); !slices.Equal(got, want) {
		t.Errorf("all articles, later in the same visit: marked %q; want %q", got, want)
	}
	if axe, err := axeScript(t); err != nil {
		t.Logf("the markers not checked by axe-core: %v", err)
	} else {
		checkAxe(t, browser, axe, "all articles with markers")
	}
	// The markers are readable in either colour scheme.
	for _, scheme := range []string{"dark", "light"} {
		colorScheme(t, browser, scheme)
		low, err := chromedp.Run(browser, chromedp.Evaluate[[]string](lowContrast))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range low {
			t.Errorf("all articles with markers (%s): contrast below 4.5:1: %s", scheme, l)
		}
	}

	// An article added and built since a visit of yesterday is new; the
	// older ones are not.
	yesterday := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
	const title = "Delegations to meet again in Istanbul"
	writeFile(t, filepath.Join(dir, "content", "articles", "meet-again.md"), "---\ntitle: "+title+
		"\nsource: Reuters\ndate: "+time.Now().UTC().Format(time.DateOnly)+"\ntopic: talks-format\n---\n\nThe sides agreed to meet again.\n")
	open("")
	waitFor(t, browser, "the new article on the home page", loaded+` && document.body.textContent.includes(`+strconv.Quote(title)+`)`)
	store(fmt.Sprintf(`{"previous":null,"last":%d}`, yesterday.UnixMilli()))
	open("")
	if got := marked(t, browser); !slices.Equal(got, []string{title}) {
		t.Errorf("home after a visit yesterday and a new article: marked %q; want %q", got, []string{title})
	}

	// Pages without lists do not load the script, and leave the visit as
	// it was (when the home page was left).
	var before visit
	for i, p := range []string{"articles/meet-again/", "search/", "sources/"} {
		open(p)
		if i == 0 {
			before = stored()
		}
		n, err := chromedp.Run(browser, chromedp.Evaluate[int](`document.querySelectorAll('script[src$="visits.js"]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("/%s loads visits.js; want it only on pages with lists", p)
		}
	}
	if after := stored(); after.Last != before.Last {
		t.Errorf("pages without lists changed the stored visit: %+v -> %+v", before, after)
	}

	// With storage blocked nothing is marked and nothing fails.
	blocked := newBrowserFor(t, 30*time.Second)
	const block = `window.digestErrors = [];
window.addEventListener("error", e => window.digestErrors.push(String(e.message)));
Object.defineProperty(window, "localStorage", {get() { throw new DOMException("blocked", "SecurityError"); }});`
	err := chromedp.Do(blocked, chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: block})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"", "rounds/round-3/"} {
		if err := chromedp.Do(blocked, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, blocked, "/"+p+" with storage blocked", loaded)
		type result struct {
			Errors  []string `json:"errors"`
			Entries int      `json:"entries"`
			Marks   int      `json:"marks"`
		}
		got, err := chromedp.Run(blocked, chromedp.Evaluate[result](`({errors: window.digestErrors, entries: document.querySelectorAll("li.entry").length, marks: document.querySelectorAll(".new").length})`))
		if err != nil {
			t.Fatal(err)
		}
		if got.Entries == 0 || got.Marks != 0 || len(got.Errors) != 0 {
			t.Errorf("/%s with storage blocked: %d entries, %d marked, errors %q; want entries, none marked, no error", p, got.Entries, got.Marks, got.Errors)
		}
	}
}

// TestBrowserCoverage checks the coverage bar of every round, topic and
// round's topic page: the legend names the four groups and counts, for
// each, the articles of the whole list (every page of it) whose outlet
// the registry puts in that group; each part of the bar is as wide as
// its share; the bar is hidden from screen readers, which read the
// legend's text under the figure's caption; axe-core, when installed,
// finds no violation. Two articles are added to the site, so that the
// legends show a registered outlet in no group and an unknown one.
func TestBrowserCoverage(t *testing.T) {
	skipWithoutBrowser(t)
	dir := copySite(t)
	// Besides the site's own: an article from a registered outlet in no
	// group, and one from an outlet the registry does not know.
	for slug, outlet := range map[string]string{"interfax-swap": "Interfax", "courier-swap": "Evening Courier"} {
		writeFile(t, filepath.Join(dir, "content", "articles", slug+".md"), "---\ntitle: Swap expected after the second round ("+outlet+
			")\nsource: "+outlet+"\ndate: 2025-06-03\ntopic: prisoner-exchange\n---\n\nA swap is expected.\n")
	}
	base, _ := runSite(t, dir, nil)
	browser := newBrowserFor(t, 2*time.Minute)
	reg, err := content.LoadRegistries(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	groupOf := func(outlet string) string {
		src := reg.FindSource(outlet)
		if src == nil {
			return site.GroupOf(nil)
		}
		return site.GroupOf(&site.SourceInfo{Source: src})
	}

	// Every round, topic and round's topic the home page and the topics
	// index link to.
	var lists []string
	for _, p := range []string{"", "topics/"} {
		if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, browser, "/"+p, loaded)
		found, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".timeline li.round a, .matrix tbody a, .index h2 a")].map(a => new URL(a.href).href)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range found {
			if rel := strings.TrimPrefix(u, base); !slices.Contains(lists, rel) {
				lists = append(lists, rel)
			}
		}
	}
	kinds := map[string]int{}
	for _, p := range lists {
		kinds[pageKind(p)]++
	}
	if kinds["round"] == 0 || kinds["topic"] == 0 || kinds["round-topic"] == 0 {
		t.Fatalf("pages found: %v; want rounds, topics and rounds' topics", kinds)
	}

	type part struct {
		Group string  `json:"group"`
		Count int     `json:"count"`
		Text  string  `json:"text"`
		Width float64 `json:"width"` // of its part of the bar, in px
	}
	type figure struct {
		Caption string  `json:"caption"`
		Hidden  string  `json:"hidden"`
		Bar     float64 `json:"bar"`
		Legend  []part  `json:"legend"`
		Parts   []part  `json:"parts"`
		Styled  int     `json:"styled"`
	}
	axe, err := axeScript(t)
	if err != nil {
		t.Logf("the coverage not checked by axe-core: %v", err)
	}
	seen := map[string]int{} // articles counted by group, over all legends
	for _, p := range lists {
		if err := chromedp.Do(browser, chromedp.Navigate(base+p)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, browser, "/"+p, loaded)
		fig, err := chromedp.Run(browser, chromedp.Evaluate[figure](`(() => {
			const f = document.querySelector("figure.coverage");
			if (!f) return {caption: "", hidden: "", bar: 0, legend: [], parts: [], styled: 0};
			const bar = f.querySelector("svg.bar");
			return {
				caption: f.querySelector("figcaption").textContent,
				hidden: bar.getAttribute("aria-hidden") || "",
				bar: bar.getBoundingClientRect().width,
				legend: [...f.querySelectorAll(".legend li")].map(li => ({group: li.dataset.group, count: Number(li.querySelector("strong").textContent), text: li.textContent.trim(), width: 0})),
				parts: [...bar.querySelectorAll("rect.part")].map(r => ({group: r.dataset.group, count: 0, text: "", width: r.getBoundingClientRect().width})),
				styled: document.querySelectorAll("[style]").length,
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if axe != nil {
			checkAxe(t, browser, axe, "/"+p)
		}
		// The list's articles, page by page.
		counts, total := map[string]int{}, 0
		for page := p; page != ""; {
			outlets, err := chromedp.Run(browser, chromedp.Evaluate[[]string](`[...document.querySelectorAll("li.entry .meta bdi")].map(b => b.textContent)`))
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range outlets {
				counts[groupOf(o)]++
				total++
			}
			next, err := chromedp.Run(browser, chromedp.Evaluate[string](`(() => { const a = document.querySelector('.pager a[rel="next"]'); return a ? a.href : ""; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if page = strings.TrimPrefix(next, base); page != "" {
				if err := chromedp.Do(browser, chromedp.Navigate(next)); err != nil {
					t.Fatal(err)
				}
				waitFor(t, browser, next, loaded)
			}
		}
		where := "/" + p
		if total == 0 {
			if fig.Caption != "" {
				t.Errorf("%s: a coverage figure %q for no articles", where, fig.Caption)
			}
			continue
		}
		if fig.Caption == "" || !strings.Contains(fig.Caption, strconv.Itoa(total)) && total != 1 {
			t.Errorf("%s: coverage caption %q; want a figure captioned with its %d articles", where, fig.Caption, total)
			continue
		}
		if fig.Hidden != "true" {
			t.Errorf("%s: the bar's aria-hidden is %q; want the bar hidden, its legend read", where, fig.Hidden)
		}
		if fig.Styled > 0 {
			t.Errorf("%s: %d elements with a style attribute; the policy refuses them", where, fig.Styled)
		}
		var legend []string
		sum := 0
		for _, l := range fig.Legend {
			legend = append(legend, l.Group)
			sum += l.Count
			seen[l.Group] += l.Count
			if l.Count != counts[l.Group] {
				t.Errorf("%s: %s: %d; want %d, the list's articles from such outlets", where, l.Text, l.Count, counts[l.Group])
			}
			if name := site.GroupName(l.Group); l.Text != name+": "+strconv.Itoa(l.Count) {
				t.Errorf("%s: legend %q; want %q", where, l.Text, name+": "+strconv.Itoa(l.Count))
			}
		}
		if !slices.Equal(legend[:min(4, len(legend))], content.SourceGroups()) {
			t.Errorf("%s: legend %q; want the four groups first, in order: %q", where, legend, content.SourceGroups())
		}
		if sum != total {
			t.Errorf("%s: the legend counts %d articles; the list has %d", where, sum, total)
		}
		for _, part := range fig.Parts {
			want := fig.Bar * float64(counts[part.Group]) / float64(total)
			if math.Abs(part.Width-want) > 1 {
				t.Errorf("%s: the bar's %s part is %.1f px of %.1f; want %.1f (%d of %d)", where, part.Group, part.Width, fig.Bar, want, counts[part.Group], total)
			}
		}
	}
	if seen[site.GroupOther] == 0 || seen[site.GroupUnclassified] == 0 {
		t.Errorf("legends counted %v; want other outlets and outlets not in the registry among them", seen)
	}
	t.Logf("coverage checked on %d pages: %v", len(lists), kinds)
}
