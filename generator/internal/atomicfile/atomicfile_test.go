package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// faultFS is the real file system that records every change as "op name"
// (name relative to its directory, the temporary file as TMP), and fails
// the first change whose op is fail with errFault.
type faultFS struct {
	dir    string
	fail   string // create, write, sync, close, rename, remove
	taken  int    // CreateNew reports this many names taken first
	mu     sync.Mutex
	ops    []string
	tmp    string // the last temporary file created
	failed bool
}

var errFault = errors.New("injected fault")

func (f *faultFS) do(op, path string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	name, _ := filepath.Rel(f.dir, path)
	if path == f.tmp {
		name = "TMP"
	}
	f.ops = append(f.ops, op+" "+name)
	if op == f.fail && !f.failed {
		f.failed = true
		return &fs.PathError{Op: op, Path: path, Err: errFault}
	}
	return nil
}

func (f *faultFS) CreateNew(path string, perm fs.FileMode) (File, error) {
	f.mu.Lock()
	if f.taken > 0 {
		f.taken--
		f.ops = append(f.ops, "taken")
		f.mu.Unlock()
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrExist}
	}
	f.tmp = path
	f.mu.Unlock()
	if err := f.do("create", path); err != nil {
		return nil, err
	}
	file, err := OS{}.CreateNew(path, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{file, f, path}, nil
}

func (f *faultFS) Rename(a, b string) error {
	if err := f.do("rename", a); err != nil {
		return &os.LinkError{Op: "rename", Old: a, New: b, Err: errFault}
	}
	return OS{}.Rename(a, b)
}

func (f *faultFS) Remove(p string) error {
	if err := f.do("remove", p); err != nil {
		return err
	}
	return OS{}.Remove(p)
}

type faultFile struct {
	File
	fs   *faultFS
	path string
}

func (f *faultFile) Write(p []byte) (int, error) {
	if err := f.fs.do("write", f.path); err != nil {
		n, _ := f.File.Write(p[:len(p)/2]) // halfway, as a full disk does
		return n, err
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if err := f.fs.do("sync", f.path); err != nil {
		return err
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.fs.do("close", f.path)
	if cerr := f.File.Close(); err == nil {
		err = cerr
	}
	return err
}

// listDir names the entries of dir with their modes and bytes.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out = append(out, fmt.Sprintf("%s %v %q", e.Name(), fi.Mode(), data))
	}
	return out
}

// TestWrite writes a file in each way a caller does, then fails each step
// of the write: a write that succeeds leaves the new bytes with the right
// mode and nothing else; one that fails leaves the directory as it was,
// with an error naming the file and the cause.
func TestWrite(t *testing.T) {
	const name = "article.md"
	for _, tc := range []struct {
		what    string
		old     *fs.FileMode // mode of the file there before; nil for none
		opts    Options
		fail    string // the step that fails
		taken   int    // names found taken before one is free
		panics  bool   // the write function panics
		wantErr string
		want    []string // the directory after
		wantOps []string
	}{
		{what: "a new file", want: []string{`article.md -rw-r--r-- "new"`},
			wantOps: []string{"create TMP", "write TMP", "close TMP", "rename TMP"}},
		{what: "a new file, mode given", opts: Options{Perm: 0o600}, want: []string{`article.md -rw------- "new"`}},
		{what: "a new file, the umask not applied", opts: Options{Perm: 0o666}, want: []string{`article.md -rw-rw-rw- "new"`}},
		{what: "a file replaced keeps its mode", old: mode(0o640), opts: Options{Perm: 0o600},
			want: []string{`article.md -rw-r----- "new"`}},
		{what: "synced before the rename", old: mode(0o644), opts: Options{Sync: true},
			want:    []string{`article.md -rw-r--r-- "new"`},
			wantOps: []string{"create TMP", "write TMP", "sync TMP", "close TMP", "rename TMP"}},
		{what: "names taken are passed over", taken: 3, want: []string{`article.md -rw-r--r-- "new"`},
			wantOps: []string{"taken", "taken", "taken", "create TMP", "write TMP", "close TMP", "rename TMP"}},
		{what: "every name taken", taken: tries, wantErr: "write DIR/article.md: file already exists"},
		{what: "create fails", old: mode(0o644), fail: "create",
			wantErr: "write DIR/article.md: injected fault", want: []string{`article.md -rw-r--r-- "old"`}},
		{what: "write fails halfway", old: mode(0o644), fail: "write",
			wantErr: "write DIR/article.md: injected fault", want: []string{`article.md -rw-r--r-- "old"`},
			wantOps: []string{"create TMP", "write TMP", "close TMP", "remove TMP"}},
		{what: "write fails, no file before", fail: "write", wantErr: "write DIR/article.md: injected fault"},
		{what: "sync fails", old: mode(0o600), opts: Options{Sync: true}, fail: "sync",
			wantErr: "write DIR/article.md: injected fault", want: []string{`article.md -rw------- "old"`}},
		{what: "close fails", old: mode(0o644), fail: "close",
			wantErr: "write DIR/article.md: injected fault", want: []string{`article.md -rw-r--r-- "old"`},
			wantOps: []string{"create TMP", "write TMP", "close TMP", "remove TMP"}},
		{what: "rename fails", old: mode(0o644), fail: "rename",
			wantErr: "write DIR/article.md: injected fault", want: []string{`article.md -rw-r--r-- "old"`},
			wantOps: []string{"create TMP", "write TMP", "close TMP", "rename TMP", "remove TMP"}},
		{what: "the write function panics", old: mode(0o644), panics: true,
			wantErr: "panic", want: []string{`article.md -rw-r--r-- "old"`},
			wantOps: []string{"create TMP", "write TMP", "close TMP", "remove TMP"}},
		{what: "a pattern with a separator", old: mode(0o644), opts: Options{Pattern: "x/*.tmp"},
			wantErr: `write DIR/article.md: temporary file pattern "x/*.tmp" holds a path separator`,
			want:    []string{`article.md -rw-r--r-- "old"`}},
	} {
		t.Run(tc.what, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, name)
			if tc.old != nil {
				if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(path, *tc.old); err != nil {
					t.Fatal(err)
				}
			}
			f := &faultFS{dir: dir, fail: tc.fail, taken: tc.taken}
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("%v", r)
					}
				}()
				return WriteFunc(f, path, func(w io.Writer) error {
					if _, err := w.Write([]byte("new")); err != nil {
						return err
					}
					if tc.panics {
						panic("panic")
					}
					return nil
				}, tc.opts)
			}()
			gotErr := ""
			if err != nil {
				gotErr = strings.ReplaceAll(err.Error(), dir, "DIR")
				var pe *fs.PathError
				if !tc.panics && (!errors.As(err, &pe) || pe.Path != path) {
					t.Errorf("error %#v is not an *fs.PathError naming %s", err, path)
				}
				if tc.fail != "" && !errors.Is(err, errFault) {
					t.Errorf("error %v does not wrap its cause", err)
				}
			}
			if gotErr != tc.wantErr {
				t.Errorf("error %q; want %q", gotErr, tc.wantErr)
			}
			if got := listDir(t, dir); !slices.Equal(got, tc.want) {
				t.Errorf("directory after: %q; want %q", got, tc.want)
			}
			if tc.wantOps != nil && !slices.Equal(f.ops, tc.wantOps) {
				t.Errorf("steps %q; want %q", f.ops, tc.wantOps)
			}
		})
	}
}

func mode(m fs.FileMode) *fs.FileMode { return &m }

// TestPattern checks where the temporary file lies and what it is called:
// beside the file, under the caller's pattern or the default one.
func TestPattern(t *testing.T) {
	for _, tc := range []struct {
		name, pattern  string
		prefix, suffix string
	}{
		{"article.md", "", ".article.md.tmp-", ""},
		{".public.digest-cache", "", ".public.digest-cache.tmp-", ""},
		{"article.md", ".import-*.tmp", ".import-", ".tmp"},
		{"article.md", ".import-", ".import-", ""},
		{"article.md", "a*b*c", "a*b", "c"},
	} {
		dir := t.TempDir()
		f := &faultFS{dir: dir}
		if err := Write(f, filepath.Join(dir, tc.name), []byte("x"), Options{Pattern: tc.pattern}); err != nil {
			t.Fatal(err)
		}
		got := filepath.Base(f.tmp)
		random := strings.TrimSuffix(strings.TrimPrefix(got, tc.prefix), tc.suffix)
		if filepath.Dir(f.tmp) != dir || !strings.HasPrefix(got, tc.prefix) || !strings.HasSuffix(got, tc.suffix) || len(random) < 8 {
			t.Errorf("%s with pattern %q: temporary file %s; want %s<random>%s in %s", tc.name, tc.pattern, f.tmp, tc.prefix, tc.suffix, dir)
		}
	}
}

// TestConcurrent writes one file from many goroutines at once: no two
// share a temporary file, every write succeeds, the file holds one of the
// writes whole, and nothing else is left.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	const writers = 32
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			data := []byte(strings.Repeat(fmt.Sprint(i%10), 1<<16))
			errs[i] = Write(OS{}, path, data, Options{Pattern: ".cache-*"})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	got := listDir(t, dir)
	if len(got) != 1 || !strings.HasPrefix(got[0], "cache ") {
		t.Fatalf("directory after: %d entries, %.60q...; want the file alone", len(got), got)
	}
	data, _ := os.ReadFile(path)
	if len(data) != 1<<16 || strings.Count(string(data), string(data[:1])) != len(data) {
		t.Errorf("the file is not one write whole: %d bytes starting %.20q", len(data), data)
	}
}

// BenchmarkWrite writes a file the size of a 10,000-article site's build
// cache file (8.5 MB), synced or not, into the test's temporary
// directory: the cost of Sync on the build's cache write, whose figures
// docs/ARCHITECTURE.md gives.
func BenchmarkWrite(b *testing.B) {
	data := []byte(strings.Repeat("cache file bytes ", 8_500_000/17))
	for _, sync := range []bool{false, true} {
		b.Run(fmt.Sprintf("sync=%v", sync), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), ".public.digest-cache")
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if err := Write(OS{}, path, data, Options{Sync: sync}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
