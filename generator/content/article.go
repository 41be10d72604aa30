package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"regexp"
	"sort"
	"strconv"
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
	file       string // the path read, links followed (see Resolve)
	fields     map[string]field
	order      []string // keys in file order, for stable Params
	bodyOffset int
	bodyLine   int
	hash       uint64
	size       int
	errs       diag.List // problems found while splitting and decoding
}

// bom is the byte order mark some editors write at the start of a UTF-8
// file. It is dropped: the front matter's "---" follows it.
const bom = "\uFEFF"

// parseFile splits an article file into front matter and body.
func parseFile(path string, data []byte) *parsed {
	p := &parsed{path: path, fields: map[string]field{}, hash: hashBytes(data), size: len(data)}
	skip := 0
	if bytes.HasPrefix(data, []byte(bom)) {
		skip = len(bom)
	}
	text := data[skip:]
	if line, col, b, bad := invalidUTF8(text); bad {
		p.errs.Addf(path, line, "read: not valid UTF-8 (byte 0x%02x at column %d); save the file as UTF-8", b, col)
		return p
	}

	var yamlDoc yaml.Node
	var other map[string]any
	var keys []keyLine // the top-level keys of TOML or JSON, in order
	formats := []*frontmatter.Format{
		frontmatter.NewFormat("---", "---", func(b []byte, _ any) error { return yaml.Unmarshal(b, &yamlDoc) }),
		frontmatter.NewFormat("---yaml", "---", func(b []byte, _ any) error { return yaml.Unmarshal(b, &yamlDoc) }),
		frontmatter.NewFormat("+++", "+++", func(b []byte, _ any) error { keys = tomlKeys(b); return toml.Unmarshal(b, &other) }),
		frontmatter.NewFormat(";;;", ";;;", func(b []byte, _ any) error { return unmarshalJSON(b, &other, &keys) }),
		frontmatter.NewFormat("{", "}", func(b []byte, _ any) error { return unmarshalJSON(b, &other, &keys) }),
	}
	fm := findFrontMatter(text, formats)
	start := fm.line // front matter opens on the first non-blank line
	switch {
	case fm.line == 0:
		p.errs.Addf(path, 1, "front matter: missing; start the file with a --- line, then title, source, date and topic, then ---")
		return p
	case !fm.closed:
		p.errs.Addf(path, start, "front matter: unclosed; the %s at line %d has no closing %s line", fm.open, start, fm.close)
		return p
	}
	body, err := frontmatter.MustParse(bytes.NewReader(text[:fm.end]), nil, formats...)
	if err == frontmatter.ErrNotFound { // not expected: findFrontMatter found it
		p.errs.Addf(path, start, "front matter: missing; start the file with a --- line, then title, source, date and topic, then ---")
		return p
	}
	if err != nil {
		// The TOML decoder names only the second line of a key set twice.
		if line, first, key, ok := duplicateKey(keys); ok {
			p.errs.Addf(path, start+line, "front matter: key %q is already set at line %d", key, start+first)
		} else {
			p.errs.Add(frontMatterDiag(path, start, err))
		}
		return p
	}
	p.bodyOffset = skip + fm.end - len(body)
	p.bodyLine = bytes.Count(data[:p.bodyOffset], []byte("\n")) + 1
	if line := NestingOver(data[p.bodyOffset:], MaxNesting); line > 0 {
		p.errs.Addf(path, p.bodyLine+line-1, "markdown: lists and block quotes nested more than %d levels deep; at most %d are allowed", MaxNesting, MaxNesting)
	}

	add := func(key string, value any, line int) {
		if f, ok := p.fields[key]; ok {
			p.errs.Addf(path, line, "front matter: key %q is already set at line %d", key, f.line)
			return
		}
		p.order = append(p.order, key)
		p.fields[key] = field{value: value, line: line}
	}
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
			add(k.Value, yamlValue(v), start+k.Line)
		}
	default:
		// Keys listed with their lines come first, in file order (so that
		// a JSON key given twice, which encoding/json lets the last win,
		// is found); any other key TOML decoded (a dotted key, a table)
		// follows, by name, at the opening line.
		listed := map[string]bool{}
		for _, k := range keys {
			if v, ok := other[k.key]; ok {
				listed[k.key] = true
				add(k.key, plainValue(v), start+k.line)
			}
		}
		rest := make([]string, 0, len(other))
		for k := range other {
			if !listed[k] {
				rest = append(rest, k)
			}
		}
		sort.Strings(rest)
		for _, k := range rest {
			add(k, plainValue(other[k]), start)
		}
	}
	return p
}

// duplicateKey finds the first key of keys given twice: the lines of its
// second and first use.
func duplicateKey(keys []keyLine) (line, first int, key string, ok bool) {
	seen := map[string]int{}
	for _, k := range keys {
		if l, dup := seen[k.key]; dup {
			return k.line, l, k.key, true
		}
		seen[k.key] = k.line
	}
	return 0, 0, "", false
}

// tomlKeys lists the keys TOML front matter sets before its first table,
// bare or quoted, with their lines counted from 1 in b: where a field or a
// key given twice is reported. Dotted keys and tables are left to the
// decoder, and so are lines inside multi-line strings.
func tomlKeys(b []byte) []keyLine {
	list := []keyLine{}
	inString := "" // the closing delimiter of a multi-line string being read
	for n, line := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(line)
		if inString != "" {
			if strings.Count(t, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		if t == "" || t[0] == '#' {
			continue
		}
		if t[0] == '[' {
			break
		}
		key, rest := tomlKey(t)
		if key != "" {
			list = append(list, keyLine{key, n + 1})
		}
		for _, d := range []string{`"""`, `'''`} {
			if strings.Count(rest, d)%2 == 1 {
				inString = d
			}
		}
	}
	return list
}

// tomlKey reads the key of a "key = value" line: a bare key, or one in
// plain quotes without escapes. It returns "" for anything else, and the
// rest of the line after the "=".
func tomlKey(t string) (key, rest string) {
	i := 0
	switch {
	case t[0] == '"' || t[0] == '\'':
		j := strings.IndexByte(t[1:], t[0])
		if j < 0 || strings.Contains(t[1:j+1], `\`) {
			return "", t
		}
		key, i = t[1:j+1], j+2
	default:
		for i < len(t) && (t[i] >= 'a' && t[i] <= 'z' || t[i] >= 'A' && t[i] <= 'Z' || t[i] >= '0' && t[i] <= '9' || t[i] == '_' || t[i] == '-') {
			i++
		}
		key = t[:i]
	}
	after := strings.TrimLeft(t[i:], " \t")
	if key == "" || !strings.HasPrefix(after, "=") {
		return "", t // a dotted key, or not a key
	}
	return key, after[1:]
}

// invalidUTF8 finds the first byte of data that is not UTF-8: its line,
// its column in characters (both from 1) and the byte.
func invalidUTF8(data []byte) (line, col int, b byte, bad bool) {
	if utf8.Valid(data) {
		return 0, 0, 0, false
	}
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, col, data[i], true
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
		i += n
	}
	return line, col, 0, true
}

var tomlLine = regexp.MustCompile(`^Near line (\d+) \(last key parsed '[^']*'\): `)

// frontMatterDiag turns an error decoding the front matter that opens at
// line start into a diagnostic at the line it names.
func frontMatterDiag(path string, start int, err error) diag.Diagnostic {
	msg := err.Error()
	if m := tomlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		msg = strings.TrimSuffix(msg[len(m[0]):], ".")
		if msg != "" {
			msg = strings.ToLower(msg[:1]) + msg[1:]
		}
		return diag.Errorf(path, start+n, "front matter: %s", msg)
	}
	d := yamlDiag(path, 0, err)
	if d.Line > 0 {
		d.Line += start // YAML counts from the line after the delimiter
	} else {
		d.Line = start
	}
	d.Msg = "front matter: " + strings.TrimPrefix(d.Msg, "yaml: ")
	return d
}

// keyLine is a top-level key of TOML or JSON front matter and its line,
// counted from the first line handed to the decoder.
type keyLine struct {
	key  string
	line int
}

// unmarshalJSON decodes JSON front matter into v and lists its top-level
// keys in order into keys.
func unmarshalJSON(b []byte, v *map[string]any, keys *[]keyLine) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	list := []keyLine{}
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil // not an object: Unmarshal into a map has failed already
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := t.(string)
		end := dec.InputOffset()
		list = append(list, keyLine{k, bytes.Count(b[:end], []byte("\n")) + 1})
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return err
		}
	}
	*keys = list
	return nil
}

// frontMatter is where the front matter of a file lies.
type frontMatter struct {
	line        int    // the opening delimiter's line; 0 when there is none
	open, close string // the delimiters
	closed      bool   // a closing line follows
	end         int    // just after the closing line; len(data) when none
}

// findFrontMatter finds the front matter of data: an opening delimiter on
// the first non-blank line, then the first line, below it, that reads
// (spaces trimmed) as the closing delimiter of the opening's format.
func findFrontMatter(data []byte, formats []*frontmatter.Format) frontMatter {
	fm := frontMatter{end: len(data)}
	n := 0
	for i := 0; i < len(data); {
		line := data[i:]
		if j := bytes.IndexByte(line, '\n'); j >= 0 {
			line = line[:j+1]
		}
		i += len(line)
		n++
		t := string(bytes.TrimSpace(line))
		switch {
		case fm.line != 0:
			if t == fm.close {
				fm.closed, fm.end = true, i
				return fm
			}
		case t == "":
		default:
			for _, f := range formats {
				if t == f.Start {
					fm.line, fm.open, fm.close = n, f.Start, f.End
					break
				}
			}
			if fm.line == 0 {
				return fm
			}
		}
	}
	return fm
}

// FrontMatterEnd returns where the front matter of data ends: just after
// the first line, below the opening delimiter line, that reads (spaces
// trimmed) as the closing delimiter of the opening's format. It returns
// len(data) when there is no such line. adrg/frontmatter stops at the same
// line, so handing it data[:end] gives the same result without its copying
// the body, which is most of the file.
func FrontMatterEnd(data []byte, formats []*frontmatter.Format) int {
	return findFrontMatter(data, formats).end
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
	a := &Article{Path: p.path, file: p.file, BodyOffset: p.bodyOffset, BodyLine: p.bodyLine, Hash: p.hash, Size: p.size}

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
