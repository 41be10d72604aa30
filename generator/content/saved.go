package content

import (
	"io/fs"
	"time"
)

// SavedFile is an article file's front matter as parsed, in a form a cache
// file can keep between runs of the command, so that a build with nothing
// changed need not parse every file's YAML again. It is trusted while the
// file keeps its size and modification time, as a Loader trusts its own
// cache between loads.
type SavedFile struct {
	Path       string
	Size       int64
	ModTime    int64 // Unix nanoseconds
	Fields     []SavedField
	BodyOffset int
	BodyLine   int
	Hash       uint64
	Racy       bool // read too soon after it changed: its bytes are hashed again before they are trusted
}

// SavedField is one front matter field: a text, a list of texts or a
// boolean, by Kind.
type SavedField struct {
	Key  string
	Line int
	Kind byte // 's' text, 'l' list, 'b' boolean
	Text string
	List []string
	Bool bool
}

// Saved returns the files of the last load whose front matter a cache file
// can keep: those read without error whose fields are texts, lists of
// texts or booleans (others, rare, are parsed again next time).
func (l *Loader) Saved() []SavedFile {
	out := make([]SavedFile, 0, len(l.cache))
	for _, path := range l.paths {
		if f, ok := l.cache[path].save(path); ok {
			out = append(out, f)
		}
	}
	return out
}

func (c cached) save(path string) (SavedFile, bool) {
	p := c.p
	if p == nil || len(p.errs) > 0 || c.info == nil || c.info.ModTime().IsZero() {
		return SavedFile{}, false
	}
	f := SavedFile{Path: path, Size: c.info.Size(), ModTime: c.info.ModTime().UnixNano(),
		BodyOffset: p.bodyOffset, BodyLine: p.bodyLine, Hash: p.hash, Racy: c.racy}
	for _, key := range p.order {
		fd := p.fields[key]
		sf := SavedField{Key: key, Line: fd.line}
		switch v := fd.value.(type) {
		case string:
			sf.Kind, sf.Text = 's', v
		case []string:
			sf.Kind, sf.List = 'l', v
		case bool:
			sf.Kind, sf.Bool = 'b', v
		default:
			return SavedFile{}, false
		}
		f.Fields = append(f.Fields, sf)
	}
	return f, true
}

// Restore gives a Loader that has not loaded yet the files a cache file
// kept: each is taken as it was while its size and modification time are
// unchanged (and, for a file read too soon after it changed, while its
// bytes hash the same).
func (l *Loader) Restore(files []SavedFile) {
	if l.cache != nil {
		return
	}
	l.cache = make(map[string]cached, len(files))
	for _, f := range files {
		p := &parsed{path: f.Path, fields: make(map[string]field, len(f.Fields)),
			bodyOffset: f.BodyOffset, bodyLine: f.BodyLine, hash: f.Hash, size: int(f.Size)}
		for _, sf := range f.Fields {
			var v any
			switch sf.Kind {
			case 's':
				v = sf.Text
			case 'l':
				v = sf.List
			case 'b':
				v = sf.Bool
			default:
				p = nil
			}
			if p == nil {
				break
			}
			p.order = append(p.order, sf.Key)
			p.fields[sf.Key] = field{value: v, line: sf.Line}
		}
		if p != nil {
			l.cache[f.Path] = cached{info: savedInfo{f.Size, time.Unix(0, f.ModTime)}, p: p, racy: f.Racy}
		}
	}
}

// savedInfo is the part of a file's information a cache file keeps.
type savedInfo struct {
	size int64
	mod  time.Time
}

func (i savedInfo) Name() string       { return "" }
func (i savedInfo) Size() int64        { return i.size }
func (i savedInfo) Mode() fs.FileMode  { return 0 }
func (i savedInfo) ModTime() time.Time { return i.mod }
func (i savedInfo) IsDir() bool        { return false }
func (i savedInfo) Sys() any           { return nil }
