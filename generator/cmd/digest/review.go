package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"digest/generator/diag"
	"digest/generator/review"
)

func runReview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest review", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("site", ".", "site `directory` whose content/articles are listed")
	asJSON := fl.Bool("json", false, "print the queue as JSON, for scripts")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest review [--site DIR] [--json]")
		fmt.Fprintln(stderr, "Lists the articles with fields still to review, newest first. See docs/IMPORT.md.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "digest review: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	if fi, err := os.Stat(*siteDir); err != nil || !fi.IsDir() {
		fmt.Fprintf(stderr, "digest review: --site %s: not a folder\n", *siteDir)
		return 1
	}
	queue, err := review.Queue(os.DirFS(*siteDir))
	write := review.WriteText
	if *asJSON {
		write = review.WriteJSON
	}
	if werr := write(stdout, queue); werr != nil {
		fmt.Fprintf(stderr, "digest review: %v\n", werr)
		return 1
	}
	if err != nil {
		for _, d := range diag.From(err) {
			fmt.Fprintln(stderr, d.Error())
		}
		return 1
	}
	return 0
}
