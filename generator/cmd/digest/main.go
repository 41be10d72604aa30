// Command digest builds, imports, previews and checks a briefing digest.
//
// It is a thin layer: it parses flags, sets up a context cancelled on
// Ctrl-C, and calls one function of the library under generator/.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"digest/generator/build"
)

// version is set at link time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand of digest.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "build the site into public/", runBuild},
		{"import", "import raw scraped pages as articles", runImport},
		{"review", "list the articles with fields still to review", runReview},
		{"serve", "build, serve on loopback and rebuild on change", runServe},
		{"check", "verify the links, feeds and sitemap of a built site", runCheck},
		{"version", "print the version", runVersion},
		{"help", "show this help", nil},
	}
}

func main() {
	build.TuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the exit status: 0 on success,
// 1 when the work failed, 2 for a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "digest: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: digest <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `run "digest <command> -h" for a command's flags`)
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: digest version")
		return 2
	}
	fmt.Fprintln(stdout, "digest", version)
	return 0
}
