package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"digest/generator/diag"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// ArticlesDir is where articles live, relative to the site root.
const ArticlesDir = "content/articles"

// field is one front matter value with the line it was written on.
type field struct {
	value any // string, []string, bool, or for unknown keys any decoded value
	line  int // line in the file; the opening delimiter's line when unknown
}

// parsed is an article file split into front matter fields and body, before
// its ids are resolved against the registries. It depends only on the file's
// bytes, so it can be cached by them.
type parsed struct {
	path       string
	fields     map[string]field
	order      []string // keys in file order, for stable Params
	bodyOffset int
	bodyLine   int
	hash       uint64
	size       int
	errs       diag.List // problems found while splitting and decoding
}

// parseFile splits an article file into front matter and body.
func parseFile(path string, data []byte) *parsed {
	p := &parsed{path: path, fields: map[string]field{}, hash: hashBytes(data), size: len(data)}

	// Front matter opens on the first non-blank line.
	start := 1
	for rest := data; ; start++ {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(line)) != 0 || !found {
			break
		}
		rest = after
	}

	var yamlDoc yaml.Node
	var other map[string]any
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", func(b []byte, _ any) error { return yaml.Unmarshal(b, &yamlDoc) }),
		frontmatter.NewFormat("---yaml", "---", func(b []byte, _ any) error { return yaml.Unmarshal(b, &yamlDoc) }),
		frontmatter.NewFormat("+++", "+++", func(b []byte, _ any) error { return toml.Unmarshal(b, &other) }),
		frontmatter.NewFormat(";;;", ";;;", func(b []byte, _ any) error { return json.Unmarshal(b, &other) }),
		frontmatter.NewFormat("{", "}", func(b []byte, _ any) error { return json.Unmarshal(b, &other) }),
	}
	if !utf8.Valid(data) {
		p.errs.Addf(path, 0, "read: file is not valid UTF-8")
		return p
	}
	end := FrontMatterEnd(data, formats)
	body, err := frontmatter.MustParse(bytes.NewReader(data[:end]), nil, formats...)
	if err != nil {
		if err == frontmatter.ErrNotFound {
			p.errs.Addf(path, 1, "front matter: missing; start the file with a --- line, then title, source, date and topic, then ---")
			return p
		}
		d := yamlDiag(path, 0, err)
		if d.Line > 0 {
			d.Line += start // YAML counts from the line after the delimiter
		} else {
			d.Line = start
		}
		d.Msg = "front matter: " + strings.TrimPrefix(d.Msg, "yaml: ")
		p.errs.Add(d)
		return p
	}
	p.bodyOffset = end - len(body)
	p.bodyLine = bytes.Count(data[:p.bodyOffset], []byte("\n")) + 1

	switch {
	case yamlDoc.Kind != 0:
		top := &yamlDoc
		if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
			top = top.Content[0]
		}
		if top.Kind != yaml.MappingNode {
			p.errs.Addf(path, start+top.Line, "front matter: want key: value lines")
			return p
		}
		for i := 0; i+1 < len(top.Content); i += 2 {
			k, v := top.Content[i], top.Content[i+1]
			p.order = append(p.order, k.Value)
			p.fields[k.Value] = field{value: yamlValue(v), line: start + k.Line}
		}
	default:
		for k, v := range other {
			p.order = append(p.order, k)
			p.fields[k] = field{value: plainValue(v), line: start}
		}
		sort.Strings(p.order)
	}
	return p
}

// FrontMatterEnd returns where the front matter of data ends: just after
// the first line, below the opening delimiter line, that reads (spaces
// trimmed) as the closing delimiter of the opening's format. It returns
// len(data) when there is no such line. adrg/frontmatter stops at the same
// line, so handing it data[:end] gives the same result without its copying
// the body, which is most of the file.
func FrontMatterEnd(data []byte, formats []*frontmatter.Format) int {
	closing := ""
	for i := 0; i < len(data); {
		line := data[i:]
		if j := bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j+1]
		}
		i += len(line)
		t := string(bytes.TrimSpace(line))
		switch {
		case closing != "":
			if t == closing {
				return i
			}
		case t == "":
		default:
			for _, f := range formats {
				if t == f.Start {
					closing = f.End
					break
				}
			}
			if closing == "" {
				return len(data)
			}
		}
	}
	return len(data)
}

// yamlValue converts a YAML node to a string, a []string or, for anything
// else, its decoded value.
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return ""
		}
		if n.Tag == "!!bool" {
			var b bool
			if n.Decode(&b) == nil {
				return b
			}
		}
		return n.Value
	case yaml.SequenceNode:
		list := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				var v any
				n.Decode(&v)
				return v
			}
			list = append(list, c.Value)
		}
		return list
	}
	var v any
	n.Decode(&v)
	return v
}

// plainValue converts a TOML or JSON value like yamlValue does.
func plainValue(v any) any {
	switch v := v.(type) {
	case nil:
		return ""
	case string, bool:
		return v
	case time.Time:
		return v.Format(time.RFC3339)
	case []any:
		list := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return v
			}
			list = append(list, s)
		}
		return list
	case float64, int64, int:
		return fmt.Sprint(v)
	}
	return v
}

var knownKeys = map[string]bool{
	"title": true, "source": true, "date": true, "topic": true, "topics": true,
	"round": true, "url": true, "raw": true, "review": true, "draft": true, "slug": true,
}

// resolve checks the parsed fields and resolves ids against the registries.
func (p *parsed) resolve(s *Site) (*Article, diag.List) {
	errs := append(diag.List(nil), p.errs...)
	if len(p.errs) > 0 {
		return nil, errs
	}
	a := &Article{Path: p.path, BodyOffset: p.bodyOffset, BodyLine: p.bodyLine, Hash: p.hash, Size: p.size}

	str := func(key string, required bool) (string, int) {
		f, ok := p.fields[key]
		if !ok {
			if required {
				errs.Addf(p.path, p.firstLine(), "front matter: %s is required", key)
			}
			return "", 0
		}
		s, ok := f.value.(string)
		if !ok {
			errs.Addf(p.path, f.line, "front matter: %s: want a single text value", key)
			return "", f.line
		}
		s = strings.TrimSpace(s)
		if s == "" && required {
			errs.Addf(p.path, f.line, "front matter: %s is empty", key)
		}
		return s, f.line
	}
	list := func(key string) ([]string, int) {
		f, ok := p.fields[key]
		if !ok {
			return nil, 0
		}
		switch v := f.value.(type) {
		case []string:
			return v, f.line
		case string:
			if v == "" {
				return nil, f.line
			}
			return []string{v}, f.line
		}
		errs.Addf(p.path, f.line, "front matter: %s: want a list of text values", key)
		return nil, f.line
	}

	a.Title, _ = str("title", true)
	a.SourceName, _ = str("source", true)
	if a.SourceName != "" {
		a.Source = s.FindSource(a.SourceName)
	}

	date, line := str("date", true)
	if date != "" {
		t, err := ParseDate(date)
		if err != nil {
			errs.Addf(p.path, line, "front matter: date %q: want YYYY-MM-DD or RFC 3339", date)
		}
		a.Date = t
	}

	topic, line := str("topic", true)
	if topic != "" {
		if a.Topic = s.FindTopic(topic); a.Topic == nil {
			errs.Addf(p.path, line, "front matter: unknown topic %q (known: %s)", topic, topicIDs(s))
		}
	}
	more, line := list("topics")
	for _, id := range more {
		t := s.FindTopic(id)
		switch {
		case t == nil:
			errs.Addf(p.path, line, "front matter: topics: unknown topic %q (known: %s)", id, topicIDs(s))
		case t != a.Topic && !containsTopic(a.Topics, t):
			a.Topics = append(a.Topics, t)
		}
	}

	a.RoundID, line = str("round", false)
	switch a.RoundID {
	case "":
		if !a.Date.IsZero() {
			a.Round = AssignRound(s.Rounds, a.Date)
		}
	case NoRound:
	default:
		if a.Round = s.FindRound(a.RoundID); a.Round == nil {
			errs.Addf(p.path, line, "front matter: unknown round %q (known: %s, or none)", a.RoundID, roundIDs(s))
		}
	}

	a.URL, _ = str("url", false)
	a.Raw, _ = str("raw", false)
	a.Review, _ = list("review")
	if f, ok := p.fields["draft"]; ok {
		switch v := f.value.(type) {
		case bool:
			a.Draft = v
		case string:
			if v != "" {
				errs.Addf(p.path, f.line, "front matter: draft %q: want true or false", v)
			}
		}
	}

	a.Slug = slugFromPath(p.path)
	if slug, line := str("slug", false); slug != "" {
		a.Slug = slug
		if !idPattern.MatchString(slug) {
			errs.Addf(p.path, line, "front matter: slug %q: want lowercase letters, digits and hyphens", slug)
		}
	} else if !idPattern.MatchString(a.Slug) {
		errs.Addf(p.path, 0, "article: file name %q: want lowercase letters, digits and hyphens, ending in .md", a.Slug+".md")
	}

	for _, k := range p.order {
		if knownKeys[k] {
			continue
		}
		if a.Params == nil {
			a.Params = map[string]any{}
		}
		a.Params[k] = p.fields[k].value
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return a, nil
}

// firstLine is the line where a missing key would go: the line after the
// opening delimiter.
func (p *parsed) firstLine() int {
	line := 0
	for _, f := range p.fields {
		if line == 0 || f.line < line {
			line = f.line
		}
	}
	if line == 0 {
		return 1
	}
	return line
}

// castagnoli is the CRC-32C table; with the IEEE CRC-32 beside it, both
// computed by the processor's CRC instructions, it makes a 64-bit hash
// several times faster than FNV or CRC-64 on article-sized input.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// hashBytes is the hash articles are cached and fingerprinted by: it tells
// two versions of a file apart, it is not meant to resist an adversary.
func hashBytes(data []byte) uint64 {
	return uint64(crc32.Checksum(data, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(data))
}

// HashBytes is the hash articles are cached by, for other stages' caches.
func HashBytes(data []byte) uint64 { return hashBytes(data) }

// HashReader is HashBytes of all r holds, read as a stream.
func HashReader(r io.Reader) (uint64, error) {
	var h Hash
	if _, err := io.Copy(&h, r); err != nil {
		return 0, err
	}
	return h.Sum64(), nil
}

// Hash computes HashBytes of the bytes written to it, as a stream. The
// zero Hash is ready to use.
type Hash struct{ c, i uint32 }

// Write adds p to the hash; it never fails.
func (h *Hash) Write(p []byte) (int, error) {
	h.c = crc32.Update(h.c, castagnoli, p)
	h.i = crc32.Update(h.i, crc32.IEEETable, p)
	return len(p), nil
}

// Sum64 is HashBytes of all written so far.
func (h *Hash) Sum64() uint64 { return uint64(h.c)<<32 | uint64(h.i) }

// ParseDate reads a front matter date: YYYY-MM-DD or RFC 3339. A date
// without a time is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func slugFromPath(path string) string {
	name := path[strings.LastIndex(path, "/")+1:]
	return strings.TrimSuffix(name, ".md")
}

func containsTopic(list []*Topic, t *Topic) bool {
	for _, x := range list {
		if x == t {
			return true
		}
	}
	return false
}

func topicIDs(s *Site) string {
	ids := make([]string, len(s.Topics))
	for i, t := range s.Topics {
		ids[i] = t.ID
	}
	return strings.Join(ids, ", ")
}

func roundIDs(s *Site) string {
	ids := make([]string, len(s.Rounds))
	for i, r := range s.Rounds {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}
