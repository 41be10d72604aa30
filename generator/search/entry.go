package search

import (
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strings"
)

// Entry is one article's part of the index, encoded: the fingerprint of
// its document (the search/d file, which Encode returns beside it), its
// filter values, and its terms with where they were found, made with one
// Spellings. It is a plain byte string, so a build can keep it between
// runs; it does not hold the document, the largest part, so that a build
// need not keep every article's text.
type Entry []byte

// An entry is laid out as the spellings' key (8 bytes), the document's
// fingerprint (8 bytes), the count of facets and each facet's kind, id and
// name as uvarint-prefixed strings, then the terms in sorted order, each as
// a uvarint, the length of the prefix it shares with the term before,
// doubled, plus 1 when the term is in the title or lead, and the rest of
// it as a uvarint-prefixed string.
const entryHead = 16

// Encode returns the entry of d, its words folded with sp (nil for none),
// and d's document, the search/d file (see DocName).
func Encode(d Doc, sp *Spellings) (Entry, []byte) {
	var enc Encoder
	return enc.Encode(d, sp)
}

// Encoder is Encode with its scratch space kept from one article to the
// next; its zero value is ready. One Encoder is for one goroutine.
type Encoder struct {
	seen  map[string]int // term -> its place in order
	order []string
	head  []bool // by place: in the title or lead
	perm  []int  // places in term order
}

// Encode is the package's Encode.
func (enc *Encoder) Encode(d Doc, sp *Spellings) (Entry, []byte) {
	if sp == nil {
		sp = &Spellings{}
	}
	doc := encodeDoc(d)

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

	if enc.seen == nil {
		enc.seen = map[string]int{}
	}
	clear(enc.seen)
	seen, order, head := enc.seen, enc.order[:0], enc.head[:0]
	defer func() { enc.order, enc.head = order[:0], head[:0] }()
	size := 0
	term := func(t string, h bool) {
		if k, ok := seen[t]; ok {
			head[k] = head[k] || h
			return
		}
		seen[t] = len(order)
		order = append(order, t)
		head = append(head, h)
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

	// Terms are kept sorted, each as the length of the prefix it shares
	// with the one before (doubled, plus 1 when in the title or lead) and
	// the rest: an entry is kept for every article.
	perm := enc.perm[:0]
	for k := range order {
		perm = append(perm, k)
	}
	slices.SortFunc(perm, func(a, b int) int { return strings.Compare(order[a], order[b]) })
	enc.perm = perm[:0]
	size, prev := 0, ""
	for _, k := range perm {
		t := order[k]
		n := shared(prev, t)
		size += uvarintLen(n*2+1) + uvarintLen(len(t)-n) + len(t) - n
		prev = t
	}
	size += entryHead + uvarintLen(len(facets))
	for _, f := range facets {
		size += uvarintLen(len(f.kind)) + len(f.kind) + uvarintLen(len(f.id)) + len(f.id) + uvarintLen(len(f.name)) + len(f.name)
	}
	b := make([]byte, entryHead, size) // exact: a build keeps every entry
	binary.LittleEndian.PutUint64(b, sp.Key())
	binary.LittleEndian.PutUint64(b[8:], docSum(doc))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(facets)))
	for _, f := range facets {
		str(f.kind)
		str(f.id)
		str(f.name)
	}
	prev = ""
	for _, k := range perm {
		t := order[k]
		n := shared(prev, t)
		h := 0
		if head[k] {
			h = 1
		}
		b = binary.AppendUvarint(b, uint64(n*2+h))
		str(t[n:])
		prev = t
	}
	return b, doc
}

// shared returns the length of the longest common prefix of a and b.
func shared(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

func uvarintLen(n int) int {
	k := 1
	for n >= 0x80 {
		n >>= 7
		k++
	}
	return k
}

// docSum returns the fingerprint of a document: FNV-1a, 64 bits.
func docSum(doc []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range doc {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// Current reports whether e was made with spellings sp.
func (e Entry) Current(sp *Spellings) bool {
	if sp == nil {
		sp = &Spellings{}
	}
	return len(e) >= entryHead && binary.LittleEndian.Uint64(e) == sp.Key()
}

// DocSum returns the fingerprint of the document e was made with: two
// entries with the same DocSum have the same document bytes.
func (e Entry) DocSum() uint64 {
	return binary.LittleEndian.Uint64(e[8:])
}

type decoded struct {
	facets []struct{ kind, id, name string }
	rest   []byte
}

// decodeEntry reads an entry Encode made.
func decodeEntry(e Entry) decoded {
	b := []byte(e[entryHead:])
	next := func() []byte {
		n, k := binary.Uvarint(b)
		s := b[k : k+int(n)]
		b = b[k+int(n):]
		return s
	}
	var d decoded
	nf, k := binary.Uvarint(b)
	b = b[k:]
	for range nf {
		kind, id, name := next(), next(), next()
		d.facets = append(d.facets, struct{ kind, id, name string }{string(kind), string(id), string(name)})
	}
	d.rest = b
	return d
}

// terms calls fn for each term of the entry, in sorted order. The term's
// bytes are reused for the next: fn must copy them to keep them.
func (d decoded) terms(fn func(term []byte, head bool)) {
	b := d.rest
	var t []byte
	for len(b) > 0 {
		sh, k := binary.Uvarint(b)
		b = b[k:]
		n, k := binary.Uvarint(b)
		t = append(t[:sh>>1], b[k:k+int(n)]...)
		b = b[k+int(n):]
		fn(t, sh&1 == 1)
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
