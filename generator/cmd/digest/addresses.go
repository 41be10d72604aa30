package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"digest/generator/diag"
	"digest/generator/fetch"
)

// isAddress reports whether a PATH argument of digest import is a web
// address to fetch rather than a file.
func isAddress(arg string) bool {
	return strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
}

// readAddresses reads a --urls file: one address a line; blank lines and
// lines starting with # are skipped.
func readAddresses(file string) ([]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !isAddress(line) {
			return nil, fmt.Errorf("%s:%d: want an http or https address, not %q", filepath.ToSlash(file), n, line)
		}
		out = append(out, line)
	}
	return out, sc.Err()
}

// fetchAddresses saves the pages at addresses into the site's inbox,
// printing progress to stderr, and returns their files for the importer
// and the addresses that failed.
func fetchAddresses(ctx context.Context, site string, force bool, addresses []string, stderr io.Writer) ([]string, diag.List) {
	if len(addresses) == 0 {
		return nil, nil
	}
	inbox := filepath.Join(site, "content", "inbox")
	files, err := fetch.Fetch(ctx, fetch.Options{Inbox: inbox, Force: force, Log: stderr}, addresses)
	list := diag.From(err)
	if err != nil && len(list) == 0 {
		list.Addf(filepath.ToSlash(inbox), 0, "fetch: %v", err)
	}
	return files, list
}

// splitAddresses separates the addresses among the PATH arguments and
// adds those of the --urls file; a non-zero code is a usage error,
// already reported.
func splitAddresses(args []string, urlsFile string, dryRun bool, stderr io.Writer) (paths, addresses []string, code int) {
	for _, a := range args {
		if isAddress(a) {
			addresses = append(addresses, a)
		} else {
			paths = append(paths, a)
		}
	}
	if urlsFile != "" {
		more, err := readAddresses(urlsFile)
		if err != nil {
			fmt.Fprintf(stderr, "digest import: --urls: %v\n", err)
			return nil, nil, 2
		}
		addresses = append(addresses, more...)
	}
	if dryRun && len(addresses) > 0 {
		fmt.Fprintln(stderr, "digest import: --dry-run writes nothing, so it fetches nothing: import the addresses without it, or save the pages first")
		return nil, nil, 2
	}
	return paths, addresses, 0
}
