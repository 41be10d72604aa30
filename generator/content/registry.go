package content

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"time"

	"digest/generator/diag"

	"gopkg.in/yaml.v3"
)

// Registry file paths, relative to the site root.
const (
	SiteFile    = "content/site.yaml"
	TopicsFile  = "content/topics.yaml"
	RoundsFile  = "content/rounds.yaml"
	SourcesFile = "content/sources.yaml"
)

// DefaultPageSize is the number of entries on one page of a long list when
// site.yaml does not set page_size.
const DefaultPageSize = 20

// NoRound is the round value that says an article belongs to no round.
const NoRound = "none"

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadRegistries reads the site settings and the topic, round and source
// registries. It reports every problem in them at once as a diag.List.
func LoadRegistries(fsys fs.FS) (*Site, error) {
	var errs diag.List
	s := &Site{}

	if n := readYAML(fsys, SiteFile, &errs); n != nil {
		checkKeys(SiteFile, n, &errs, "title", "description", "base_url", "language", "domain", "page_size")
		if err := n.Decode(&s.Config); err != nil {
			errs.Add(yamlDiag(SiteFile, n.Line, err))
		}
		if s.Config.Title == "" {
			errs.Addf(SiteFile, n.Line, "site: title is required")
		}
	}
	if s.Config.Language == "" {
		s.Config.Language = "en"
	}
	if s.Config.PageSize <= 0 {
		s.Config.PageSize = DefaultPageSize
	}
	if s.Config.BaseURL == "" {
		s.Config.BaseURL = "/"
	}

	topicIDs := idSet{}
	for _, item := range readList(fsys, TopicsFile, &errs) {
		t := &Topic{}
		checkKeys(TopicsFile, item, &errs, "id", "name", "description", "keywords")
		if err := item.Decode(t); err != nil {
			errs.Add(yamlDiag(TopicsFile, item.Line, err))
			continue
		}
		if checkID(TopicsFile, item, "topic", t.ID, &errs) && t.Name == "" {
			errs.Addf(TopicsFile, item.Line, "topic %s: name is required", t.ID)
		}
		topicIDs.add(TopicsFile, "topic", t.ID, item.Line, &errs)
		s.Topics = append(s.Topics, t)
	}

	roundIDs := idSet{}
	for _, item := range readList(fsys, RoundsFile, &errs) {
		r := &Round{}
		checkKeys(RoundsFile, item, &errs, "id", "name", "date", "end_date", "venue", "city", "format",
			"delegations", "mediators", "outcomes", "summary")
		if err := item.Decode(r); err != nil {
			errs.Add(yamlDiag(RoundsFile, item.Line, err))
			continue
		}
		ok := checkID(RoundsFile, item, "round", r.ID, &errs)
		if ok && r.ID == NoRound {
			errs.Addf(RoundsFile, item.Line, "round id %q is reserved for articles outside any round", NoRound)
		}
		if ok && r.Name == "" {
			errs.Addf(RoundsFile, item.Line, "round %s: name is required", r.ID)
		}
		if ok && r.Date.IsZero() {
			errs.Addf(RoundsFile, item.Line, "round %s: date is required", r.ID)
		}
		if !r.EndDate.IsZero() && r.EndDate.Before(r.Date.Time) {
			errs.Addf(RoundsFile, item.Line, "round %s: end_date %s is before date %s", r.ID,
				r.EndDate.Format(time.DateOnly), r.Date.Format(time.DateOnly))
		}
		roundIDs.add(RoundsFile, "round", r.ID, item.Line, &errs)
		s.Rounds = append(s.Rounds, r)
	}
	sort.SliceStable(s.Rounds, func(i, j int) bool { return s.Rounds[i].Date.Before(s.Rounds[j].Date.Time) })

	sourceIDs := idSet{}
	for _, item := range readList(fsys, SourcesFile, &errs) {
		src := &Source{}
		checkKeys(SourcesFile, item, &errs, "name", "id", "aliases", "country", "affiliation", "homepage", "domains")
		if err := item.Decode(src); err != nil {
			errs.Add(yamlDiag(SourcesFile, item.Line, err))
			continue
		}
		if src.Name == "" {
			errs.Addf(SourcesFile, item.Line, "source: name is required")
			continue
		}
		if src.ID == "" {
			src.ID = Slugify(src.Name)
		}
		checkID(SourcesFile, item, "source", src.ID, &errs)
		sourceIDs.add(SourcesFile, "source", src.ID, item.Line, &errs)
		s.Sources = append(s.Sources, src)
	}

	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// FindSource returns the registered source whose name or one of whose
// aliases equals name, ignoring case and surrounding space; nil if none.
func (s *Site) FindSource(name string) *Source {
	name = strings.TrimSpace(name)
	for _, src := range s.Sources {
		if strings.EqualFold(src.Name, name) || strings.EqualFold(src.ID, name) {
			return src
		}
		for _, a := range src.Aliases {
			if strings.EqualFold(a, name) {
				return src
			}
		}
	}
	return nil
}

// FindTopic returns the topic with the given id, or nil.
func (s *Site) FindTopic(id string) *Topic {
	for _, t := range s.Topics {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// FindRound returns the round with the given id, or nil.
func (s *Site) FindRound(id string) *Round {
	for _, r := range s.Rounds {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// UnmarshalYAML reads a date written as YYYY-MM-DD.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: date: want YYYY-MM-DD", n.Line)
	}
	if n.Value == "" || n.Tag == "!!null" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: date %q: want YYYY-MM-DD", n.Line, n.Value)
	}
	d.Time = t
	return nil
}

// readYAML parses a YAML file and returns its top node, or nil after adding
// a diagnostic to errs.
func readYAML(fsys fs.FS, name string, errs *diag.List) *yaml.Node {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			errs.Addf(name, 0, "registry: file is missing")
		} else {
			errs.Addf(name, 0, "registry: %v", err)
		}
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		errs.Add(yamlDiag(name, 0, err))
		return nil
	}
	if len(doc.Content) == 0 {
		errs.Addf(name, 0, "registry: file is empty")
		return nil
	}
	return doc.Content[0]
}

// readList parses a YAML file whose top level is a list of mappings.
func readList(fsys fs.FS, name string, errs *diag.List) []*yaml.Node {
	n := readYAML(fsys, name, errs)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		errs.Addf(name, n.Line, "registry: want a list of entries, one per \"- \" item")
		return nil
	}
	var items []*yaml.Node
	for _, item := range n.Content {
		if item.Kind != yaml.MappingNode {
			errs.Addf(name, item.Line, "registry: entry is not a mapping of keys to values")
			continue
		}
		items = append(items, item)
	}
	return items
}

// checkKeys reports keys of a mapping that are not in allowed: a misspelt
// key would otherwise be dropped without a word.
func checkKeys(file string, n *yaml.Node, errs *diag.List, allowed ...string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		found := false
		for _, a := range allowed {
			if k.Value == a {
				found = true
				break
			}
		}
		if !found {
			errs.Addf(file, k.Line, "registry: unknown key %q (known: %s)", k.Value, strings.Join(allowed, ", "))
		}
	}
}

func checkID(file string, item *yaml.Node, kind, id string, errs *diag.List) bool {
	switch {
	case id == "":
		errs.Addf(file, item.Line, "%s: id is required", kind)
		return false
	case !idPattern.MatchString(id):
		errs.Addf(file, item.Line, "%s id %q: want lowercase letters, digits and hyphens", kind, id)
		return false
	}
	return true
}

// idSet remembers the line where each id was first used.
type idSet map[string]int

// add reports an id that was already used, at the line of its second use.
func (s idSet) add(file, kind, id string, line int, errs *diag.List) {
	if id == "" {
		return
	}
	if first, ok := s[id]; ok {
		errs.Addf(file, line, "%s id %q is already used at line %d", kind, id, first)
		return
	}
	s[id] = line
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): `)

// yamlDiag turns a YAML error into a diagnostic, moving the "line N" the
// YAML library puts in its message into the diagnostic's line.
func yamlDiag(file string, line int, err error) diag.Diagnostic {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscan(m[1], &line)
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return diag.Errorf(file, line, "yaml: %s", msg)
}

// Slugify makes a URL path segment from a name: lowercase ASCII letters and
// digits joined by single hyphens. Letters outside ASCII are dropped, so a
// name made only of them yields "x".
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}
