// Command digest-html reads one HTML page on standard input and writes
// its story and metadata (an htmlpage.Page) as JSON on standard output.
// The digest binary runs it for each HTML page it imports, so that only
// this program links go-trafilatura (see package htmlpage).
//
// Usage:
//
//	digest-html [--url ADDRESS] [--content-type TYPE] < page.html
//	digest-html --serve
//
// A page that is not one, or has no story, exits with status 1 and the
// reason on standard error as "digest-html: REASON"; bad usage exits
// with status 2.
//
// With --serve it reads pages until standard input ends, so that the
// start-up of the extraction library is paid once, not once per page:
// each request is a JSON object {"URL", "ContentType", "Page"} (the page
// in base64, as encoding/json writes bytes), each answer a JSON object
// {"Page"} or {"Error"}, in order; see package htmlpage/external.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"digest/generator/htmlpage"
	"digest/generator/htmlpage/external"
	"digest/generator/htmlpage/extract"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest-html", flag.ContinueOnError)
	fl.SetOutput(stderr)
	pageURL := fl.String("url", "", "the `address` the page was fetched from, which resolves a relative canonical link")
	contentType := fl.String("content-type", "", "the Content-Type the page was served with, whose charset wins over the page's own")
	serveFlag := fl.Bool("serve", false, "read JSON requests on standard input and answer each on standard output, until standard input ends")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *serveFlag {
		if err := serve(stdin, stdout); err != nil {
			fmt.Fprintf(stderr, "digest-html: %v\n", err)
			return 2
		}
		return 0
	}
	if fl.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: digest-html [--url ADDRESS] [--content-type TYPE] < page.html")
		return 2
	}
	data, err := io.ReadAll(io.LimitReader(stdin, htmlpage.MaxSize+1))
	if err != nil {
		fmt.Fprintf(stderr, "digest-html: read standard input: %v\n", err)
		return 2
	}
	if len(data) > htmlpage.MaxSize {
		fmt.Fprintf(stderr, "digest-html: page is larger than %d MB\n", htmlpage.MaxSize>>20)
		return 1
	}
	page, err := extract.Read(data, *pageURL, *contentType)
	if err != nil {
		fmt.Fprintf(stderr, "digest-html: %v\n", err)
		return 1
	}
	if err := json.NewEncoder(stdout).Encode(page); err != nil {
		fmt.Fprintf(stderr, "digest-html: write standard output: %v\n", err)
		return 2
	}
	return 0
}

// serve answers each request read from in on out until in ends.
func serve(in io.Reader, out io.Writer) error {
	dec := json.NewDecoder(in)
	enc := json.NewEncoder(out)
	for {
		var req external.Request
		if err := dec.Decode(&req); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("read request: %v", err)
		}
		var ans external.Answer
		page, err := extract.Read(req.Page, req.URL, req.ContentType)
		if err != nil {
			ans.Error = err.Error()
		} else {
			ans.Page = page
		}
		if err := enc.Encode(ans); err != nil {
			return fmt.Errorf("write answer: %v", err)
		}
	}
}
