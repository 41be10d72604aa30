package build

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"slices"

	"digest/generator/content"
	"digest/generator/internal/atomicfile"
)

// The cache file keeps, beside the output, the fingerprints of the last
// build, the summaries of its articles and their front matter, so that the
// next run of the command parses only the files that changed and renders
// only the pages that did. It is read whole on every run and written at
// the end of every build, so it is a plain binary encoding that costs a few
// milliseconds either way at 10,000 articles (gob took 30-45 ms to write,
// most of it in reflection over maps):
//
//	cacheMagic
//	generator         string: the binary that wrote it (see generatorID)
//	global            8 bytes, little-endian
//	output            8 bytes: the id of the build the output holds
//	spare             8 bytes: the id of the build the spare holds, or 0
//	spare differs     count, then per file: name, 1 when the spare has it
//	files             count, then per file: name, fingerprint, sum, size
//	summaries         count, then per summary: article hash, text
//	search entries    count, then per entry: article hash, the entry
//	                  (search.Entry) as a string
//	articles          count, then per file: content.SavedFile
//	checksum          8 bytes: content.HashBytes of all that precedes
//
// Counts, sizes, lines and offsets are uvarints, strings a uvarint length
// and the bytes, hashes 8 bytes little-endian. A file that does not decode
// exactly, or whose checksum is wrong, is ignored: the build is then a
// cold one. The file states are trusted only while the output's marker
// names the same build (see Builder.out).
const cacheMagic = "digest cache 7\n"

// cacheFile is what the cache file holds.
type cacheFile struct {
	Generator    string // the binary that wrote it
	Global       uint64
	OutID        uint64          // the output's build id
	SpareID      uint64          // the spare's build id, 0 for none
	SpareDiffers map[string]bool // see spareSink.differs
	Files        map[string]fileState
	Summaries    map[uint64]string
	Search       map[uint64][]byte // article hash -> its search entry
	Articles     []content.SavedFile
}

func (b *Builder) cachePath() string { return b.paths.cache() }

// readCache returns the cache file of the last run, or nil.
func (b *Builder) readCache() *cacheFile {
	data, err := os.ReadFile(b.cachePath())
	if err != nil {
		return nil
	}
	c := decodeCache(data)
	if c == nil || c.Generator != b.generator {
		// Another binary's parse of the front matter may differ from
		// this one's (a rule changed, an error is new): it is not reused.
		return nil
	}
	return c
}

// writeCache saves the file states, the summaries, the search entries (by
// article hash) and the articles' front matter (already encoded by
// appendArticles); a failure only costs speed
// next time. It streams: a large site's cache file is megabytes, which
// would otherwise be held, and first touched, twice in memory.
//
// The file is replaced atomically through the build's disk (a killed
// build leaves a temporary file, which the next build removes: see
// outputPaths.leftovers) and is not synced: a cache file that a crash of
// the system leaves empty or cut short fails its checksum and is ignored,
// which costs one cold build, while a sync would cost every build (see
// docs/ARCHITECTURE.md for the measured cost).
func (b *Builder) writeCache(global uint64, files map[string]fileState, search map[uint64][]byte, articles []byte) {
	atomicfile.WriteFunc(b.disk, b.cachePath(), func(f io.Writer) error {
		var sum content.Hash
		w := bufio.NewWriterSize(io.MultiWriter(f, &sum), 1<<16)
		var buf []byte // one entry at a time
		put := func() {
			w.Write(buf)
			buf = buf[:0]
		}
		buf = append(buf, cacheMagic...)
		buf = appendString(buf, b.generator)
		buf = binary.LittleEndian.AppendUint64(buf, global)
		buf = binary.LittleEndian.AppendUint64(buf, b.outID)
		buf = binary.LittleEndian.AppendUint64(buf, b.spareID)
		differs := b.spareDiffers
		if b.spareID == 0 {
			differs = nil
		}
		buf = binary.AppendUvarint(buf, uint64(len(differs)))
		for name, has := range differs {
			buf = appendString(buf, name)
			v := byte(0)
			if has {
				v = 1
			}
			buf = append(buf, v)
		}
		buf = binary.AppendUvarint(buf, uint64(len(files)))
		put()
		for name, st := range files {
			buf = appendString(buf, name)
			buf = binary.LittleEndian.AppendUint64(buf, st.FP)
			buf = binary.LittleEndian.AppendUint64(buf, st.Sum)
			buf = binary.AppendUvarint(buf, uint64(st.Size))
			put()
		}
		n := 0
		b.md.Summaries(func(uint64, string) { n++ })
		buf = binary.AppendUvarint(buf, uint64(n))
		put()
		b.md.Summaries(func(hash uint64, s string) {
			buf = binary.LittleEndian.AppendUint64(buf, hash)
			buf = appendString(buf, s)
			put()
		})
		buf = binary.AppendUvarint(buf, uint64(len(search)))
		put()
		for hash, e := range search {
			buf = binary.LittleEndian.AppendUint64(buf, hash)
			buf = binary.AppendUvarint(buf, uint64(len(e)))
			buf = append(buf, e...)
			put()
		}
		w.Write(articles)
		if err := w.Flush(); err != nil {
			return err
		}
		_, err := f.Write(binary.LittleEndian.AppendUint64(nil, sum.Sum64()))
		return err
	}, atomicfile.Options{})
}

// appendArticles encodes the articles' front matter for the cache file. A
// build encodes it as soon as the articles are loaded, so that it holds a
// few megabytes of bytes, which the collector need not look into, instead
// of the parsed fields until the end.
func appendArticles(buf []byte, files []content.SavedFile) []byte {
	// Megabytes in a large site: sized once, rather than grown by
	// doubling into fresh memory. Lengths and lines take a few bytes as
	// uvarints, sizes and times up to 10.
	size := 10
	for _, f := range files {
		size += 3 + len(f.Path) + 2*10 + 2*4 + 8 + 1 + 2
		for _, fd := range f.Fields {
			size += 3 + len(fd.Key) + 4 + 1 + 3 + len(fd.Text)
			for _, s := range fd.List {
				size += 3 + len(s)
			}
		}
	}
	buf = slices.Grow(buf, size)
	buf = binary.AppendUvarint(buf, uint64(len(files)))
	for _, f := range files {
		buf = appendString(buf, f.Path)
		buf = binary.AppendVarint(buf, f.Size)
		buf = binary.AppendVarint(buf, f.ModTime)
		buf = binary.AppendUvarint(buf, uint64(f.BodyOffset))
		buf = binary.AppendUvarint(buf, uint64(f.BodyLine))
		buf = binary.LittleEndian.AppendUint64(buf, f.Hash)
		buf = append(buf, boolByte(f.Racy))
		buf = binary.AppendUvarint(buf, uint64(len(f.Fields)))
		for _, fd := range f.Fields {
			buf = appendString(buf, fd.Key)
			buf = binary.AppendUvarint(buf, uint64(fd.Line))
			buf = append(buf, fd.Kind)
			switch fd.Kind {
			case 's':
				buf = appendString(buf, fd.Text)
			case 'l':
				buf = binary.AppendUvarint(buf, uint64(len(fd.List)))
				for _, s := range fd.List {
					buf = appendString(buf, s)
				}
			case 'b':
				v := boolByte(fd.Bool)
				buf = append(buf, v)
			}
		}
	}
	return buf
}

func appendString(buf []byte, s string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(s)))
	return append(buf, s...)
}

// decodeCache decodes a cache file, or returns nil when data is not one
// written by writeCache of this format.
func decodeCache(data []byte) *cacheFile {
	if !bytes.HasPrefix(data, []byte(cacheMagic)) || len(data) < len(cacheMagic)+16 {
		return nil
	}
	body, sum := data[:len(data)-8], binary.LittleEndian.Uint64(data[len(data)-8:])
	if content.HashBytes(body) != sum {
		return nil
	}
	r := &cacheReader{b: body[len(cacheMagic):], keys: map[string]string{}}
	c := &cacheFile{Generator: r.str()}
	c.Global, c.OutID, c.SpareID = r.u64(), r.u64(), r.u64()
	n := r.count()
	c.SpareDiffers = make(map[string]bool, n)
	for range n {
		name := r.str()
		c.SpareDiffers[name] = r.byte() == 1
	}

	n = r.count()
	c.Files = make(map[string]fileState, n)
	for range n {
		name := r.str()
		c.Files[name] = fileState{FP: r.u64(), Sum: r.u64(), Size: int64(r.uvarint())}
	}
	n = r.count()
	c.Summaries = make(map[uint64]string, n)
	for range n {
		h := r.u64()
		c.Summaries[h] = r.str()
	}
	n = r.count()
	c.Search = make(map[uint64][]byte, n)
	for range n {
		h := r.u64()
		c.Search[h] = bytes.Clone(r.raw())
	}
	n = r.count()
	c.Articles = make([]content.SavedFile, 0, n)
	for range n {
		f := content.SavedFile{Path: r.str(), Size: r.varint(), ModTime: r.varint(),
			BodyOffset: int(r.uvarint()), BodyLine: int(r.uvarint()), Hash: r.u64(), Racy: r.byte() == 1}
		f.Fields = make([]content.SavedField, r.count())
		for i := range f.Fields {
			fd := &f.Fields[i]
			fd.Key, fd.Line, fd.Kind = r.key(), int(r.uvarint()), r.byte()
			switch fd.Kind {
			case 's':
				fd.Text = r.str()
			case 'l':
				fd.List = make([]string, r.count())
				for j := range fd.List {
					fd.List[j] = r.str()
				}
			case 'b':
				fd.Bool = r.byte() == 1
			default:
				r.fail()
			}
		}
		c.Articles = append(c.Articles, f)
	}
	if r.bad || len(r.b) != 0 {
		return nil
	}
	return c
}

// cacheReader reads the parts of a cache file. After the first read past
// the end or malformed number it is bad, and every read returns zero.
type cacheReader struct {
	b    []byte
	bad  bool
	keys map[string]string // front matter keys, shared by every article
}

func (r *cacheReader) fail() { r.bad, r.b = true, nil }

func (r *cacheReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *cacheReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads the number of items that follow. Each item takes at least a
// byte, so a count larger than what is left is damage, not a reason to
// allocate.
func (r *cacheReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *cacheReader) u64() uint64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *cacheReader) byte() byte {
	if len(r.b) < 1 {
		r.fail()
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

func (r *cacheReader) raw() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *cacheReader) str() string { return string(r.raw()) }

// key reads a front matter key, kept once however many articles have it.
func (r *cacheReader) key() string {
	b := r.raw()
	if k, ok := r.keys[string(b)]; ok {
		return k
	}
	k := string(b)
	r.keys[k] = k
	return k
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
