package importer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"digest/generator/clean"
	"digest/generator/content"
)

// Table tests for the kinds of line real pages about the talks are made
// of. Each case is named after the kind of page that needed the rule;
// the lines are written for the test, in the manner of those pages.

// casesRounds is testRounds with what the registry says of each round
// that the rules read: cities, heads of delegation, outcomes.
func casesRounds() []*content.Round {
	rs := testRounds()
	heads := map[string][2]string{
		"istanbul-2022": {"Vladimir Medinsky", "David Arakhamia"},
		"round-1":       {"Vladimir Medinsky", "Rustem Umerov"},
		"round-2":       {"Vladimir Medinsky", "Rustem Umerov"},
		"round-3":       {"Vladimir Medinsky", "Rustem Umerov"},
	}
	outcomes := map[string][]string{
		"round-1": {"A 1,000-for-1,000 prisoner exchange was agreed."},
		"round-2": {"Agreed to hand over 6,000 bodies each way."},
		"round-3": {"A plenary session of about 40 minutes.", "A further exchange of 1,200 prisoners each way."},
	}
	for _, r := range rs {
		r.City = "Istanbul"
		h := heads[r.ID]
		r.Delegations = []content.Delegation{{Side: "Russia", Head: h[0]}, {Side: "Ukraine", Head: h[1]}}
		r.Outcomes = outcomes[r.ID]
	}
	return rs
}

func day0(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func TestURLDate(t *testing.T) {
	tests := []struct {
		name, url, want string
		weak            bool
	}{
		{"year, month, day folders", "https://news.example.org/eng/news/2022/03/29/7335573/", "2022-03-29", false},
		{"month by name (a video page)", "https://www.example.com/world/video/2022/mar/29/russia-says-video", "2022-03-29", false},
		{"year folder, then month and day run together", "https://www.example.ie/news/2025/0517/1513326-talks", "2025-05-17", false},
		{"eight digits as a path segment", "https://example.com/20250530/delegation-heads-to-istanbul-1122157297.html", "2025-05-30", false},
		{"ISO date as a folder", "https://en.example.ru/en/1896672/2025-06-01/medinsky-arrived", "2025-06-01", false},
		{"ISO date ending the slug", "https://example.ru/en/news/peskov-outlines-differences-2026-01-29-53998", "2026-01-29", false},
		{"article number filed by date: weak", "https://www.example.com/world-news/heads-meet-in-istanbul-125072301800_1.html", "2025-07-23", true},
		{"an article number that is no date", "https://example.com/en/news/845088-ukraine-offers-positions", "", false},
		{"a year in the slug is no date", "https://www.example.com/en/news/305686-prisoner-exchange-istanbul-2024", "", false},
		{"dates in the query are not the page's", "https://example.com/article/talks?from=2025-01-01", "", false},
	}
	for _, tt := range tests {
		st, weak, ok := urlDate(tt.url)
		got := ""
		if ok {
			got = st.date.Format(time.DateOnly)
		}
		if got != tt.want || weak != tt.weak {
			t.Errorf("%s: got %q weak=%v; want %q weak=%v", tt.name, got, weak, tt.want, tt.weak)
		}
	}
}

func TestPrintedDate(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"date and time above the headline", []string{"icon bookmark icon share", "29 Mar, 2022 12:00", "Home", "A headline"}, "2022-03-29"},
		{"time first, day first", []string{"17:56 02.06.2025", "Turkish ministry: talks ended"}, "2025-06-02"},
		{"time, zone and an update", []string{"10:08 GMT 30.05.2025 (Updated: 10:12 GMT 30.05.2025)"}, "2025-05-30"},
		{"glued to the authors' names", []string{"Anna Example, Oleh ExampleWednesday, 23 July 2025, 22:05"}, "2025-07-23"},
		{"a byline with a reading time", []string{"by Anna Example May 19, 2025 1:02 PM 2 min read"}, "2025-05-19"},
		{"a heading mark before it", []string{"# 28 March 2022 13:50 (UTC +04:00)"}, "2022-03-28"},
		{"a weather widget shows the day of the visit", []string{"• Sunday", "7 December, 2025", "• 4.5°", "Overcast"}, ""},
		{"a caption naming the day a photo was released", []string{"Freed soldiers arrive home in a picture released on June 9, 2025, by the ministry / Reuters"}, ""},
		{"a sentence naming a date", []string{"On February 24, 2022, the full-scale invasion began and the war entered a new phase."}, ""},
	}
	for _, tt := range tests {
		st, ok, _ := printedDate(tt.lines, len(tt.lines))
		got := ""
		if ok {
			got = st.date.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("%s: got %q (%s); want %q", tt.name, got, st.text, tt.want)
		}
	}
}

func TestYearlessDateline(t *testing.T) {
	rounds := casesRounds()
	tests := []struct {
		name, lead string
		text       []string
		want       string
		sure       bool
		because    string // in the reasons
	}{
		{"agency dateline, year from a dated statement",
			"BERLIN, April 26. /TASS/. A weekly argues that the 2022 draft would have ended the fighting.",
			[]string{"A Kremlin aide called the document outdated on March 1, 2024."}, "2024-04-26", true, "2024 from"},
		{"agency dateline with a region, year from the round it reports",
			"TIANJIN /China/, July 15. /TASS/. Talks in Istanbul remain possible, the foreign minister told reporters.",
			[]string{"The second round of direct talks was held in Istanbul on June 2."}, "2025-07-15", true, "round-2"},
		{"wire dateline months after the last round",
			"Kyiv, Nov 16 A security official wrote that swaps would start again soon.",
			[]string{"The third round of peace talks was held in Istanbul on July 23."}, "2025-11-16", true, "round-3"},
		{"Reuters style", "ISTANBUL, May 16 (Reuters) - Delegations met for the first direct talks since 2022.",
			nil, "2025-05-16", true, "round-1"},
		{"nothing dated to take the year from", "MOSCOW, June 16. /TASS/. The minister said more would follow.",
			nil, "", false, ""},
		{"a sentence opening with a weekday and a date is no dateline",
			"On Thursday, May 15 Zelensky flew to Ankara instead of Istanbul.",
			[]string{"The first round of talks was held in Istanbul on May 16."}, "", false, ""},
	}
	for _, tt := range tests {
		page := clean.Page{Paragraphs: append([]string{tt.lead}, tt.text...)}
		sents := sentences(page.Paragraphs)
		ms := findRounds(rounds, sents)
		dt := datePage(rounds, Page{Text: strings.Join(page.Paragraphs, "\n")}, page, sents, textRound(ms), ms)
		got := ""
		if dt.sure || !dt.date.IsZero() && tt.want != "" {
			got = dt.date.Format(time.DateOnly)
		}
		if got != tt.want || dt.sure != tt.sure || !strings.Contains(dt.why, tt.because) {
			t.Errorf("%s: got %s sure=%v (%s); want %s sure=%v, reasons naming %q", tt.name, got, dt.sure, dt.why, tt.want, tt.sure, tt.because)
		}
	}
}

// TestUndatedPage: a page that states no date gets a placeholder marked
// for review with its round, never the last round's date, and its round
// is the one the text names, or none.
func TestUndatedPage(t *testing.T) {
	site := &content.Site{Rounds: casesRounds(), Topics: []*content.Topic{{ID: "ceasefire", Keywords: []string{"ceasefire"}}}}
	tests := []struct {
		name, text, round string
	}{
		{"a page naming no round", "Ankara wants peace\nThe Turkish leader told reporters his country keeps talking to both warring sides and expects a good result soon.\nHe plans to phone both presidents again at the end of the week.", "none"},
		{"a page naming the second round", "Another swap planned\nDelegations wrapped up the second round of talks in Istanbul and plan another swap of captured soldiers.\nThe meeting lasted about an hour.", "round-2"},
	}
	for _, tt := range tests {
		d, err := Analyze(site, Page{Raw: "x.txt", Text: tt.text})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d.Round != tt.round || !slices.Contains(d.Review, "date") || !slices.Contains(d.Review, "round") {
			t.Errorf("%s: round %s review %v; want round %s and date and round to review", tt.name, d.Round, d.Review, tt.round)
		}
		if d.Date.Equal(site.Rounds[len(site.Rounds)-1].Date.Time) {
			t.Errorf("%s: dated %s, the last round's date", tt.name, d.Date.Format(time.DateOnly))
		}
	}
}

func TestRoundMentions(t *testing.T) {
	tests := []struct {
		name string
		text []string
		want string // the round textRound picks, "" for none
	}{
		{"a 2025 lead-up recalling March 2022",
			[]string{"Delegations will meet on Thursday for the first direct talks since March 2022, officials said."}, "round-1"},
		{"a second-round report recalling the first round",
			[]string{"The second round of talks ended after an hour on Monday.", "The first round had achieved a large prisoner swap."}, "round-2"},
		{"a date without its year", []string{"The delegations met in Istanbul on May 16 for less than two hours."}, "round-1"},
		{"talks planned for the day before they were held", []string{"Putin proposed direct talks planned for 15 May in Istanbul."}, "round-1"},
		{"an ordinal beyond the registry", []string{"Kyiv said it was ready for a fourth round of talks next month."}, ""},
		{"ordinals of another series of rounds",
			[]string{"In Belarus the sides met for a second round on March 3 and a third round on March 7."}, ""},
		{"a meeting of leaders since a year without a round",
			[]string{"A summit would be the presidents' first direct meeting since 2019."}, ""},
		{"a figure from one round's outcomes", []string{"The sides agreed to swap 6,000 bodies of fallen soldiers."}, "round-2"},
		{"a figure inside another", []string{"Some 200 soldiers came home last year."}, ""},
		{"the head of a delegation who led only one round",
			[]string{"Kyiv's offer was presented by David Arakhamia in Turkey."}, "istanbul-2022"},
		{"the weekday the talks were held in the city",
			[]string{"The latest round, after several by video link, was held in Istanbul on Tuesday."}, "istanbul-2022"},
		{"first talks in over three years", []string{"Brussels readied sanctions while the two sides sat down for their first direct talks in more than three years."}, "round-1"},
	}
	for _, tt := range tests {
		sents := sentences(tt.text)
		rounds := casesRounds()
		rf := textRound(findRounds(rounds, sents))
		if w := beyondRegistry(rounds, sents); w != "" && !(rf.ahead && rf.sure) {
			rf = roundFinding{}
		}
		got := ""
		if rf.round != nil {
			got = rf.round.ID
		}
		if got != tt.want {
			t.Errorf("%s: got %q (%s); want %q", tt.name, got, rf.why, tt.want)
		}
	}
}

func TestChooseRound(t *testing.T) {
	rounds := casesRounds()
	r2 := rounds[2]
	tests := []struct {
		name string
		rf   roundFinding
		dt   dating
		want string
		sure bool
	}{
		{"named round, date agrees", roundFinding{round: r2, sure: true, why: "held"}, dating{date: day0("2025-06-03"), sure: true}, "round-2", true},
		{"sure date far from every round", roundFinding{}, dating{date: day0("2024-03-06"), sure: true}, "none", true},
		{"sure date, the text names another round: the rule, to review", roundFinding{round: r2, why: "held"}, dating{date: day0("2025-06-16"), sure: true}, "none", false},
		{"no sure date: the round named, to review", roundFinding{round: r2, why: "held"}, dating{date: day0("2025-07-23")}, "round-2", false},
		{"no sure date, no round named", roundFinding{}, dating{date: day0("2025-07-23")}, "none", false},
	}
	for _, tt := range tests {
		id, why, sure := chooseRound(rounds, tt.rf, tt.dt)
		if id != tt.want || sure != tt.sure {
			t.Errorf("%s: got %s sure=%v (%s); want %s sure=%v", tt.name, id, sure, why, tt.want, tt.sure)
		}
	}
}

func TestTopicsOnRealKindsOfLine(t *testing.T) {
	topics := bundledSite(t).Topics
	tests := []struct {
		name string
		page clean.Page
		want string
	}{
		{"a negotiator's name does not make a story about delegations",
			clean.Page{Headline: "Pulling back near the capital is not a cease fire, says Medinsky",
				Paragraphs: []string{"Head of the Russian delegation Vladimir Medinsky said the pullback was no ceasefire.", "Medinsky repeated it. Medinsky said it again."}},
			"ceasefire"},
		{"word forms: prisoners exchanged",
			clean.Page{Headline: "Hundreds of prisoners exchanged after the talks", Paragraphs: []string{"The sides swapped captives on Friday."}},
			"prisoner-exchange"},
		{"names in the other order", clean.Page{Headline: "Kyiv proposes a meeting between Zelenskyy and Putin by August", Paragraphs: []string{"The proposal was made in Istanbul."}},
			"leaders-summit"},
		{"guarantor states", clean.Page{Paragraphs: []string{"Ukraine wants guarantor states to act as NATO allies would.", "Guarantor countries would help."}},
			"security-guarantees"},
		{"a treaty", clean.Page{Headline: "Documents show the 2022 draft treaty", Paragraphs: []string{"The treaty was initialled."}},
			"peace-terms"},
		{"a conference called a summit is not a leaders' meeting",
			clean.Page{Headline: "Officials speak at the Stratcom Summit", Paragraphs: []string{"At the Stratcom Summit in Kyiv, officials discussed new sanctions on Moscow."}},
			"sanctions"},
		{"a delegation of leaders is not a leaders' meeting",
			clean.Page{Paragraphs: []string{"A delegation of African leaders was shown the draft; sanctions were not discussed by the leaders."}},
			"peace-terms"},
		{"a photo caption does not count",
			clean.Page{Headline: "Talks end in Istanbul", Paragraphs: []string{"Drones over the palace during the talks. ©Example / Agency via Getty Images", "The sides agreed to a new exchange of prisoners."}},
			"prisoner-exchange"},
	}
	for _, tt := range tests {
		got, _, why, _ := findTopics(topics, tt.page)
		if got != tt.want {
			t.Errorf("%s: got %s (%s); want %s", tt.name, got, why, tt.want)
		}
	}
}

func TestHeadlines(t *testing.T) {
	site := bundledSite(t)
	body := "Russia and Ukraine agreed on a new exchange of prisoners during the talks in Istanbul, the heads of both delegations said on Monday, after an hour of talks.\nThe sides also exchanged memoranda setting out their terms for a ceasefire and a settlement of the war, officials said after the meeting.\n"
	tests := []struct {
		name, raw, title string
		review           bool
	}{
		{"a cookie banner above the headline is not it",
			"Sides agree on new prisoner swap\nThis website uses cookies to improve your experience OK\n" + body, "Sides agree on new prisoner swap", false},
		{"a photo caption repeated in its credit line is not the headline",
			"Sides agree on new prisoner swap\nDmitry Example, Kremlin Spokesman\n© Agency | Dmitry Example, Kremlin Spokesman\n" + body, "Sides agree on new prisoner swap", false},
		{"a headline naming a date is a headline",
			"Third round of talks set for July 23, president says\n" + body, "Third round of talks set for July 23, president says", false},
		{"a standfirst in the headline's place is marked",
			"Once the meeting was over, the envoy said that more swaps would follow\n" + body, "Once the meeting was over, the envoy said that more swaps would follow", true},
		{"no headline: the lead, marked, without its dateline",
			"MOSCOW, June 16. /TASS/.\n" + body, "Russia and Ukraine agreed on a new exchange of prisoners…", true},
	}
	for _, tt := range tests {
		d, err := Analyze(site, Page{Raw: "x.txt", Text: tt.raw})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		review := strings.Contains(strings.Join(d.Review, ","), "title")
		if d.Title != tt.title || review != tt.review {
			t.Errorf("%s: got %q review=%v (%s); want %q review=%v", tt.name, d.Title, review, d.Why["title"], tt.title, tt.review)
		}
	}
}

func TestOutlets(t *testing.T) {
	site := &content.Site{Sources: []*content.Source{
		{Name: "Anadolu Agency", Aliases: []string{"Anadolu Ajansı"}, Domains: []string{"aa.com.tr"}},
		{Name: "Meduza", Domains: []string{"meduza.io"}},
		{Name: "RT", Aliases: []string{"Russia Today"}, Domains: []string{"rt.com"}},
	}}
	body := "The talks ended after an hour, Russia Today reported, citing officials."
	tests := []struct {
		name, url, raw, want string
		sure                 bool
	}{
		{"the address's host first", "https://www.aa.com.tr/en/world/talks/123", body, "Anadolu Agency", true},
		{"a mirror on a subdomain", "https://plugin-frontend.meduza.io/en/news/2025/05/14/x", body, "Meduza", true},
		{"the copyright line with its year", "", "© Anadolu Ajansı 2025\n" + body, "Anadolu Agency", true},
		{"an outlet the registry lacks, to review", "", "© 2025 Example Gazette. All rights reserved.\n" + body, "Example Gazette", false},
		{"a cited outlet does not sign the page", "https://unknown.example.org/x", body, "unknown", false},
	}
	for _, tt := range tests {
		got, why, sure := findSource(site, tt.url, tt.raw, clean.Page{Paragraphs: []string{body}})
		if got != tt.want || sure != tt.sure {
			t.Errorf("%s: got %q sure=%v (%s); want %q sure=%v", tt.name, got, sure, why, tt.want, tt.sure)
		}
	}
}

// TestPrintedDateAmongTeasers: below the article, lists of other stories
// print their own dates; a date line there is not sure unless every date
// line of the page agrees.
func TestPrintedDateAmongTeasers(t *testing.T) {
	lines := []string{"A headline", "The article's first paragraph.", "May 12, 2025", "Another story", "June 1, 2025"}
	if _, ok, sure := printedDate(lines, 1); !ok || sure {
		t.Errorf("teaser dates that disagree: ok=%v sure=%v; want ok and not sure", ok, sure)
	}
	lines = []string{"A headline", "The article's first paragraph.", "16 May 2025", "The stream has ended."}
	if st, ok, sure := printedDate(lines, 1); !ok || !sure || st.date.Format(time.DateOnly) != "2025-05-16" {
		t.Errorf("a live page's one date line: %v ok=%v sure=%v; want 2025-05-16, sure", st.date, ok, sure)
	}
}

// TestRelativeDays: a story dated the day after the talks says they met
// "yesterday"; one dated the same day says "on Friday".
func TestRelativeDays(t *testing.T) {
	rounds := casesRounds()
	tests := []struct {
		name, text, published, want string
	}{
		{"yesterday", "Yesterday the two delegations met in Istanbul.", "2025-05-17", "round-1"},
		{"a weekday of the same week", "Moscow's envoy spoke of an old war during the talks on Friday.", "2025-05-16", "round-1"},
		{"last week", "The call follows last week's negotiations in Istanbul.", "2025-05-19", "round-1"},
		{"a weekday with no round on it", "Talks on Tuesday were postponed.", "2025-05-16", ""},
	}
	for _, tt := range tests {
		rf := textRound(relativeRounds(rounds, sentences([]string{tt.text}), day0(tt.published)))
		got := ""
		if rf.round != nil {
			got = rf.round.ID
		}
		if got != tt.want {
			t.Errorf("%s: got %q (%s); want %q", tt.name, got, rf.why, tt.want)
		}
	}
}

// FuzzAnalyze: any page, with any address, is analysed without a panic,
// and a draft it returns has a title, a date and a round.
func FuzzAnalyze(f *testing.F) {
	f.Add("Talks end\nISTANBUL, July 25. /TASS/. The third round of talks ended after 40 minutes.", "https://tass.com/world/1")
	f.Add("29 Mar, 2022 12:00\nA headline\nThe talks on Tuesday in Istanbul, the first since 2019, ended.", "https://example.org/2022/mar/29/x")
	f.Add(", a b c d e f g h\nMOSCOW, June 16. /TASS/.\n© 2025\nx", "%")
	site := &content.Site{Rounds: casesRounds(), Topics: []*content.Topic{{ID: "t", Keywords: []string{"—", "talk*", "a and b"}}},
		Sources: []*content.Source{{Name: "X", Domains: []string{""}}}}
	f.Fuzz(func(t *testing.T, text, url string) {
		d, err := Analyze(site, Page{Raw: "x.txt", Text: text, URL: url})
		if err != nil {
			return
		}
		if d.Title == "" || d.Date.IsZero() || d.Round == "" {
			t.Errorf("draft without title, date or round: %+v", d)
		}
	})
}

// TestDateAgainstText: a masthead showing the day the page was seen, or
// a date misread from an address, is not sure when the story contradicts
// it.
func TestDateAgainstText(t *testing.T) {
	rounds := casesRounds()
	tests := []struct {
		name, date, text string
		sure             bool
	}{
		{"looks ahead to a round long held", "2025-12-07", "The third round of direct talks in Istanbul will take place on July 23, the president said.", false},
		{"reports as held a round after it", "2025-05-10", "The delegations met in Istanbul on June 2 and agreed on an exchange.", false},
		{"reports as past a dated event after it", "2024-03-06", "The minister said on March 1, 2025 that the draft was no longer topical.", false},
		{"an ordinal of another series does not count", "2022-03-04", "A 2nd round of talks was held in Belarus on Thursday.", true},
		{"agrees", "2025-06-03", "The delegations met in Istanbul on June 2 and agreed on an exchange.", true},
	}
	for _, tt := range tests {
		sents := sentences([]string{tt.text})
		dt := checkAgainstText(dating{date: day0(tt.date), sure: true, why: "printed"}, sents, findRounds(rounds, sents))
		if dt.sure != tt.sure {
			t.Errorf("%s: sure=%v (%s); want %v", tt.name, dt.sure, dt.why, tt.sure)
		}
	}
}

// TestLeadDate: a lead opening with its place and date is dated by it; a
// lead opening with a sentence about a date is not.
func TestLeadDate(t *testing.T) {
	tests := []struct{ lead, want string }{
		{"Brussels 28.02.2022 Talks between the two delegations began on the border, Moscow said.", "2022-02-28"},
		{"KYIV, 16.05.2025 — The delegations met in Istanbul.", "2025-05-16"},
		{"On February 24, 2022 the invasion began, and the war entered a new phase.", ""},
		{"Since March 29, 2022 the two sides have not met in person.", ""},
		{"The talks that began in Istanbul on May 16, 2025 ended within two hours.", ""},
	}
	for _, tt := range tests {
		st, ok := leadDate(tt.lead)
		got := ""
		if ok {
			got = st.date.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("leadDate(%q) = %q; want %q", tt.lead, got, tt.want)
		}
	}
}

// TestPrintedDatesAboveTheArticle: above the article, a list of the
// latest stories with their days leaves the page's own day open.
func TestPrintedDatesAboveTheArticle(t *testing.T) {
	lines := []string{"Latest", "May 12, 2025", "Another story", "May 14, 2025", "A headline", "The first paragraph."}
	if _, ok, sure := printedDate(lines, 5); !ok || sure {
		t.Errorf("two days above the article: ok=%v sure=%v; want ok and not sure", ok, sure)
	}
	lines = []string{"A headline", "Tuesday, 29 March 2022, 19:04", "A headline", "Tuesday, 29 March 2022, 19:04", "The first paragraph."}
	if _, ok, sure := printedDate(lines, 4); !ok || !sure {
		t.Errorf("the same day printed twice: ok=%v sure=%v; want ok and sure", ok, sure)
	}
}
