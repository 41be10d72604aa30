package search

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"digest/generator/diag"
)

// SpellingsFile is where an editor lists further spelling variants, beside
// the other registries. It is optional.
const SpellingsFile = "content/spellings.yaml"

// Spellings folds the spellings of one name into one word of the index:
// Kiev into Kyiv, Zelenskyy into Zelensky. Variants are single words,
// compared after Fold. The zero value folds nothing.
type Spellings struct {
	canon map[string]string // folded variant -> folded canonical word
	key   uint64            // hash of canon, set once it is complete; see Key
}

// defaultSpellings are the variants every digest folds; SpellingsFile adds
// to them.
var defaultSpellings = [][]string{
	{"kyiv", "kiev"},
	{"zelensky", "zelenskyy", "zelenskiy", "zelenskyi", "zelenski", "selenskyj"},
	{"turkey", "turkiye"},
	{"kharkiv", "kharkov"},
	{"odesa", "odessa"},
	{"lviv", "lvov"},
	{"luhansk", "lugansk"},
	{"chernihiv", "chernigov"},
	{"mykolaiv", "nikolaev", "nikolayev"},
	{"zaporizhzhia", "zaporizhia", "zaporozhye", "zaporizhzhya"},
	{"medinsky", "medinskiy", "medinskii"},
	{"umerov", "umierov"},
	{"yermak", "iermak"},
	{"peskov", "peskow"},
}

// DefaultSpellings returns the variants every digest folds.
func DefaultSpellings() *Spellings {
	s := &Spellings{canon: map[string]string{}}
	for _, g := range defaultSpellings {
		for _, v := range g[1:] {
			s.canon[v] = g[0]
		}
	}
	s.key = s.hash()
	return s
}

// Canon returns the word a folded word is indexed under.
func (s *Spellings) Canon(w string) string {
	if c, ok := s.canon[w]; ok {
		return c
	}
	return w
}

// Variants returns every folded variant and its canonical word, sorted by
// variant: the table search.js folds query words with.
func (s *Spellings) Variants() [][2]string {
	out := make([][2]string, 0, len(s.canon))
	for v, c := range s.canon {
		out = append(out, [2]string{v, c})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// ParseSpellings returns the default spellings extended by a spellings
// file: a YAML mapping of a name's spelling to its other spellings,
//
//	kyiv: [kiev]
//	zelensky: [zelenskyy, zelenskiy]
//
// A variant may be one word only, may not be listed twice, and may not be
// itself a name others fold into. Errors name the file and line.
func ParseSpellings(file string, data []byte) (*Spellings, error) {
	s := DefaultSpellings()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, diag.Errorf(file, 0, "spellings: %v", err)
	}
	if len(doc.Content) == 0 {
		return s, nil // empty file
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, diag.Errorf(file, m.Line, "spellings: want a mapping of a spelling to its variants")
	}
	word := func(n *yaml.Node) (string, error) {
		if n.Kind != yaml.ScalarNode {
			return "", diag.Errorf(file, n.Line, "spellings: want a word")
		}
		var words []string
		Words(n.Value, func(w string, _, _ int) { words = append(words, w) })
		if len(words) != 1 {
			return "", diag.Errorf(file, n.Line, "spellings: %q: want one word", n.Value)
		}
		return words[0], nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		canon, err := word(k)
		if err != nil {
			return nil, err
		}
		if c, ok := s.canon[canon]; ok {
			return nil, diag.Errorf(file, k.Line, "spellings: %q is already a variant of %q", canon, c)
		}
		vals := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			vals = v.Content
		}
		for _, vn := range vals {
			variant, err := word(vn)
			if err != nil {
				return nil, err
			}
			if c, ok := s.canon[variant]; ok && c != canon {
				return nil, diag.Errorf(file, vn.Line, "spellings: %q is already a variant of %q", variant, c)
			}
			if variant == canon {
				continue
			}
			for _, c := range s.canon {
				if c == variant {
					return nil, diag.Errorf(file, vn.Line, "spellings: %q has variants of its own; list them under %q", variant, canon)
				}
			}
			s.canon[variant] = canon
		}
	}
	s.key = s.hash()
	return s, nil
}
