// Package articlefile reads an article file as it is written on disk: its
// YAML front matter key by key, in file order, each with its line, its
// value, its trailing comment and the lines it spans, and the body after
// it, byte for byte.
//
// Package content is the reader the build uses: it resolves an article's
// fields against the registries and keeps no comments. This package is for
// the tools that work on the file itself: the importer, which must rewrite
// an article keeping what an editor wrote, and the review queue, which
// shows the reasons the importer wrote as comments beside its guesses.
//
// Only YAML front matter between "---" lines is read; an article with
// TOML or JSON front matter is reported as such, since its comments and
// layout cannot be kept.
package articlefile

import (
	"bytes"
	"fmt"
	"strings"

	"digest/generator/diag"

	"gopkg.in/yaml.v3"
)

// File is an article file split into front matter fields and body.
type File struct {
	Fields []*Field // in file order
	// BodyOffset is the byte offset just after the closing "---" line;
	// the body is everything from there on.
	BodyOffset int
	// CloseLine is the line of the closing "---".
	CloseLine int
}

// Field is one top-level key of the front matter.
type Field struct {
	Key  string
	Line int // line of the key in the file
	// End is the line after the field's last: the next key's line, or the
	// closing delimiter's. Lines Line..End-1 hold the field as written.
	End     int
	Value   *yaml.Node
	Comment string // the comment after the value on its line, without "#"
}

// Parse splits data, the bytes of the article file at path (slash-separated,
// for messages), into its fields and body. Its error is a
// diag.Diagnostic naming path and, where there is one, the line.
func Parse(path string, data []byte) (*File, error) {
	open, start := 0, 0 // line and offset of the opening delimiter
scan:
	for i, n := 0, 1; i < len(data); n++ {
		line, _, _ := bytes.Cut(data[i:], []byte("\n"))
		if t := strings.TrimSpace(string(line)); t != "" {
			switch t {
			case "---":
				open, start = n, i+len(line)+1
			case "+++":
				return nil, diag.Errorf(path, n, "front matter: TOML; only YAML front matter between --- lines can be rewritten keeping what was written")
			case "{", ";;;":
				return nil, diag.Errorf(path, n, "front matter: JSON; only YAML front matter between --- lines can be rewritten keeping what was written")
			default:
				return nil, diag.Errorf(path, n, "front matter: missing; start the file with a --- line")
			}
			break scan
		}
		i += len(line) + 1
	}
	if open == 0 {
		return nil, diag.Errorf(path, 1, "front matter: missing; start the file with a --- line")
	}
	f := &File{}
	end := -1
	for i, n := min(start, len(data)), open+1; i < len(data); n++ {
		line, _, _ := bytes.Cut(data[i:], []byte("\n"))
		if strings.TrimSpace(string(line)) == "---" {
			end, f.CloseLine = i, n
			f.BodyOffset = min(i+len(line)+1, len(data))
			break
		}
		i += len(line) + 1
	}
	if end < 0 {
		return nil, diag.Errorf(path, open, "front matter: no closing --- line")
	}

	var doc yaml.Node
	if err := yaml.Unmarshal(data[start:end], &doc); err != nil {
		return nil, yamlError(path, open, err)
	}
	if doc.Kind == 0 {
		return f, nil // empty front matter
	}
	top := &doc
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = top.Content[0]
	}
	if top.Kind != yaml.MappingNode {
		return nil, diag.Errorf(path, open+top.Line, "front matter: want key: value lines")
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		line := open + k.Line
		if first, dup := seen[k.Value]; dup {
			return nil, diag.Errorf(path, line, "front matter: key %q is already used at line %d", k.Value, first)
		}
		seen[k.Value] = line
		comment := v.LineComment
		if comment == "" {
			comment = k.LineComment
		}
		f.Fields = append(f.Fields, &Field{
			Key: k.Value, Line: line, Value: v,
			Comment: strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(comment), "#")),
		})
	}
	for i, fd := range f.Fields {
		fd.End = f.CloseLine
		if i+1 < len(f.Fields) {
			fd.End = f.Fields[i+1].Line
		}
	}
	return f, nil
}

// yamlError turns a YAML error into a diagnostic at the file's line: the
// YAML library counts lines from the one after the opening delimiter.
func yamlError(path string, open int, err error) diag.Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := open
	var n int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &n); scanErr == nil {
		line = open + n
		msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
	}
	return diag.Errorf(path, line, "front matter: %s", msg)
}

// Field returns the field of the given key, or nil.
func (f *File) Field(key string) *Field {
	for _, fd := range f.Fields {
		if fd.Key == key {
			return fd
		}
	}
	return nil
}

// Text is the field's value as text: a scalar as written (without its
// quotes), a list of scalars joined by ", ", "" for null. Anything else
// is given in YAML flow style.
func (fd *Field) Text() string {
	return nodeText(fd.Value)
}

func nodeText(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return ""
		}
		return n.Value
	case yaml.SequenceNode:
		parts := make([]string, len(n.Content))
		for i, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return flow(n)
			}
			parts[i] = c.Value
		}
		return strings.Join(parts, ", ")
	case yaml.AliasNode:
		if n.Alias != nil {
			return nodeText(n.Alias)
		}
	}
	return flow(n)
}

func flow(n *yaml.Node) string {
	c := *n
	c.Style = yaml.FlowStyle
	out, err := yaml.Marshal(&c)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// List is the field's value as a list of texts: the items of a list, or a
// single scalar as one item; nil for null or an empty list.
func (fd *Field) List() []string {
	switch fd.Value.Kind {
	case yaml.SequenceNode:
		out := make([]string, 0, len(fd.Value.Content))
		for _, c := range fd.Value.Content {
			out = append(out, nodeText(c))
		}
		return out
	case yaml.ScalarNode:
		if fd.Value.Tag == "!!null" || fd.Value.Value == "" {
			return nil
		}
		return []string{fd.Value.Value}
	}
	return []string{nodeText(fd.Value)}
}

// Lines returns the field as written in data: its lines from Line up to,
// not including, End, with blank lines and whole-line comments at the end
// left out (they lead the next field).
func (fd *Field) Lines(data []byte) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if fd.Line < 1 || fd.End-1 > len(lines) || fd.End <= fd.Line {
		return nil
	}
	block := lines[fd.Line-1 : fd.End-1]
	for len(block) > 1 {
		t := bytes.TrimSpace(block[len(block)-1])
		if len(t) != 0 && t[0] != '#' {
			break
		}
		block = block[:len(block)-1]
	}
	out := bytes.Join(block, nil)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out
}
