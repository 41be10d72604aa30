package build

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"digest/generator/content"
	"digest/generator/render"
)

// TestCacheFileRoundTrip writes a cache file and reads it back, then
// checks that every damaged version of it is refused, not misread.
func TestCacheFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	b := &Builder{opts: Options{Out: out}, md: render.NewMarkdown(), paths: newOutputPaths(out), disk: osDisk{}}
	b.outID, b.spareID = 0x1234, 0x5678
	b.spareDiffers = map[string]bool{"index.html": true, "articles/new/index.html": false}
	want := &cacheFile{
		Global:       0xfeedface12345678,
		OutID:        0x1234,
		SpareID:      0x5678,
		SpareDiffers: b.spareDiffers,
		Files: map[string]fileState{
			"index.html":                  {FP: 1, Sum: 2, Size: 3},
			"articles/a-ü/index.html":     {FP: 1 << 63, Sum: 42, Size: 1 << 40},
			"search.json":                 {Sum: 7, Size: 0},
			"topics/ceasefire/feed.xml":   {FP: 9, Sum: 10, Size: 11},
			"topics/ceasefire/page/2/x.y": {},
		},
		Summaries: map[uint64]string{1: "One.", 0xffffffffffffffff: "Ünïcode — “quoted” <b>not markup</b>", 3: ""},
		Search:    map[uint64][]byte{77: []byte("an entry\x00\xff"), 78: {}},
		Articles: []content.SavedFile{
			{Path: "content/articles/a.md", Size: 1234, ModTime: 1700000000123456789, BodyOffset: 99, BodyLine: 8, Hash: 77,
				Fields: []content.SavedField{
					{Key: "title", Line: 2, Kind: 's', Text: "Talks resume"},
					{Key: "topics", Line: 5, Kind: 'l', List: []string{"ceasefire", "prisoners"}},
					{Key: "draft", Line: 6, Kind: 'b', Bool: true},
					{Key: "review", Line: 7, Kind: 'b'},
					{Key: "empty", Line: 8, Kind: 'l', List: []string{}},
				}},
			{Path: "content/articles/b.md", ModTime: -5, Fields: []content.SavedField{}},
		},
	}
	for h, s := range want.Summaries {
		b.md.SeedSummary(h, s)
	}
	b.writeCache(want.Global, want.Files, want.Search, appendArticles(nil, want.Articles))

	got := b.readCache()
	if got == nil {
		t.Fatal("the cache file just written does not read back")
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cache file read back differs:\n got %+v\nwant %+v", got, want)
	}

	data, err := os.ReadFile(b.cachePath())
	if err != nil {
		t.Fatal(err)
	}
	// Cut short anywhere, with the checksum made right again so that
	// the decoder itself must notice: refused, never a panic.
	body := data[:len(data)-8]
	for n := range len(body) {
		cut := binary.LittleEndian.AppendUint64(append([]byte(nil), body[:n]...), content.HashBytes(body[:n]))
		if c := decodeCache(cut); c != nil {
			t.Fatalf("a cache file cut to %d of %d bytes was accepted", n, len(body))
		}
	}
	// Any byte changed: the checksum refuses it.
	for i := range data {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0x20
		if c := decodeCache(bad); c != nil {
			t.Fatalf("a cache file with byte %d changed was accepted", i)
		}
	}
	// Bytes added after the end.
	if c := decodeCache(append(append([]byte(nil), data...), 0)); c != nil {
		t.Error("a cache file with a byte added was accepted")
	}
}
