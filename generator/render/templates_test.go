package render

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"digest/layouts"
)

func link(target string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
}

// TestLoadTemplatesRefuses checks that a site's layouts and static files
// are read only as regular files inside the site, within their limits,
// each refusal with its exact message, all in one run.
func TestLoadTemplatesRefuses(t *testing.T) {
	site := fstest.MapFS{
		"layouts/static/env.txt":  link("/proc/self/environ"),
		"layouts/static/up.txt":   link("../../../secret"),
		"layouts/static/dev":      {Mode: fs.ModeDevice | fs.ModeCharDevice},
		"layouts/static/pipe":     {Mode: fs.ModeNamedPipe},
		"layouts/static/big.bin":  {Data: make([]byte, 32<<20+1)},
		"layouts/static/dir.txt":  link("../../content"),
		"layouts/article.html":    {Data: []byte("{{define \"main\"}}" + strings.Repeat(" ", 4<<20) + "{{end}}")},
		"layouts/home.html":       link("/etc/passwd"),
		"content/site.yaml":       {Data: []byte("title: T\n")},
		"layouts/static/fine.txt": {Data: []byte("fine")},
	}
	_, err := LoadTemplates(layouts.FS, site)
	want := []string{
		`layouts/article.html: layout: larger than the 4 MiB limit for a layout`,
		`layouts/home.html: layout: symbolic link to "/etc/passwd" leads outside the site; only files inside the site are read`,
		`layouts/static/big.bin: layout: larger than the 32 MiB limit for a static file`,
		`layouts/static/dev: layout: a device, not a regular file; only regular files are read`,
		`layouts/static/dir.txt: layout: a directory, not a regular file; only regular files are read`,
		`layouts/static/env.txt: layout: symbolic link to "/proc/self/environ" leads outside the site; only files inside the site are read`,
		`layouts/static/pipe: layout: a named pipe (FIFO), not a regular file; only regular files are read`,
		`layouts/static/up.txt: layout: symbolic link to "../../../secret" leads outside the site; only files inside the site are read`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("errors:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}

	// The static directory itself.
	for dir, want := range map[string]string{
		"layouts/static": `layouts/static: layout: not a directory; static files go in layouts/static/NAME`,
	} {
		_, err := LoadTemplates(layouts.FS, fstest.MapFS{dir: {Data: []byte("x")}})
		if err == nil || err.Error() != want {
			t.Errorf("%s a file: %v; want %s", dir, err, want)
		}
	}
	_, err = LoadTemplates(layouts.FS, fstest.MapFS{"layouts/static": link("/etc")})
	if want := `layouts/static: layout: symbolic link to "/etc" leads outside the site; only files inside the site are read`; err == nil || err.Error() != want {
		t.Errorf("layouts/static linked out: %v; want %s", err, want)
	}
}

// TestLoadTemplatesFollowsLinksInside checks that links which stay in the
// site are followed, for a layout and for static files.
func TestLoadTemplatesFollowsLinksInside(t *testing.T) {
	def, err := fs.ReadFile(layouts.FS, "home.html")
	if err != nil {
		t.Fatal(err)
	}
	site := fstest.MapFS{
		"shared/home.html":          {Data: def},
		"shared/logo.svg":           {Data: []byte("<svg/>")},
		"shared/static/extra.css":   {Data: []byte("p{}")},
		"layouts/home.html":         link("../shared/home.html"),
		"layouts/static/logo.svg":   link("../../shared/logo.svg"),
		"layouts/static/chain.svg":  link("logo.svg"),
		"layouts/static/plain.txt":  {Data: []byte("plain")},
		"layouts/static/sub/a.txt":  {Data: []byte("a")},
		"layouts/static/sub/up.txt": link("../plain.txt"),
	}
	tpl, err := LoadTemplates(layouts.FS, site)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"logo.svg": "<svg/>", "chain.svg": "<svg/>", "plain.txt": "plain", "sub/a.txt": "a", "sub/up.txt": "plain"} {
		if got := string(tpl.Static[name]); got != want {
			t.Errorf("static %s = %q; want %q", name, got, want)
		}
	}
	if tpl.origin["home.html"] != "layouts/home.html" {
		t.Errorf("home.html from %q; want the site's layouts/home.html", tpl.origin["home.html"])
	}

	// A linked static directory inside the site is walked too.
	tpl, err = LoadTemplates(layouts.FS, fstest.MapFS{"shared/static/extra.css": {Data: []byte("p{}")}, "layouts/static": link("../shared/static")})
	if err != nil || string(tpl.Static["extra.css"]) != "p{}" {
		t.Errorf("linked static directory: %v, %q; want extra.css", err, tpl.Static["extra.css"])
	}
}

// TestLayoutsKeyRefused checks that LayoutsKey reads no refused file: a
// pipe would block it, a link out would read outside the site. Their
// errors change the key instead.
func TestLayoutsKeyRefused(t *testing.T) {
	base := fstest.MapFS{"layouts/static/a.txt": {Data: []byte("a")}}
	k0 := LayoutsKey(base)
	base["layouts/static/pipe"] = &fstest.MapFile{Mode: fs.ModeNamedPipe}
	k1 := LayoutsKey(base)
	base["layouts/static/out"] = link("/etc/passwd")
	k2 := LayoutsKey(base)
	if k0 == k1 || k1 == k2 || k2 != LayoutsKey(base) {
		t.Errorf("keys %x %x %x; want each change seen, and the same key again", k0, k1, k2)
	}
}
