package search

import (
	"bytes"
	"slices"
	"strconv"
)

// Joiner is BuildEntries for a caller that builds the same site again and
// again, as the preview does: it keeps the postings of the last join, and
// a join in which few articles' entries changed updates only their terms'
// postings, instead of reading every entry again. Its files are
// BuildEntries's, byte for byte. The zero Joiner is ready; it keeps the
// entries it is given (the caller keeps them anyway) and about as much
// again in postings.
type Joiner struct {
	key     uint64  // the spellings' Key the postings were made with
	entries []Entry // by article number, oldest first
	post    map[string]*joined
	facets  map[string]map[Facet]int
}

// joined is one term's postings, n<<1 | 1 when in the title or lead,
// ascending, and its JSON array (nil when to be written again).
type joined struct {
	nums []uint32
	json []byte
}

// Join returns BuildEntries(entries, sp) without changing entries.
func (j *Joiner) Join(entries []Entry, sp *Spellings) []File {
	if sp == nil {
		sp = &Spellings{}
	}
	n := len(entries)
	var changed []int // article numbers
	if j.post != nil && j.key == sp.Key() && len(j.entries) == n {
		for num := range n {
			if e := entries[n-1-num]; !sameEntry(j.entries[num], e) {
				changed = append(changed, num)
			}
		}
	}
	if j.post == nil || j.key != sp.Key() || len(j.entries) != n || len(changed) > n/8 {
		// Many changed: joined again, as BuildEntries joins.
		j.key, j.entries, j.post = sp.Key(), make([]Entry, n), map[string]*joined{}
		j.facets = map[string]map[Facet]int{}
		for _, k := range Filters {
			j.facets[k] = map[Facet]int{}
		}
		changed = changed[:0]
		for num := range n {
			changed = append(changed, num)
		}
	}
	for _, num := range changed {
		if old := j.entries[num]; old != nil {
			j.update(old, uint32(num), -1)
		}
		e := entries[n-1-num]
		j.update(e, uint32(num), +1)
		j.entries[num] = e
	}

	terms := make([]string, 0, len(j.post))
	encoded := make(map[string][]byte, len(j.post))
	for t, p := range j.post {
		if p.json == nil {
			p.json = appendPostings(nil, p.nums)
		}
		terms = append(terms, t)
		encoded[t] = p.json
	}
	slices.Sort(terms)
	return joinFiles(terms, encoded, j.facets, n, sp)
}

// update adds article num's entry e to the postings (by +1) or takes it
// out (by -1).
func (j *Joiner) update(e Entry, num uint32, by int) {
	d := decodeEntry(e)
	for _, f := range d.facets {
		fc := j.facets[f.kind]
		fc[Facet{f.id, f.name}] += by
		if fc[Facet{f.id, f.name}] == 0 {
			delete(fc, Facet{f.id, f.name})
		}
	}
	d.terms(func(term []byte, head bool) {
		v := num << 1
		if head {
			v |= 1
		}
		p := j.post[string(term)]
		if by < 0 {
			if p == nil {
				return
			}
			i, found := slices.BinarySearchFunc(p.nums, num, func(x, n uint32) int { return int(x>>1) - int(n) })
			if found {
				p.nums = slices.Delete(p.nums, i, i+1)
				p.json = nil
			}
			if len(p.nums) == 0 {
				delete(j.post, string(term))
			}
			return
		}
		if p == nil {
			p = &joined{}
			j.post[string(term)] = p
		}
		if k := len(p.nums); k == 0 || p.nums[k-1]>>1 < num {
			p.nums = append(p.nums, v) // a join from scratch adds in order
		} else {
			i, _ := slices.BinarySearchFunc(p.nums, num, func(x, n uint32) int { return int(x>>1) - int(n) })
			p.nums = slices.Insert(p.nums, i, v)
		}
		p.json = nil
	})
}

// sameEntry reports whether a and b are the same entry: the same bytes
// (most often the same slice, kept from the build before).
func sameEntry(a, b Entry) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b)
}

// appendPostings appends the JSON array of postings nums (see joined).
func appendPostings(b []byte, nums []uint32) []byte {
	b = append(b, '[')
	prev := uint32(0)
	for i, v := range nums {
		if i > 0 {
			b = append(b, ',')
		}
		n := v >> 1
		switch gap := (n-prev)*2 + v&1; {
		case gap < 10: // most: a common term is in most articles
			b = append(b, byte('0'+gap))
		case gap < 100:
			b = append(b, byte('0'+gap/10), byte('0'+gap%10))
		default:
			b = strconv.AppendUint(b, uint64(gap), 10)
		}
		prev = n
	}
	return append(b, ']')
}
