package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/importer"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("site", ".", "site `directory` whose registries (content/*.yaml) are used")
	out := fl.String("out", "", "`directory` the articles are written to (default SITE/content/articles)")
	force := fl.Bool("force", false, "re-import over existing articles, keeping the fields an editor confirmed")
	dryRun := fl.Bool("dry-run", false, "print what would be imported; write nothing")
	fetchedAt := fl.String("fetched-at", "", "`date` the pages were scraped (YYYY-MM-DD or RFC 3339), for \"6 days ago\"")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest import [--site DIR] [--out DIR] [--force] [--dry-run] [--fetched-at DATE] PATH...")
		fmt.Fprintln(stderr, "PATH is a raw page (.txt, .html, .htm, .html.gz) or a folder of them. See docs/IMPORT.md.")
		fl.PrintDefaults()
	}
	// Flags may come before or after the paths.
	var paths []string
	for {
		if err := fl.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			return 2
		}
		if fl.NArg() == 0 {
			break
		}
		paths = append(paths, fl.Arg(0))
		args = fl.Args()[1:]
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "digest import: no PATH given")
		fl.Usage()
		return 2
	}
	opts := importer.Options{Site: *siteDir, Out: *out, Force: *force, DryRun: *dryRun, Log: stdout}
	if *fetchedAt != "" {
		t, err := content.ParseDate(*fetchedAt)
		if err != nil {
			fmt.Fprintf(stderr, "digest import: --fetched-at %q: want YYYY-MM-DD or RFC 3339\n", *fetchedAt)
			return 2
		}
		opts.FetchedAt = t.UTC()
	}
	if err := importer.Import(ctx, opts, paths); err != nil {
		list := diag.From(err)
		for _, d := range list {
			fmt.Fprintln(stderr, d.Error())
		}
		if len(list) == 0 {
			fmt.Fprintf(stderr, "digest import: %v\n", err)
		}
		return 1
	}
	return 0
}
