package build

import (
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"digest/generator/content"
	"digest/generator/internal/atomicfile"
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

// failCacheDisk fails the cache file's write, halfway through its bytes,
// once: a full disk when the build is done.
type failCacheDisk struct {
	disk
	failed bool
}

func (d *failCacheDisk) CreateNew(p string, perm fs.FileMode) (atomicfile.File, error) {
	f, err := d.disk.CreateNew(p, perm)
	if err != nil || d.failed {
		return f, err
	}
	d.failed = true
	return &fullFile{f, &fullDisk{disk: d.disk}, p}, nil
}

// TestCacheWriteThroughDisk checks that the cache file is written through
// the build's disk: when its write fails the build still succeeds, the
// old cache file stays, nothing is left beside the output, and the next
// run trusts only what the old cache file describes.
func TestCacheWriteThroughDisk(t *testing.T) {
	dir := writeSite(t, "basic.txtar")
	build(t, Options{Site: dir})
	cache := filepath.Join(dir, ".public.digest-cache")
	old, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "content/articles/third-round.md")
	src := strings.Replace(read(t, dir, "content/articles/third-round.md"), "title: ", "title: Edited ", 1)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Site: dir})
	if err != nil {
		t.Fatal(err)
	}
	d := &failCacheDisk{disk: osDisk{}}
	b.disk = d
	if _, err := b.Build(context.Background()); err != nil {
		t.Fatalf("a build whose cache write failed: %v", err)
	}
	if !d.failed {
		t.Fatal("the cache file was not written through the build's disk")
	}
	if now, _ := os.ReadFile(cache); string(now) != string(old) {
		t.Error("the failed cache write changed the cache file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		switch e.Name() {
		case "content", "public", ".public.digest-cache", ".public.digest-lock", ".public.digest-spare":
		default:
			t.Errorf("left beside the output: %s", e.Name())
		}
	}
	// The old cache file names another output: the next run checks the
	// output by content and parses the edited article again.
	res := build(t, Options{Site: dir})
	if !res.Repaired || res.Parsed != 1 {
		t.Errorf("the run after the failed cache write: repaired %v, parsed %d; want true, 1", res.Repaired, res.Parsed)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(t, Options{Site: dir, Out: fresh, NoCache: true})
	if got, want := files(t, filepath.Join(dir, "public")), files(t, fresh); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the output is not a fresh build: %s", describeDiff(got, want))
	}
}
