package search

import (
	"encoding/binary"
	"hash/fnv"
)

// Entry is one article's part of the index, encoded: its document (the
// search/d file), its filter values, and its terms with where they were
// found, made with one Spellings. It is a plain byte string, so a build
// can keep it between runs.
type Entry []byte

// An entry is laid out as the spellings' key (8 bytes), then
// uvarint-prefixed strings: the document, the count of facets and each
// facet's kind, id and name, then the terms, each followed by one byte,
// 1 when the term is in the title or lead, else 0.

// Encode returns the entry of d, its words folded with sp (nil for none).
func Encode(d Doc, sp *Spellings) Entry {
	if sp == nil {
		sp = &Spellings{}
	}
	out := struct {
		Path   string `json:"p"`
		Title  string `json:"t"`
		Date   string `json:"d"`
		Source string `json:"s"`
		Round  string `json:"r,omitempty"`
		Text   string `json:"x"`
	}{d.Path, d.Title, d.Date, d.Source.Name, d.Round.Name, d.Text}
	doc := mustJSON(out)

	type facet struct{ kind, id, name string }
	var facets []facet
	add := func(kind string, f Facet) {
		if f.ID != "" {
			facets = append(facets, facet{kind, f.ID, f.Name})
		}
	}
	add("round", d.Round)
	add("source", d.Source)
	add("affiliation", d.Affiliation)
	for _, t := range d.Topics {
		add("topic", t)
	}

	head := map[string]bool{} // term -> in the title or lead
	var order []string
	term := func(t string, h bool) {
		was, ok := head[t]
		if !ok {
			order = append(order, t)
		}
		head[t] = was || h
	}
	words := func(s string, h bool) {
		Words(s, func(w string, _, _ int) { term(sp.Canon(w), h) })
	}
	words(d.Title, true)
	words(d.Lead, true)
	words(d.Source.Name, false)
	words(d.Round.Name, false)
	for _, t := range d.Topics {
		words(t.Name, false)
	}
	words(d.Text, false)
	for _, f := range facets {
		term(f.kind+":"+f.id, false)
	}

	b := make([]byte, 8, 16+len(doc)+len(order)*8)
	binary.LittleEndian.PutUint64(b, sp.Key())
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(string(doc))
	b = binary.AppendUvarint(b, uint64(len(facets)))
	for _, f := range facets {
		str(f.kind)
		str(f.id)
		str(f.name)
	}
	for _, t := range order {
		str(t)
		if head[t] {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	return b
}

// Current reports whether e was made with spellings sp.
func (e Entry) Current(sp *Spellings) bool {
	if sp == nil {
		sp = &Spellings{}
	}
	return len(e) >= 8 && binary.LittleEndian.Uint64(e) == sp.Key()
}

type decoded struct {
	doc    []byte
	facets []struct{ kind, id, name string }
	rest   []byte
}

// decodeEntry reads an entry Encode made.
func decodeEntry(e Entry) decoded {
	b := []byte(e[8:])
	next := func() []byte {
		n, k := binary.Uvarint(b)
		s := b[k : k+int(n)]
		b = b[k+int(n):]
		return s
	}
	var d decoded
	d.doc = next()
	nf, k := binary.Uvarint(b)
	b = b[k:]
	for range nf {
		kind, id, name := next(), next(), next()
		d.facets = append(d.facets, struct{ kind, id, name string }{string(kind), string(id), string(name)})
	}
	d.rest = b
	return d
}

// terms calls fn for each term of the entry, in the order found. The
// term's bytes are the entry's: fn must copy them to keep them.
func (d decoded) terms(fn func(term []byte, head bool)) {
	b := d.rest
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		fn(b[k:k+int(n)], b[k+int(n)] == 1)
		b = b[k+int(n)+1:]
	}
}

// Key returns a hash of the spellings, for Entry.Current.
func (s *Spellings) Key() uint64 {
	if s.key == 0 {
		return s.hash() // the zero Spellings
	}
	return s.key
}

func (s *Spellings) hash() uint64 {
	h := fnv.New64a()
	for _, v := range s.Variants() {
		h.Write([]byte(v[0]))
		h.Write([]byte{0})
		h.Write([]byte(v[1]))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
