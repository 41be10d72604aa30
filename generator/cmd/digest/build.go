package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"digest/generator/build"
	"digest/generator/diag"
	"digest/generator/serve"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest build", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("site", ".", "site `directory` holding content/ and layouts/")
	out := fl.String("out", "", "output `directory` (default SITE/public)")
	baseURL := fl.String("base-url", "", "absolute `URL` the site is published at (default: base_url of content/site.yaml)")
	forDisk := fl.Bool("for-disk", false, "build a copy to open from disk (file: URLs): links name index.html, search reads its index through scripts")
	quiet := fl.Bool("quiet", false, "print only errors")
	watch := fl.Bool("watch", false, "after the build, rebuild on every change to content/ and layouts/ until Ctrl-C")
	poll := fl.Bool("poll", false, "with --watch: poll for changes instead of using file system events")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest build [--site DIR] [--out DIR] [--base-url URL] [--for-disk] [--quiet] [--watch [--poll]]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "digest build: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	opts := build.Options{Site: *siteDir, Out: *out, BaseURL: *baseURL, ForDisk: *forDisk}
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			fmt.Fprintf(stderr, "digest build: SOURCE_DATE_EPOCH=%q: want seconds since 1970\n", epoch)
			return 2
		}
		opts.ModTime = time.Unix(sec, 0)
	}
	if !*quiet {
		opts.Log = stdout
	}
	opts.Once = !*watch
	b, err := build.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "digest %v\n", err)
		return 1
	}
	if *watch {
		// Watch reports failed rebuilds itself and keeps going; it returns
		// when ctx is cancelled (Ctrl-C) or the watcher cannot start.
		if err := serve.Watch(ctx, b, *siteDir, *poll, stdout); err != nil && ctx.Err() == nil {
			fmt.Fprintf(stderr, "digest build: %v\n", err)
			return 1
		}
		return 0
	}
	res, err := b.Build(ctx)
	if err != nil {
		return reportBuildErrors(stderr, err, displayOut(*siteDir, *out), b.Out())
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, w)
	}
	return 0
}

// displayOut names the output as the user gave it.
func displayOut(site, out string) string {
	if out == "" {
		return filepath.Join(site, "public")
	}
	return out
}

// reportBuildErrors prints every diagnostic of a failed build, one per
// line, then a count and what became of the output, named out and found
// at dir. A failed build never changes the output.
func reportBuildErrors(w io.Writer, err error, out, dir string) int {
	list := diag.From(err)
	for _, d := range list {
		fmt.Fprintln(w, d.Error())
	}
	what := "failed"
	if len(list) > 1 {
		what = fmt.Sprintf("%d problems", len(list))
	}
	if _, merr := build.ReadMarker(dir); merr == nil {
		fmt.Fprintf(w, "digest build: %s; nothing was written: %s still holds the previous build, unchanged\n", what, out)
	} else {
		fmt.Fprintf(w, "digest build: %s; nothing was written\n", what)
	}
	return 1
}
