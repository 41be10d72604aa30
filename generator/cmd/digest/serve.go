package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"digest/generator/serve"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("digest serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	siteDir := fl.String("site", ".", "site `directory` holding content/ and layouts/")
	bind := fl.String("bind", "127.0.0.1", "`address` to listen on; anything but loopback exposes the preview to the network")
	port := fl.Int("port", 1313, "TCP `port` to listen on")
	baseURL := fl.String("base-url", "", "`URL` to build and serve the site under (default http://BIND:PORT plus the path of content/site.yaml's base_url)")
	poll := fl.Bool("poll", false, "poll for changes instead of using file system events (network or container mounts)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: digest serve [--site DIR] [--bind ADDR] [--port N] [--base-url URL] [--poll]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "digest serve: unexpected argument %q\n", fl.Arg(0))
		fl.Usage()
		return 2
	}
	err := serve.Run(ctx, serve.Config{
		Site:    *siteDir,
		Bind:    *bind,
		Port:    *port,
		BaseURL: *baseURL,
		Poll:    *poll,
		Log:     stdout,
	})
	if err != nil {
		fmt.Fprintf(stderr, "digest serve: %v\n", err)
		return 1
	}
	return 0
}
