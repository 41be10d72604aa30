package corpus

// The word lists articles are drawn from. Plain news English with a few
// non-ASCII names, so the corpus exercises UTF-8 like the real one.

var common = []string{
	"the", "the", "the", "a", "of", "of", "to", "to", "in", "in", "and", "and",
	"on", "for", "with", "at", "by", "from", "that", "which", "was", "were",
	"is", "are", "has", "had", "will", "would", "could", "said", "says",
	"told", "reporters", "officials", "delegation", "talks", "round",
	"negotiations", "Istanbul", "Moscow", "Kyiv", "Ankara", "Washington",
	"Russian", "Ukrainian", "Turkish", "European", "American", "side", "sides",
	"agreement", "proposal", "statement", "meeting", "hours", "days", "week",
	"Friday", "Monday", "Wednesday", "palace", "ministry", "foreign", "defence",
	"president", "minister", "spokesman", "adviser", "source", "sources",
	"according", "after", "before", "during", "while", "since", "about",
	"progress", "position", "positions", "demands", "response", "question",
	"document", "list", "plan", "steps", "next", "first", "second", "third",
	"new", "further", "previous", "direct", "indirect", "possible", "major",
	"humanitarian", "political", "military", "technical", "working", "level",
	"held", "agreed", "rejected", "proposed", "confirmed", "denied", "expected",
	"insisted", "warned", "stressed", "noted", "added", "called", "signalled",
	"Erdoğan", "Fidan", "Peskov", "Zakharova", "Yermak", "Sybiha", "Dolmabahçe",
	"not", "no", "more", "than", "also", "only", "still", "again", "yet",
	"Thursday", "morning", "evening", "hall", "table", "team", "envoys",
}

var verbs = []string{
	"stalls as", "resumes after", "dominates", "tops agenda at", "divides sides at",
	"set for", "overshadows", "returns to", "frames", "complicates",
}

var titleEnds = []string{
	"Istanbul talks", "the second round", "Çırağan Palace meeting", "Dolmabahçe talks",
	"new round of negotiations", "talks in Turkey", "Kremlin briefing", "Kyiv's demands",
	"Moscow's memorandum", "the next meeting",
}

var headings = []string{
	"what was agreed", "what the sides said", "background", "the delegations",
	"reactions in Moscow", "reactions in Kyiv", "what comes next", "the Turkish role",
	"on the front line", "the numbers", "analysis", "timeline",
}

var speakers = []string{
	"Vladimir Medinsky", "Rustem Umerov", "Hakan Fidan", "Dmitry Peskov",
	"Andriy Sybiha", "Maria Zakharova", "a Ukrainian official", "a Russian diplomat",
}

var authors = []string{
	"Staff correspondent", "Istanbul bureau", "Kyiv desk", "Moscow desk", "Wire reporter",
}

var linkHosts = []string{"news", "archive", "docs", "statements"}
