package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"

	"digest/generator/content"
	"digest/generator/diag"
	"digest/generator/htmlpage"
	"digest/generator/htmlpage/external"
	"digest/generator/importer"
)

// htmlPrograms is how many digest-html processes run at most: each takes
// tens of megabytes, and the importer's workers, one per core, would
// otherwise start one each on a large machine.
const htmlPrograms = 4

// htmlReader returns the importer's HTML reader: the digest-html program
// beside this executable or on PATH, which links the extraction library
// this binary must not (see package htmlpage). When it is missing, each
// HTML page is refused saying so, and text pages are still imported.
// The second function ends the processes started.
func htmlReader() (importer.HTMLReader, func()) {
	path, err := external.Find()
	if err != nil {
		return func(context.Context, []byte, string, string) (*htmlpage.Page, error) {
			return nil, err
		}, func() {}
	}
	prog := external.New(path, min(htmlPrograms, runtime.GOMAXPROCS(0)), external.Timeout)
	return prog.Read, func() { prog.Close() }
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest import", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("site", ".", "site `directory` whose registries (content/*.yaml) are used")
	out := fl.String("out", "", "`directory` the articles are written to (default SITE/content/articles)")
	force := fl.Bool("force", false, "re-import over existing articles, keeping what editors wrote (a backup of each goes to SITE/.import-backups)")
	discard := fl.Bool("discard-edits", false, "with --force: drop editors' edits and re-import as if there were no article")
	dryRun := fl.Bool("dry-run", false, "print what would be imported; write nothing")
	fetchedAt := fl.String("fetched-at", "", "`date` the pages were scraped (YYYY-MM-DD or RFC 3339), for \"6 days ago\"")
	urlsFile := fl.String("urls", "", "`file` of addresses to fetch and import, one a line")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest import [--site DIR] [--out DIR] [--force [--discard-edits]] [--dry-run] [--fetched-at DATE] [--urls FILE] PATH|URL...")
		fmt.Fprintln(stderr, "PATH is a raw page (.txt, .html, .htm, .html.gz) or a folder of them; URL a page to fetch into content/inbox/. See docs/IMPORT.md.")
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
	paths, addresses, code := splitAddresses(paths, *urlsFile, *dryRun, stderr)
	if code != 0 {
		return code
	}
	if len(paths) == 0 && len(addresses) == 0 {
		fmt.Fprintln(stderr, "digest import: no PATH given")
		fl.Usage()
		return 2
	}
	if *discard && !*force {
		fmt.Fprintln(stderr, "digest import: --discard-edits needs --force: without it no article is overwritten")
		return 2
	}
	opts := importer.Options{Site: *siteDir, Out: *out, Force: *force, DiscardEdits: *discard, DryRun: *dryRun, Log: stdout}
	readHTML, closeHTML := htmlReader()
	defer closeHTML()
	opts.ReadHTML = readHTML
	if *fetchedAt != "" {
		t, err := content.ParseDate(*fetchedAt)
		if err != nil {
			fmt.Fprintf(stderr, "digest import: --fetched-at %q: want YYYY-MM-DD or RFC 3339\n", *fetchedAt)
			return 2
		}
		opts.FetchedAt = t.UTC()
	}
	fetched, failed := fetchAddresses(ctx, *siteDir, *force, addresses, stderr)
	if err := importer.Import(ctx, opts, append(paths, fetched...)); err != nil || len(failed) > 0 {
		list := append(failed, diag.From(err)...).Sort()
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
