package corpus

import (
	"fmt"
	"strings"
	"time"
)

// topic is one of the digest's shipped topics, with the words articles on
// it use and the subjects their headlines start with.
type topic struct {
	id, name, description string
	keywords              []string
	subjects              []string
}

var topics = []*topic{
	{
		id: "ceasefire", name: "Ceasefire",
		description: "Proposals for a truce: its length, conditions and monitoring.",
		keywords:    []string{"ceasefire", "truce", "30-day", "unconditional", "pause", "monitoring", "front line"},
		subjects:    []string{"Ceasefire proposal", "Truce terms", "Calls for a 30-day pause", "Ceasefire monitoring"},
	},
	{
		id: "prisoner-exchange", name: "Prisoner exchanges",
		description: "Swaps of prisoners of war, civilians and the bodies of the fallen.",
		keywords:    []string{"prisoner", "POW", "swap", "exchange", "bodies", "remains", "humanitarian", "children"},
		subjects:    []string{"Prisoner swap", "Exchange of bodies", "Release of wounded POWs", "Return of deported children"},
	},
	{
		id: "leaders-summit", name: "Leaders' meeting",
		description: "Whether and when the presidents meet face to face.",
		keywords:    []string{"summit", "face-to-face", "leaders", "Putin", "Zelensky", "meeting", "Kremlin"},
		subjects:    []string{"Talk of a leaders' summit", "Putin–Zelensky meeting", "Face-to-face talks"},
	},
	{
		id: "peace-terms", name: "Peace terms",
		description: "Memoranda, drafts and conditions for a settlement.",
		keywords:    []string{"memorandum", "draft", "terms", "conditions", "settlement", "neutrality", "NATO", "territory", "Crimea"},
		subjects:    []string{"Peace memorandum", "Draft settlement", "Territorial demands", "Neutrality clause"},
	},
	{
		id: "delegations", name: "Delegations",
		description: "Who sits at the table and who leads each side.",
		keywords:    []string{"delegation", "negotiator", "Medinsky", "Umerov", "composition", "envoy", "headed"},
		subjects:    []string{"Delegation line-up", "Medinsky's team", "Umerov's delegation", "New negotiators"},
	},
	{
		id: "military-pressure", name: "Military pressure",
		description: "Strikes, offensives and arms deliveries around the talks.",
		keywords:    []string{"strikes", "drones", "missiles", "offensive", "arms", "weapons", "air defence"},
		subjects:    []string{"Drone strikes", "Summer offensive", "Missile barrage", "Arms deliveries"},
	},
	{
		id: "sanctions", name: "Sanctions",
		description: "Sanctions, tariffs and deadlines meant to move the talks.",
		keywords:    []string{"sanctions", "tariffs", "deadline", "50-day", "secondary", "oil", "price cap"},
		subjects:    []string{"New sanctions", "Secondary tariffs", "The 50-day deadline", "Oil price cap"},
	},
	{
		id: "security-guarantees", name: "Security guarantees",
		description: "Guarantees for Ukraine after a settlement, and who would give them.",
		keywords:    []string{"guarantees", "peacekeepers", "troops", "coalition", "allies", "reassurance"},
		subjects:    []string{"Security guarantees", "Coalition of the willing", "Peacekeeping force", "Allied reassurance"},
	},
	{
		id: "talks-format", name: "Format of the talks",
		description: "How and whether to talk: venues, working groups, mediators.",
		keywords:    []string{"format", "working groups", "process", "Istanbul", "mediator", "Fidan", "Çırağan"},
		subjects:    []string{"Istanbul format", "Working groups", "Turkish mediation", "The next round"},
	},
}

// round is one of the shipped negotiation rounds.
type round struct {
	id, name string
	date     time.Time
	venue    string
	ukraine  string // head of the Ukrainian delegation
	outcome  string
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

var rounds = []round{
	{"istanbul-2022", "Istanbul, March 2022", day("2022-03-29"), "Dolmabahçe Palace", "David Arakhamia", "Ukraine set out neutrality in exchange for security guarantees."},
	{"round-1", "Round 1", day("2025-05-16"), "Dolmabahçe Palace", "Rustem Umerov", "A 1,000-for-1,000 prisoner exchange was agreed."},
	{"round-2", "Round 2", day("2025-06-02"), "Çırağan Palace", "Rustem Umerov", "Memoranda were exchanged and further swaps agreed."},
	{"round-3", "Round 3", day("2025-07-23"), "Çırağan Palace", "Rustem Umerov", "A further exchange was agreed; positions stayed far apart."},
}

// source is a news outlet of the sources registry.
type source struct {
	Name, Country, Affiliation, Group, Homepage string
	Aliases                                     []string
}

var sources = []source{
	{"Reuters", "United Kingdom", "International wire service", "international", "https://reuters.example/", []string{"Reuters News"}},
	{"Associated Press", "United States", "International wire service", "international", "https://ap.example/", []string{"AP"}},
	{"Agence France-Presse", "France", "International wire service", "international", "https://afp.example/", []string{"AFP"}},
	{"BBC News", "United Kingdom", "British public broadcaster", "international", "https://bbc.example/", []string{"BBC"}},
	{"TASS", "Russia", "Russian state media", "russian-state", "https://tass.example/", []string{"TASS Russian News Agency"}},
	{"RIA Novosti", "Russia", "Russian state media", "russian-state", "https://ria.example/", []string{"RIA"}},
	{"RT", "Russia", "Russian state media", "russian-state", "https://rt.example/", []string{"Russia Today"}},
	{"The Moscow Times", "Netherlands", "Russian independent", "russian-independent", "https://moscowtimes.example/", []string{"Moscow Times"}},
	{"Meduza", "Latvia", "Russian independent", "russian-independent", "https://meduza.example/", nil},
	{"The Kyiv Independent", "Ukraine", "Ukrainian independent", "ukrainian", "https://kyivindependent.example/", []string{"Kyiv Independent"}},
	{"Ukrainska Pravda", "Ukraine", "Ukrainian independent", "ukrainian", "https://pravda.example/", []string{"UP"}},
	{"Anadolu Agency", "Turkey", "Turkish state media", "international", "https://aa.example/", []string{"Anadolu"}},
}

// file is a registry file of content/.
type file struct{ name, data string }

// registries returns the four registry files of a synthetic site, in the
// shapes of the digest's own content/*.yaml.
func registries() []file {
	var site, tops, rnds, srcs strings.Builder
	site.WriteString("title: Istanbul talks digest (synthetic)\n" +
		"description: A synthetic corpus for benchmarking the digest.\n" +
		"base_url: https://digest.example/\n" +
		"language: en\n" +
		"page_size: 50\n")

	for _, t := range topics {
		fmt.Fprintf(&tops, "- id: %s\n  name: %q\n  description: %q\n  keywords: [%s]\n",
			t.id, t.name, t.description, quoteAll(t.keywords))
	}
	for _, r := range rounds {
		fmt.Fprintf(&rnds, "- id: %s\n  name: %q\n  date: %s\n  venue: %q\n  city: Istanbul\n  format: direct talks\n"+
			"  delegations:\n    - side: Russia\n      head: Vladimir Medinsky\n    - side: Ukraine\n      head: %s\n"+
			"  mediators: [Turkey]\n  outcomes:\n    - %q\n",
			r.id, r.name, r.date.Format("2006-01-02"), r.venue, r.ukraine, r.outcome)
	}
	for _, s := range sources {
		fmt.Fprintf(&srcs, "- name: %q\n", s.Name)
		if len(s.Aliases) > 0 {
			fmt.Fprintf(&srcs, "  aliases: [%s]\n", quoteAll(s.Aliases))
		}
		fmt.Fprintf(&srcs, "  country: %q\n  affiliation: %q\n  group: %s\n  homepage: %s\n", s.Country, s.Affiliation, s.Group, s.Homepage)
	}
	return []file{
		{"site.yaml", site.String()},
		{"topics.yaml", tops.String()},
		{"rounds.yaml", rnds.String()},
		{"sources.yaml", srcs.String()},
	}
}

// quoteAll quotes each string and joins them with commas, for a YAML flow
// sequence.
func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
