package search

import (
	"cmp"
	"encoding/binary"
	"hash/crc32"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
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
//
// A build encodes every word of every article, millions of them, so the
// Encoder reads them without allocating: each word is folded into a
// reused buffer (see words) and looked up in a table of the words it has
// met, which names its term (the word with sp's spelling applied) by a
// number; only a word not met before makes a string.
type Encoder struct {
	sp    *Spellings // the spellings ids was made with
	ids   wordTable  // folded word, or filter term -> its term's id
	terms []string   // by id: the term
	keys  []uint64   // by id: the term's first 8 bytes, big-endian, to sort by
	at    []int32    // by id: 1 + its place in order, 0 when not in this article
	order []int32    // this article's terms, by id, first met first
	head  []bool     // by place: in the title or lead
	word  []byte     // the word being read, folded
	entry []byte     // the entry being written
	perm  []sortKey  // places in order, sorted by term
}

// sortKey is a place in Encoder.order and the first 8 bytes of its term.
type sortKey struct {
	key   uint64
	place int32
}

// maxWords bounds an Encoder's table of words: past it the table starts
// again, so that a large site's numbers, names and misspellings are not
// all kept for the whole build.
const maxWords = 1 << 18

// Encode is the package's Encode.
func (enc *Encoder) Encode(d Doc, sp *Spellings) (Entry, []byte) {
	if sp == nil {
		sp = &Spellings{}
	}
	if enc.sp != sp || enc.ids.n > maxWords {
		enc.sp, enc.terms, enc.keys, enc.at = sp, enc.terms[:0], enc.keys[:0], enc.at[:0]
		enc.ids.reset()
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

	enc.order, enc.head = enc.order[:0], enc.head[:0]
	enc.words(d.Title, true)
	enc.words(d.Lead, true)
	enc.words(d.Source.Name, false)
	enc.words(d.Round.Name, false)
	for _, t := range d.Topics {
		enc.words(t.Name, false)
	}
	enc.words(d.Text, false)
	for _, f := range facets {
		enc.see(enc.filterTerm(f.kind+":"+f.id), false)
	}
	order, head, terms, keys := enc.order, enc.head, enc.terms, enc.keys
	for _, id := range order {
		enc.at[id] = 0 // for the next article
	}

	// Terms are kept sorted, each as the length of the prefix it shares
	// with the one before (doubled, plus 1 when in the title or lead) and
	// the rest: an entry is kept for every article. perm holds places,
	// beside their terms' first bytes.
	perm := enc.perm[:0]
	for k, id := range order {
		perm = append(perm, sortKey{keys[id], int32(k)})
	}
	enc.perm = perm
	slices.SortFunc(perm, func(a, b sortKey) int {
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		return strings.Compare(terms[order[a.place]], terms[order[b.place]])
	})
	b := enc.entry[:0]
	b = binary.LittleEndian.AppendUint64(b, sp.Key())
	b = binary.LittleEndian.AppendUint64(b, docSum(doc))
	b = binary.AppendUvarint(b, uint64(len(facets)))
	for _, f := range facets {
		b = appendString(b, f.kind)
		b = appendString(b, f.id)
		b = appendString(b, f.name)
	}
	prev := ""
	for _, p := range perm {
		k := p.place
		t := terms[order[k]]
		n := shared(prev, t)
		h := 0
		if head[k] {
			h = 1
		}
		b = binary.AppendUvarint(b, uint64(n*2+h))
		b = appendString(b, t[n:])
		prev = t
	}
	enc.entry = b
	e := make(Entry, len(b)) // exact: a build keeps every entry
	copy(e, b)
	return e, doc
}

// appendString appends s with its length before it, a uvarint.
func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// words adds the terms of the words of s, as Words splits and Fold folds
// them, with enc.sp's spellings applied. It reads s once: ASCII letters
// and digits are taken byte by byte, and only other runes are decoded; the
// folded word is hashed as it is read, and copied only when folding
// changes it (most words are lowercase ASCII, looked up as they are).
func (enc *Encoder) words(s string, head bool) {
	w := enc.word[:0]
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiFold[c] == 0 {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(s[i:]); !inWord(r) {
			i += size
			continue
		}
		// A word starts at i. While plain, s[start:i] is its folded form;
		// once not, w is.
		start, plain, h := i, true, uint32(fnvOffset)
		for i < len(s) {
			if c := s[i]; c < utf8.RuneSelf {
				f := asciiFold[c]
				if f == 0 {
					break
				}
				if f != c && plain {
					w, plain = append(w[:0], s[start:i]...), false
				}
				if !plain {
					w = append(w, f)
				}
				h = (h ^ uint32(f)) * fnvPrime
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if !inWord(r) {
				break
			}
			if plain {
				w, plain = append(w[:0], s[start:i]...), false
			}
			if !unicode.IsMark(r) { // a mark is in the word, not in its folded form
				n := len(w)
				if f, ok := latin[unicode.ToLower(r)]; ok {
					w = append(w, f...)
				} else {
					w = utf8.AppendRune(w, unicode.ToLower(r))
				}
				for _, c := range w[n:] {
					h = (h ^ uint32(c)) * fnvPrime
				}
			}
			i += size
		}
		if plain {
			enc.see(wordTerm(enc, s[start:i], h), head)
		} else {
			enc.see(wordTerm(enc, w, h), head)
		}
	}
	enc.word = w
}

// inWord reports whether r belongs to a word: see Words.
func inWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) }

// asciiFold maps the ASCII letters and digits to their folded forms, and
// the other ASCII bytes, which separate words, to 0.
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	return t
}()

// wordTerm returns the id of the term of folded word w, whose hash is h.
func wordTerm[T string | []byte](enc *Encoder, w T, h uint32) int32 {
	if id, ok := find(&enc.ids, w, h); ok {
		return id
	}
	s := string(w)
	id := enc.filterTerm(enc.sp.Canon(s)) // a canonical word is no one's variant
	enc.ids.add(s, h, id)
	return id
}

// filterTerm returns the id of term t, taken as it is. Filter terms and
// words share the table: a word has no colon.
func (enc *Encoder) filterTerm(t string) int32 {
	h := hashString(t)
	if id, ok := find(&enc.ids, t, h); ok {
		return id
	}
	id := int32(len(enc.terms))
	enc.terms = append(enc.terms, t)
	var k [8]byte
	copy(k[:], t)
	enc.keys = append(enc.keys, binary.BigEndian.Uint64(k[:]))
	enc.at = append(enc.at, 0)
	enc.ids.add(t, h, id)
	return id
}

// see adds term id to this article's terms.
func (enc *Encoder) see(id int32, head bool) {
	if k := enc.at[id]; k > 0 {
		enc.head[k-1] = enc.head[k-1] || head
		return
	}
	enc.order = append(enc.order, id)
	enc.head = append(enc.head, head)
	enc.at[id] = int32(len(enc.order))
}

// FNV-1a, 32 bits: the hash of the words' table.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashString(s string) uint32 {
	h := uint32(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// wordTable maps words to term ids, found by a hash the caller computes
// (hashString of the word), so that a word is hashed as it is read. It is
// open addressing with linear probing, each slot holding the hash beside
// the place of its word, so that most lookups read one slot and one word;
// the zero value is empty.
type wordTable struct {
	slots []uint64 // hash<<32 | 1 + index in words; 0 for empty
	words []tableWord
	n     int
}

type tableWord struct {
	word string
	id   int32
}

func (t *wordTable) reset() {
	clear(t.slots)
	t.words, t.n = t.words[:0], 0
}

// find returns the id of word w with hash h in t.
func find[T string | []byte](t *wordTable, w T, h uint32) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		slot := t.slots[i]
		if slot == 0 {
			return 0, false
		}
		if uint32(slot>>32) == h {
			if tw := &t.words[uint32(slot)-1]; tw.word == string(w) {
				return tw.id, true
			}
		}
	}
}

// add adds word w, with hash h, not yet in the table.
func (t *wordTable) add(w string, h uint32, id int32) {
	if 2*(t.n+1) > len(t.slots) { // at most half full
		old := t.slots
		t.slots = make([]uint64, max(1<<12, 2*len(t.slots)))
		for _, slot := range old {
			if slot != 0 {
				t.put(slot)
			}
		}
	}
	t.words = append(t.words, tableWord{w, id})
	t.put(uint64(h)<<32 | uint64(len(t.words)))
	t.n++
}

// put puts slot in the first empty slot from its hash on.
func (t *wordTable) put(slot uint64) {
	mask := uint32(len(t.slots) - 1)
	i := uint32(slot>>32) & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = slot
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

// docSum returns the fingerprint of a document: its CRC-32C and its
// CRC-32 (IEEE), which processors compute in hardware; it tells two
// versions of a document apart and is not meant to resist an adversary.
func docSum(doc []byte) uint64 {
	return uint64(crc32.Checksum(doc, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(doc))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

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
