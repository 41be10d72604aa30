// Package content loads a digest's content: the registries that describe the
// site, its topics, negotiation rounds and sources, and the articles.
//
// # Layout
//
// A site is a directory (read through an fs.FS) holding:
//
//	content/site.yaml      site settings: title, description, base_url, language, domain,
//	                       page_size
//	content/topics.yaml    topics: id, name, description, keywords
//	content/rounds.yaml    rounds: id, name, date, end_date, venue, city, format,
//	                       delegations, mediators, outcomes, summary
//	content/sources.yaml   sources: name, aliases, country, affiliation, group, homepage,
//	                       domains
//	content/articles/*.md  one article per file: front matter, then markdown
//	content/inbox/*.txt    raw scraped pages the articles were imported from
//	layouts/*.html         optional template overrides, by file name
//
// # Articles
//
// Front matter is YAML between "---" lines (TOML between "+++" and JSON in
// braces are accepted too), after an optional UTF-8 byte order mark; a key
// may be given once. Fields:
//
//	title   required  headline
//	source  required  outlet name, matched to sources.yaml by name or alias
//	                  (case-insensitive); an unknown outlet is allowed and
//	                  shown as unclassified
//	date    required  YYYY-MM-DD or RFC 3339
//	topic   required  primary topic id from topics.yaml
//	topics  optional  further topic ids
//	round   optional  round id from rounds.yaml, or "none"; when absent the
//	                  round is derived from the date (see AssignRound)
//	url     optional  the original article
//	raw     optional  the raw page it was imported from
//	review  optional  list of fields an editor should check
//	draft   optional  true keeps the article out of the build
//
// Any other key is kept in Article.Params and reaches the templates.
//
// The article's slug is its file name without ".md"; it must be lowercase
// letters, digits and hyphens.
//
// # Rounds
//
// An article without a round belongs to the round it follows by at most 7
// days (the aftermath); otherwise to the next round at most 30 days ahead
// (the lead-up); otherwise to no round.
//
// # Reading
//
// Only regular files inside the site are read, each through the size
// limit of its kind; a link out of the site, a named pipe, a device or a
// socket is an error naming the path (see ReadFile). site.yaml's page_size
// is from 1 to MaxPageSize and its domain a bare host name. Lists and
// block quotes in a body may nest MaxNesting levels deep at most.
//
// # Errors
//
// Load reports every problem it finds, each as a diag.Diagnostic naming the
// file and line, sorted; it never stops at the first broken file.
package content

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Site is the whole loaded content of a digest.
type Site struct {
	Config   Config
	Topics   []*Topic  // in registry order
	Rounds   []*Round  // sorted by date
	Sources  []*Source // in registry order
	Articles []*Article

	// RegistriesKey changes whenever a registry file does (set by a
	// Loader), for caches of anything the registries shape.
	RegistriesKey uint64
	// Parsed counts the article files this load read and parsed; the
	// others came from the Loader's cache.
	Parsed int
}

// Config holds the site settings from content/site.yaml.
type Config struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	Language    string `yaml:"language"`
	// Domain is a custom domain for GitHub Pages; when set the build writes
	// a CNAME file.
	Domain string `yaml:"domain"`
	// PageSize is the number of entries on one page of a long list.
	PageSize int `yaml:"page_size"`
}

// Topic is a recurring question in the coverage, such as the ceasefire.
type Topic struct {
	ID          string   `yaml:"id"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Keywords    []string `yaml:"keywords"`
}

// Delegation names who led one side at a round.
type Delegation struct {
	Side string `yaml:"side"`
	Head string `yaml:"head"`
	Note string `yaml:"note"`
}

// Round is one meeting of the negotiations.
type Round struct {
	ID          string       `yaml:"id"`
	Name        string       `yaml:"name"`
	Date        Date         `yaml:"date"`
	EndDate     Date         `yaml:"end_date"`
	Venue       string       `yaml:"venue"`
	City        string       `yaml:"city"`
	Format      string       `yaml:"format"`
	Delegations []Delegation `yaml:"delegations"`
	Mediators   []string     `yaml:"mediators"`
	Outcomes    []string     `yaml:"outcomes"`
	Summary     string       `yaml:"summary"`
}

// Last is the last day of the round: its end date, or its date.
func (r *Round) Last() time.Time {
	if !r.EndDate.IsZero() {
		return r.EndDate.Time
	}
	return r.Date.Time
}

// Source is a news outlet.
type Source struct {
	Name        string   `yaml:"name"`
	ID          string   `yaml:"id"` // slug; derived from the name when empty
	Aliases     []string `yaml:"aliases"`
	Country     string   `yaml:"country"`
	Affiliation string   `yaml:"affiliation"`
	Group       string   `yaml:"group"` // one of SourceGroups, or "" for none of them
	Homepage    string   `yaml:"homepage"`
	Domains     []string `yaml:"domains"` // hosts it publishes on; a subdomain counts as its domain
}

// The groups of outlets the coverage of a round or topic is counted in:
// who stands behind an outlet, in four parts readers compare. A source's
// group is one of these, or "" when it belongs to none (a Russian private
// agency, say).
const (
	GroupRussianState       = "russian-state"       // Russian state and state-run media
	GroupUkrainian          = "ukrainian"           // Ukrainian outlets, state or independent
	GroupRussianIndependent = "russian-independent" // independent Russian outlets, most in exile
	GroupInternational      = "international"       // outlets from outside Russia and Ukraine
)

// SourceGroups returns the groups a source may name, in the order pages
// show them.
func SourceGroups() []string {
	return []string{GroupRussianState, GroupUkrainian, GroupRussianIndependent, GroupInternational}
}

// Article is one article of the digest.
type Article struct {
	Path string // slash-separated, relative to the site root
	Slug string

	Title      string
	SourceName string  // as written in the front matter
	Source     *Source // nil when the outlet is not in the registry
	Date       time.Time
	Topic      *Topic
	Topics     []*Topic // further topics, without the primary one
	RoundID    string   // as written: "", "none" or an id
	Round      *Round   // assigned round; nil for none
	URL        string
	Raw        string
	Review     []string
	Draft      bool
	Params     map[string]any // front matter keys this package does not know

	// The body is not kept in memory: a digest of 100,000 articles would
	// hold gigabytes. ReadBody reads it again when a page needs it.
	BodyOffset int    // byte offset of the markdown after the front matter
	BodyLine   int    // line of the first body line in the file
	Hash       uint64 // hash of the whole file, for caches
	Size       int    // size of the whole file

	// file is the path ReadBody opens: Path with its links followed, as
	// the Loader checked it; "" for an Article a Loader did not make.
	file string
}

// AllTopics returns the primary topic followed by the further ones.
func (a *Article) AllTopics() []*Topic {
	return append([]*Topic{a.Topic}, a.Topics...)
}

// ReadBody reads the article's markdown body from fsys. It fails when the
// file's size changed since it was loaded, so a page does not mix two
// versions; an edit of the same size made during a build is picked up by
// the next one (a watcher sees it).
func (a *Article) ReadBody(fsys fs.FS) ([]byte, error) {
	_, body, err := a.ReadBodyTo(fsys, nil)
	return body, err
}

// ReadBodyTo is ReadBody reading the file into buf's storage, grown when
// too small, for callers that reuse one buffer. It returns the whole file
// (to pass as buf next time) and the body within it. The file is read
// with the checks of ReadFile: from the path the Loader found it at, or,
// for an Article a Loader did not make, after resolving Path.
func (a *Article) ReadBodyTo(fsys fs.FS, buf []byte) (file, body []byte, err error) {
	name := a.file
	if name == "" {
		if name, _, err = Resolve(fsys, a.Path); err != nil {
			return nil, nil, err
		}
	}
	file, _, err = readRegular(fsys, name, ArticleFile, int64(a.Size), buf)
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return nil, nil, err
	}
	if err != nil || len(file) != a.Size || a.BodyOffset > len(file) {
		return nil, nil, fmt.Errorf("%s: changed while the site was being built; build again", a.Path)
	}
	return file, file[a.BodyOffset:], nil
}

// Date is a calendar day read from YAML as YYYY-MM-DD.
type Date struct{ time.Time }
