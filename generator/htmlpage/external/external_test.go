package external

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"digest/generator/htmlpage/extract"
)

// program is digest-html built for this test run by TestMain, or "" when
// it could not be built (buildErr says why).
var program, buildErr = "", error(nil)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "digest-html-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	program = filepath.Join(dir, Name)
	out, err := exec.Command("go", "build", "-o", program, "digest/generator/cmd/digest-html").CombinedOutput()
	if err != nil {
		program, buildErr = "", fmt.Errorf("go build digest-html: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func newProgram(t *testing.T, limit int, timeout time.Duration) *Program {
	t.Helper()
	if program == "" {
		t.Skipf("digest-html could not be built: %v", buildErr)
	}
	return New(program, limit, timeout)
}

// TestSameAsInProcess checks that the program gives what extract.Read
// gives, pages and errors alike, on pages that exercise every field.
func TestSameAsInProcess(t *testing.T) {
	prog := newProgram(t, 2, 0)
	defer prog.Close()
	pages, _ := filepath.Glob(filepath.Join("..", "extract", "testdata", "*.html"))
	if len(pages) == 0 {
		t.Fatal("no test pages in ../extract/testdata")
	}
	type input struct {
		name, url, contentType string
		data                   []byte
	}
	var inputs []input
	for _, p := range pages {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{filepath.Base(p), "https://herald.example/world/a", "", data})
	}
	inputs = append(inputs,
		input{"empty", "", "", []byte(" \n")},
		input{"binary", "", "", []byte("%PDF-1.4\x00\x01")},
		input{"no story", "", "", []byte("<html><body><nav><a href=/>Home</a></nav></body></html>")},
		input{"served charset", "", "text/html; charset=windows-1251", []byte("<html><title>\xcf\xe5\xf0\xe5\xe3\xee\xe2\xee\xf0\xfb</title><body><article><p>" +
			strings.Repeat("\xc4\xe5\xeb\xe5\xe3\xe0\xf6\xe8\xe8 \xe2\xf1\xf2\xf0\xe5\xf2\xe8\xeb\xe8\xf1\xfc \xe2 \xd1\xf2\xe0\xec\xe1\xf3\xeb\xe5. ", 20) + "</p></article></body></html>")},
	)
	for _, in := range inputs {
		want, wantErr := extract.Read(in.data, in.url, in.contentType)
		got, err := prog.Read(context.Background(), in.data, in.url, in.contentType)
		if fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Errorf("%s: got error %v; want %v", in.name, err, wantErr)
			continue
		}
		if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
			t.Errorf("%s: got %s; want %s", in.name, g, w)
		}
	}
}

// TestProgramFails checks the errors that are the program's, not the
// page's: one that is not there, one that fails, one that hangs.
func TestProgramFails(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to write stand-in programs with")
	}
	for _, tc := range []struct {
		name, path string
		timeout    time.Duration
		want       string
	}{
		{"missing", filepath.Join(dir, "nope"), 0, "digest-html failed: "},
		{"crashes", script("crash", "echo boom >&2; exit 3"), 0, "digest-html failed: exit status 3: boom"},
		{"garbage", script("garbage", "read line; echo '{'"), 0, "digest-html failed: unexpected EOF"},
		{"hangs", script("hang", "exec sleep 10"), 200 * time.Millisecond, "digest-html: no answer after 200ms"},
	} {
		prog := New(tc.path, 1, tc.timeout)
		_, err := prog.Read(context.Background(), []byte("<p>x</p>"), "", "")
		prog.Close()
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: got error %v; want one starting %q", tc.name, err, tc.want)
		}
	}
}

// TestFind checks that a missing program is reported with what to do.
func TestFind(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if _, err := Find(); err != ErrNotFound {
		t.Errorf("got %v; want %v", err, ErrNotFound)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, Name), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	if got, err := Find(); err != nil || got != filepath.Join(dir, Name) {
		t.Errorf("got %q, %v; want %q", got, err, filepath.Join(dir, Name))
	}
}
