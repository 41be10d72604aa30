package content

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
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

// MaxPageSize is the largest page_size site.yaml may set.
const MaxPageSize = 1000

// NoRound is the round value that says an article belongs to no round.
const NoRound = "none"

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// LoadRegistries reads the site settings and the topic, round and source
// registries. It reports every problem in them at once as a diag.List.
func LoadRegistries(fsys fs.FS) (*Site, error) {
	var errs diag.List
	s := &Site{}

	if n := readYAML(fsys, SiteFile, &errs); n != nil {
		checkKeys(SiteFile, n, reflect.TypeFor[Config](), "", &errs)
		if err := n.Decode(&s.Config); err != nil {
			errs.Add(yamlDiag(SiteFile, n.Line, err))
		}
		if s.Config.Title == "" {
			errs.Addf(SiteFile, n.Line, "site: title is required")
		}
		if v := mappingValue(n, "page_size"); v != nil && v.Tag == "!!int" && (s.Config.PageSize < 1 || s.Config.PageSize > MaxPageSize) {
			errs.Addf(SiteFile, v.Line, "site: page_size %s: want a whole number from 1 to %d", v.Value, MaxPageSize)
		}
		if v := mappingValue(n, "domain"); v != nil && s.Config.Domain != "" && !isHostName(s.Config.Domain) {
			errs.Addf(SiteFile, v.Line, "site: domain %q: want a bare host name such as briefing.example.org: "+
				"letters, digits and hyphens in dot-separated labels, without scheme, port or path", s.Config.Domain)
		}
	}
	if s.Config.Language == "" {
		s.Config.Language = "en"
	}
	if s.Config.PageSize == 0 {
		s.Config.PageSize = DefaultPageSize
	}
	if s.Config.BaseURL == "" {
		s.Config.BaseURL = "/"
	}

	topicIDs := idSet{}
	for _, item := range readList(fsys, TopicsFile, &errs) {
		t := &Topic{}
		checkKeys(TopicsFile, item, reflect.TypeFor[Topic](), "", &errs)
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
		checkKeys(RoundsFile, item, reflect.TypeFor[Round](), "", &errs)
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
		checkKeys(SourcesFile, item, reflect.TypeFor[Source](), "", &errs)
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
		if src.Group != "" && !slices.Contains(SourceGroups(), src.Group) {
			line := item.Line
			if v := mappingValue(item, "group"); v != nil {
				line = v.Line
			}
			errs.Addf(SourcesFile, line, "source %s: group %q: want one of %s, or no group",
				src.Name, src.Group, strings.Join(SourceGroups(), ", "))
		}
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
	data, err := ReadFile(fsys, name, RegistryFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			errs.Addf(name, 0, "registry: file is missing")
		} else {
			errs.Addf(name, 0, "registry: %v", bare(err))
		}
		return nil
	}
	if line, col, b, bad := invalidUTF8(data); bad {
		errs.Addf(name, line, "registry: not valid UTF-8 (byte 0x%02x at column %d); save the file as UTF-8", b, col)
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

// checkKeys reports keys of a mapping that are not fields of the struct
// type t (by their yaml tags), and does the same inside every value that
// is a struct or a list of structs, such as a round's delegations: a
// misspelt key would otherwise be dropped without a word. within names
// the enclosing key in messages ("delegations"), or is "" at the top.
func checkKeys(file string, n *yaml.Node, t reflect.Type, within string, errs *diag.List) {
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return
	}
	var known []string
	fields := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		known = append(known, name)
		fields[name] = f.Type
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			where := ""
			if within != "" {
				where = within + ": "
			}
			errs.Addf(file, k.Line, "registry: %sunknown key %q (known: %s)", where, k.Value, strings.Join(known, ", "))
			continue
		}
		if ft.Kind() == reflect.Slice && v.Kind == yaml.SequenceNode {
			for _, item := range v.Content {
				checkKeys(file, item, ft.Elem(), k.Value, errs)
			}
		} else if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(reflect.TypeFor[yaml.Unmarshaler]()) {
			checkKeys(file, v, ft, k.Value, errs)
		}
	}
}

// mappingValue returns the value of key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// isHostName reports whether s is a host name GitHub Pages can serve as a
// custom domain, as a CNAME file holds it: two or more dot-separated labels
// of letters, digits and inner hyphens, each at most 63 long, 253 in all.
func isHostName(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
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
