package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	quiet := fl.Bool("quiet", false, "print only errors")
	watch := fl.Bool("watch", false, "after the build, rebuild on every change to content/ and layouts/ until Ctrl-C")
	poll := fl.Bool("poll", false, "with --watch: poll for changes instead of using file system events")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest build [--site DIR] [--out DIR] [--base-url URL] [--quiet] [--watch [--poll]]")
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
	opts := build.Options{Site: *siteDir, Out: *out, BaseURL: *baseURL}
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
		fmt.Fprintln(stderr, err)
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
	if _, err := b.Build(ctx); err != nil {
		return reportErrors(stderr, "build", err)
	}
	return 0
}

// reportErrors prints every diagnostic of err, one per line, and a count.
func reportErrors(w io.Writer, op string, err error) int {
	list := diag.From(err)
	for _, d := range list {
		fmt.Fprintln(w, d.Error())
	}
	if len(list) > 1 {
		fmt.Fprintf(w, "digest %s: %d problems; nothing was written\n", op, len(list))
	} else {
		fmt.Fprintf(w, "digest %s: failed; nothing was written\n", op)
	}
	return 1
}
