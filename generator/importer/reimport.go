package importer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"digest/generator/articlefile"
	"digest/generator/content"
	"digest/generator/diag"

	"gopkg.in/yaml.v3"
)

// RecordKey is the front matter key in which the importer records what it
// wrote into an article, so that a later import can tell an editor's edits
// from its own guesses:
//
//	imported: body=5d3f0c9a1b2e title=… date=9c41aa07d2f3 … review=date,round  # ...
//
// Each NAME=HASH entry is a hash of what the importer generated: "body"
// of the article's body, and one per field it guesses, of that field's
// value; "review" lists the fields it marked for review. It is one plain
// text, which the build's cache of front matter keeps without parsing
// the file again. The record always describes the importer's own output,
// also when an editor's edits were kept over it, so an edit stays an edit
// on every later import.
const RecordKey = "imported"

// recordComment follows the record on its line.
const recordComment = "# digest import's record of what it wrote; leave it as it is"

// importerKeys are the front matter keys the importer writes; any other
// key of an article is the editor's own.
var importerKeys = []string{"title", "source", "date", "topic", "topics", "round", "url", "raw", "review", RecordKey}

// guessed are the fields the importer works out and an editor may correct,
// in front matter order.
var guessed = []string{"title", "source", "date", "topic", "topics", "round", "url"}

// hashText is the hash the record keeps of a text: 48 bits of SHA-256,
// plenty to tell an edit from the original.
func hashText(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}

// bodyText is a body as the record compares it: line endings and blank
// lines around it do not make an edit.
func bodyText(body []byte) string {
	return strings.TrimSpace(strings.ReplaceAll(string(body), "\r\n", "\n"))
}

// generated is what the importer writes for a draft on its own.
type generated struct {
	front []byte // Render's front matter, up to but not including the closing ---
	body  []byte // Render's body
	file  *articlefile.File
}

// generate renders d and reads it back. Render writes a YAML mapping
// between --- lines, so the error is a bug in Render (FuzzGenerate looks
// for one).
func generate(d *Draft) (*generated, error) {
	data := Render(d)
	f, err := articlefile.Parse("", data)
	if err == nil && (f.BodyOffset < 4 || string(data[f.BodyOffset-4:f.BodyOffset]) != "---\n") {
		err = fmt.Errorf("no closing --- line")
	}
	if err != nil {
		return nil, fmt.Errorf("the article rendered for %s cannot be read back: %v", d.Raw, err)
	}
	return &generated{front: data[:f.BodyOffset-len("---\n")], body: data[f.BodyOffset:], file: f}, nil
}

// text is the value the generated file gives field, as the record hashes it.
func (g *generated) text(field string) string {
	if fd := g.file.Field(field); fd != nil {
		return fd.Text()
	}
	return ""
}

// record is the record line for the generated article of d.
func (g *generated) record(d *Draft) []byte {
	var b bytes.Buffer
	b.WriteString(RecordKey + ": body=" + hashText(bodyText(g.body)))
	for _, f := range guessed {
		if g.file.Field(f) != nil {
			b.WriteString(" " + f + "=" + hashText(g.text(f)))
		}
	}
	if len(d.Review) > 0 {
		b.WriteString(" review=" + strings.Join(d.Review, ","))
	}
	b.WriteString("  " + recordComment + "\n")
	return b.Bytes()
}

// fresh is the article the importer writes for d when there is none: the
// rendered draft with its record.
func fresh(d *Draft) ([]byte, error) {
	g, err := generate(d)
	if err != nil {
		return nil, err
	}
	return compose(g.front, nil, g.record(d), g.body), nil
}

// compose joins an article's parts: the importer's front matter lines, the
// editor's own keys as they were written, the record, and the body.
func compose(front []byte, own [][]byte, record, body []byte) []byte {
	var b bytes.Buffer
	b.Write(front)
	for _, o := range own {
		b.Write(o)
	}
	b.Write(record)
	b.WriteString("---\n")
	b.Write(body)
	return b.Bytes()
}

// reimported is the outcome of importing a page over its article.
type reimported struct {
	data  []byte
	draft *Draft // the fields data holds
	// edits names what in the old article differed from a fresh import
	// and is an editor's: fields, "body", and the editor's own keys. They
	// were kept, or with discard dropped.
	edits []string
}

// reimport merges a fresh import d of a page with the article old (read
// from path, slash-separated for messages) that an earlier import wrote
// and an editor may have changed since. Kept, unless discard is set:
//   - a field an editor edited: its value is not the one the record says
//     the importer wrote; under review it stays under review;
//   - a field an editor confirmed: the importer marked it for review and
//     it no longer is;
//   - the body, when it is not the one the record says the importer
//     wrote;
//   - a field the editor added to review:, which stays there;
//   - every front matter key the importer does not write, as written.
//
// Without a record nothing can be told apart, so every field not under
// review is kept, and every field under review, and the body, that
// differs from the fresh import. Everything else comes from d. With discard the result is d's fresh
// article; edits still names what was dropped. The error, a
// diag.Diagnostic, leaves the article to be kept as it is.
func reimport(path string, d *Draft, old []byte, discard bool) (*reimported, error) {
	f, err := articlefile.Parse(path, old)
	if err != nil {
		return nil, importDiag(err)
	}
	rec, err := readRecord(path, f)
	if err != nil {
		return nil, err
	}
	g, err := generate(d) // the fresh import, and what the record will say
	if err != nil {
		return nil, err
	}
	m := *d
	m.Why = map[string]string{}
	for k, v := range d.Why {
		m.Why[k] = v
	}
	m.Review = slices.Clone(d.Review)
	var inReview []string
	if fd := f.Field("review"); fd != nil {
		inReview = fd.List()
	}

	out := &reimported{}
	keptDate := ""
	for _, key := range guessed {
		fd := f.Field(key)
		if fd == nil {
			continue
		}
		cur := fd.Text()
		underReview := slices.Contains(inReview, key)
		h, hashed := rec.hash[key]
		if hashed && h == hashText(cur) && (underReview || !slices.Contains(rec.review, key)) {
			continue // the importer's guess, untouched and not confirmed: guess again
		}
		if cur != g.text(key) {
			out.edits = append(out.edits, key)
		} else if underReview {
			continue // the same as the fresh guess, and still to review
		}
		if discard {
			continue
		}
		if err := setField(&m, key, cur); err != nil {
			return nil, diag.Errorf(path, fd.Line, "import: %v; correct it, or re-import with --discard-edits", err)
		}
		if key == "date" {
			keptDate = cur
		}
		if cur != g.text(key) {
			delete(m.Why, key) // it explained the importer's guess
		}
		m.Review = slices.DeleteFunc(m.Review, func(s string) bool { return s == key })
		if underReview {
			m.Review = append(m.Review, key)
		}
	}
	if rec.present && !discard {
		for _, key := range inReview {
			if !slices.Contains(rec.review, key) && !slices.Contains(m.Review, key) {
				m.Review = append(m.Review, key) // the editor's own doubt
			}
		}
	}
	sortFields(m.Review)

	var own [][]byte
	for _, fd := range f.Fields {
		if slices.Contains(importerKeys, fd.Key) || g.file.Field(fd.Key) != nil {
			continue // the importer's (a key Render writes is, whatever it is)
		}
		out.edits = append(out.edits, fd.Key)
		if !discard {
			own = append(own, fd.Lines(old))
		}
	}

	body := g.body
	oldBody := old[f.BodyOffset:]
	if h, ok := rec.hash["body"]; !(ok && h == hashText(bodyText(oldBody))) && bodyText(oldBody) != bodyText(g.body) {
		out.edits = append([]string{"body"}, out.edits...)
		if !discard {
			body = oldBody
		}
	}

	mg, err := generate(&m)
	if err != nil {
		return nil, err
	}
	front := mg.front
	if keptDate != "" && keptDate != m.Date.Format(time.DateOnly) {
		// Render writes a day; an editor's RFC 3339 time is kept as written.
		front = replaceLine(front, "date: ", "date: "+scalar(keptDate)+"\n")
	}
	out.data = compose(front, own, g.record(d), body)
	out.draft = &m
	return out, nil
}

// importDiag prefixes a diagnostic's message with the operation.
func importDiag(err error) error {
	if d, ok := err.(diag.Diagnostic); ok {
		d.Msg = "import: " + d.Msg
		return d
	}
	return err
}

// record is what an article's RecordKey line says the importer wrote.
type record struct {
	present bool              // the article has a record
	hash    map[string]string // "body" or a field -> the hash of what it generated
	review  []string          // the fields it marked for review
}

// readRecord reads the record of an article, not present when it has none. A
// record that is not what the importer writes is an error: it cannot be
// told apart from an edit of it.
func readRecord(path string, f *articlefile.File) (*record, error) {
	fd := f.Field(RecordKey)
	if fd == nil {
		return &record{}, nil
	}
	bad := diag.Errorf(path, fd.Line, "import: %s: not the record digest import writes; delete the line, and every difference from the page will be kept as an edit", RecordKey)
	if fd.Value.Kind != yaml.ScalarNode {
		return nil, bad
	}
	rec := &record{present: true, hash: map[string]string{}}
	for _, entry := range strings.Fields(fd.Value.Value) {
		k, v, ok := strings.Cut(entry, "=")
		switch {
		case k == "review" && ok && v != "":
			rec.review = strings.Split(v, ",")
		case !ok || k == "" || len(v) != 12 || strings.Trim(v, "0123456789abcdef") != "":
			return nil, bad
		default:
			rec.hash[k] = v
		}
	}
	if rec.hash["body"] == "" {
		return nil, bad
	}
	return rec, nil
}

// setField sets a guessed field of d to the text an editor wrote.
func setField(d *Draft, key, v string) error {
	switch key {
	case "title":
		d.Title = v
	case "source":
		d.Source = v
	case "date":
		t, err := content.ParseDate(v)
		if err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD or RFC 3339", v)
		}
		d.Date = t
	case "topic":
		d.Topic = v
	case "topics":
		d.Topics = nil
		if v != "" {
			d.Topics = strings.Split(v, ", ")
		}
	case "round":
		d.Round = v
	case "url":
		d.URL = v
	}
	return nil
}

// sortFields orders field names as the front matter does, unknown names
// last in their order.
func sortFields(list []string) {
	rank := func(s string) int {
		if i := slices.Index(guessed, s); i >= 0 {
			return i
		}
		return len(guessed)
	}
	slices.SortStableFunc(list, func(a, b string) int { return rank(a) - rank(b) })
}

// replaceLine replaces the line of front that starts with prefix.
func replaceLine(front []byte, prefix, line string) []byte {
	lines := bytes.SplitAfter(front, []byte("\n"))
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte(prefix)) {
			lines[i] = []byte(line)
		}
	}
	return bytes.Join(lines, nil)
}

// joinNames lists names for a message: "body", "body and date",
// "body, date and topic".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
