package importer

import (
	"strings"
	"testing"
	"time"

	"digest/generator/clean"
	"digest/generator/content"
)

// Table tests for the rules of the analysis. Each case is a sentence from
// a real page (the seeds, or the coverage of the talks they quote).

// rounds is the bundled registry's schedule, as the rules see it.
func testRounds() []*content.Round {
	mk := func(id, name, date string) *content.Round {
		t, _ := time.Parse(time.DateOnly, date)
		return &content.Round{ID: id, Name: name, Date: content.Date{Time: t}}
	}
	return []*content.Round{
		mk("istanbul-2022", "Istanbul talks, 2022", "2022-03-29"),
		mk("round-1", "First round, 2025", "2025-05-16"),
		mk("round-2", "Second round, 2025", "2025-06-02"),
		mk("round-3", "Third round, 2025", "2025-07-23"),
	}
}

func TestFindRounds(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "round tense" pairs, space separated; tense p, f, ? and i for implied
	}{
		{"ordinal ahead", "Moscow proposed holding a third round of talks but has received no response from Kiev.", "round-3 f"},
		{"ordinal held", "Commenting on the third round of direct talks between Russian and Ukrainian delegations held previously, Peskov noted that Russia laid out an agenda.", "round-3 p"},
		{"count held", "The sides have met for two rounds of direct negotiations in Türkiye this year.", "round-2 p round-3 fi"},
		{"first since, no year", "President Vladimir Putins proposed meeting in Istanbul on Thursday could mark the first direct talks between the two sides since the early weeks of Russias full-scale invasion.", "round-1 f"},
		{"first since a year", "Russia and Ukraine Agree to Prisoner Swap After First Direct Talks Since 2022.", "round-1 p"},
		{"date of a round", "The first round of talks took place on May 16 at the Dolmabahce Palace in Istanbul.", "round-1 p round-1 p"},
		{"month and year", "The two sides last held direct talks in Istanbul in March 2022, which produced a draft peace proposal.", "istanbul-2022 p"},
		{"nothing", "Putin and Zelensky have not met since December 2019.", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, m := range findRounds(testRounds(), sentences([]string{tt.text})) {
			s := m.round.ID + " " + map[tense]string{past: "p", future: "f", unknownTense: "?"}[m.tense]
			if m.implied {
				s += "i"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: got %q; want %q", tt.name, strings.Join(got, " "), tt.want)
		}
	}
}

// TestUpcomingRound: talks "this week" with only the last round held named
// are the next round.
func TestUpcomingRound(t *testing.T) {
	sents := sentences([]string{
		"Russian officials will take part in direct negotiations with Ukraine in Turkey this week, but Moscow cannot yet disclose who it will send.",
		"The two sides last held direct talks in Istanbul in March 2022, which produced a draft peace proposal.",
	})
	rf := textRound(findRounds(testRounds(), sents))
	if rf.round == nil || rf.round.ID != "round-1" || !rf.ahead {
		t.Errorf("got %+v; want round-1, ahead", rf)
	}
}

func TestFindDate(t *testing.T) {
	rounds := testRounds()
	fetched, _ := time.Parse(time.DateOnly, "2025-07-21")
	tests := []struct {
		name    string
		byline  []string
		text    []string
		fetched time.Time
		want    string
		sure    bool
	}{
		{"printed date", []string{"Updated on: November 19, 2019 / 10:07 AM / CBS News"}, []string{"Police released video."}, time.Time{}, "2019-11-19", true},
		{"days ago, fetch date known", []string{"Russia Today6 days ago"}, []string{"Lavrov said on Tuesday."}, fetched, "2025-07-15", true},
		{"days ago, fetch date unknown", []string{"Russia Today6 days ago"},
			[]string{"Lavrov said on Tuesday.", "Moscow proposed holding a third round of talks but has received no response from Kiev."}, time.Time{}, "2025-07-08", false},
		{"days ahead of the scheduled Thursday", nil, []string{
			"Russian officials will take part in direct negotiations with Ukraine in Turkey this week, the Kremlin said Tuesday, just two days ahead of the scheduled meeting.",
			"“Russia continues preparing for Thursday’s negotiations.”",
			"The two sides last held direct talks in Istanbul in March 2022.",
		}, time.Time{}, "2025-05-13", true},
		{"the day after a round held", nil, []string{"In these talks, which took place on July 23, the Ukrainian delegation was led by Rustem Umerov."}, time.Time{}, "2025-07-24", false},
		{"the week before talks on Thursday", nil, []string{"Putins proposed meeting in Istanbul on Thursday could mark the first direct talks between the two sides since the invasion."}, time.Time{}, "2025-05-12", false},
		{"fetch date before the round reported is ignored", nil, []string{"In these talks, which took place on July 23, the delegations met."}, fetched, "2025-07-24", false},
		{"no evidence", nil, []string{"Putin and Zelensky have not met since December 2019."}, time.Time{}, "0001-01-01", false},
	}
	for _, tt := range tests {
		sents := sentences(tt.text)
		ms := findRounds(rounds, sents)
		dt := findDate(tt.byline, tt.text, sents, textRound(ms), ms, tt.fetched)
		if got := dt.date.Format(time.DateOnly); got != tt.want || dt.sure != tt.sure {
			t.Errorf("%s: got %s sure=%v (%s); want %s sure=%v", tt.name, got, dt.sure, dt.why, tt.want, tt.sure)
		}
	}
}

func TestFindSource(t *testing.T) {
	site := &content.Site{Sources: []*content.Source{
		{Name: "RT", Aliases: []string{"Russia Today"}, Country: "Russia", Homepage: "https://www.rt.com/"},
		{Name: "The Kyiv Independent", Aliases: []string{"Kyiv Independent"}, Country: "Ukraine"},
		{Name: "The Moscow Times", Aliases: []string{"Moscow Times"}, Country: "Russia (in exile, Amsterdam)"},
		{Name: "Interfax", Country: "Russia"},
		{Name: "Reuters", Country: "United Kingdom"},
	}}
	body := []string{"Peskov noted it, according to the Interfax news agency. Kyiv said so. Kyiv again."}
	tests := []struct {
		name, raw, want string
		sure            bool
	}{
		{"aggregator byline", "Ukraine derailing peace talks\nRussia Today6 days ago\n" + body[0], "RT", true},
		{"aggregator list", "- Russia Today\nRussia Today\n" + body[0], "RT", true},
		{"own voice", "We, the journalists of The Moscow Times, refuse to be silenced.\n" + body[0], "The Moscow Times", true},
		{"cited in the article", body[0], "The Kyiv Independent", false},
		{"cited in a teaser headline", "Indian company sent explosives to Russia despite US warnings, Reuters reports\n" + body[0], "The Kyiv Independent", false},
		{"unregistered outlet names itself: to review", "© 2019 CBS Interactive Inc. All Rights Reserved.\n" + body[0], "CBS Interactive Inc", false},
	}
	for _, tt := range tests {
		name, why, sure := findSource(site, "", tt.raw, clean.Page{Paragraphs: body})
		if name != tt.want || sure != tt.sure {
			t.Errorf("%s: got %q sure=%v (%s); want %q sure=%v", tt.name, name, sure, why, tt.want, tt.sure)
		}
	}
}

func TestFindTopics(t *testing.T) {
	topics := []*content.Topic{
		{ID: "ceasefire", Keywords: []string{"ceasefire", "truce", "30-day"}},
		{ID: "leaders-summit", Keywords: []string{"Putin-Zelensky", "summit"}},
		{ID: "talks-format", Keywords: []string{"format", "exhausted"}},
	}
	tests := []struct {
		name     string
		page     clean.Page
		want     string
		further  string
		wantSure bool
	}{
		{"headline decides", clean.Page{Headline: "Istanbul talks format ‘exhausted itself'",
			Paragraphs: []string{"Russia and Ukraine have met twice.", "Moscow refused a 30-day ceasefire; a truce would help Kiev, it said. The ceasefire..."}},
			"talks-format", "ceasefire", true},
		{"lead decides over a longer body", clean.Page{Headline: "Kremlin indicates Putin-Zelensky meeting unlikely",
			Paragraphs: []string{"A summit is unlikely before August.", "A ceasefire, a truce, a 30-day ceasefire."}},
			"leaders-summit", "ceasefire", true},
		{"body only: a guess", clean.Page{Headline: "Kremlin Yet to Confirm Who It’s Sending",
			Paragraphs: []string{"Who will go is unknown.", "Putin countered a call for a 30-day ceasefire."}},
			"ceasefire", "", false},
		{"no keyword", clean.Page{Headline: "Moscow Metro Installs Replica of Stalin Monument", Paragraphs: []string{"A statue."}},
			"ceasefire", "", false},
	}
	for _, tt := range tests {
		got, further, why, sure := findTopics(topics, tt.page)
		if got != tt.want || strings.Join(further, ",") != tt.further || sure != tt.wantSure {
			t.Errorf("%s: got %s %v sure=%v (%s); want %s [%s] sure=%v", tt.name, got, further, sure, why, tt.want, tt.further, tt.wantSure)
		}
	}
}

func TestTitleFromLead(t *testing.T) {
	tests := []struct{ lead, want string }{
		// The Moscow Times seed has no headline.
		{"President Vladimir Putins proposed meeting between Russian and Ukrainian negotiators in Istanbul on Thursday could mark the first direct talks.",
			"President Vladimir Putins proposed meeting between Russian and Ukrainian negotiators…"},
		{"Talks resumed in Istanbul.", "Talks resumed in Istanbul"},
		// A cut never ends on a function word.
		{"Russia and Ukraine on Friday held almost two hours of peace talks in Turkey, the first since 2022.",
			"Russia and Ukraine on Friday held almost two hours…"},
	}
	for _, tt := range tests {
		if got := titleFromLead(tt.lead); got != tt.want {
			t.Errorf("titleFromLead(%q) = %q; want %q", tt.lead, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Kremlin Yet to Confirm Who It’s Sending to Istanbul Talks With Ukraine", "kremlin-yet-to-confirm-who-its-sending-to-istanbul-talks"},
		{"Istanbul talks format ‘exhausted itself'", "istanbul-talks-format-exhausted-itself"},
		{"Ukraine derailing peace talks", "ukraine-derailing-peace-talks"},
		// A Russian-language headline, and a palace with Turkish letters:
		// transliterated, not dropped ("ra-an" from "Çırağan").
		{"Переговоры в Стамбуле", "peregovory-v-stambule"},
		{"Talks at Çırağan Palace", "talks-at-ciragan-palace"},
		{"Україна та РФ провели переговори", "ukrayina-ta-rf-proveli-peregovori"},
	}
	for _, tt := range tests {
		if got := slug(tt.title); got != tt.want {
			t.Errorf("slug(%q) = %q; want %q", tt.title, got, tt.want)
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		// A benchmark page leaked editor markup into its text.
		{`&lt;span data-mce-type="bookmark"&gt;`, `\&lt;span data-mce-type="bookmark"\&gt;`},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		// Numbered lists of products ("1) Lego Star Wars 75188").
		{"1) Lego Star Wars 75188", `1\) Lego Star Wars 75188`},
		{"2. Never urged Ukraine to investigate", `2\. Never urged Ukraine to investigate`},
		{"# 1 seed", `\# 1 seed`},
		{"- Russia Today", `\- Russia Today`},
		{"*Somente os 12 primeiros", `\*Somente os 12 primeiros`},
		{"[Russia] - Putin Sacks Chief", `\[Russia\] - Putin Sacks Chief`},
		{"2014-2015 Minsk Agreements, 6,000 bodies.", "2014-2015 Minsk Agreements, 6,000 bodies."},
		{"It's 'maximalist,' he said.", "It's 'maximalist,' he said."},
	}
	for _, tt := range tests {
		if got := EscapeMarkdown(tt.in); got != tt.want {
			t.Errorf("EscapeMarkdown(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestRenderQuotes: titles that YAML would misread are quoted; the file
// reads back with the same title.
func TestRenderQuotes(t *testing.T) {
	d := &Draft{Title: `Trump: "No deal" #1`, Source: "RT", Topic: "ceasefire", Round: "none", Raw: "content/inbox/x.txt",
		Date: time.Date(2025, 5, 13, 0, 0, 0, 0, time.UTC), Paragraphs: []string{"Text."}}
	fm, err := frontMatter(Render(d))
	if err != nil {
		t.Fatal(err)
	}
	if fm["title"] != d.Title {
		t.Errorf("title read back as %q; want %q", fm["title"], d.Title)
	}
}
