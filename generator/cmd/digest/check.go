package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"digest/generator/build"
	"digest/generator/check"
	"digest/generator/content"
)

// runCheck verifies a built site: digest check [--site DIR] [--out DIR]
// [--base-url URL]. It prints each problem on stdout and exits 1 when there
// is any.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	site := fl.String("site", ".", "site root `DIR`")
	out := fl.String("out", "", "built output `DIR` to check (default DIR/public)")
	baseURL := fl.String("base-url", "", "`URL` the site is served at (default: the one the output was built for, else base_url of content/site.yaml)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest check [--site DIR] [--out DIR] [--base-url URL]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Verify a built site: internal links, anchors and assets resolve under the")
		fmt.Fprintln(stderr, "base URL's path, feeds and sitemap are well-formed with absolute URLs, no")
		fmt.Fprintln(stderr, "page is orphaned. Exits 1 when it finds a problem.")
		fmt.Fprintln(stderr)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "digest check: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	m, merr := build.ReadMarker(*out)
	if merr == nil && m.ForDisk {
		// Its links name index.html and its 404.html links relatively:
		// right on disk, not what a server at any missing path needs.
		fmt.Fprintf(stderr, "digest check: %s was built for disk (digest build --for-disk), not to be served; check a build made without --for-disk\n", *out)
		return 1
	}
	if *baseURL == "" && merr == nil {
		*baseURL = m.BaseURL // the base URL the output was built for
	}
	if *baseURL == "" {
		reg, err := content.LoadRegistries(os.DirFS(*site))
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		*baseURL = reg.Config.BaseURL
	}

	problems, err := check.Dir(ctx, *out, *baseURL)
	if err != nil {
		fmt.Fprintf(stderr, "digest %v\n", err)
		return 1
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(stderr, "digest check: %d problems in %s (base URL %s)\n", len(problems), *out, *baseURL)
		return 1
	}
	fmt.Fprintf(stdout, "digest check: %s is ready for %s\n", *out, *baseURL)
	return 0
}
