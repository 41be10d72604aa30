// Command floor times the floor of a build on a site: read each article,
// parse its front matter, render its markdown, write its HTML, on all cores
// (see package bench).
//
//	floor -site DIR -out DIR [-cpuprofile FILE]
//
// It prints one line: articles, bytes of HTML and seconds.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"digest/generator/bench"
	"digest/generator/build"
)

func main() {
	build.TuneGC()
	fs := flag.NewFlagSet("floor", flag.ContinueOnError)
	site := fs.String("site", ".", "site directory holding content/articles")
	out := fs.String("out", "", "output directory (required)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: floor -site DIR -out DIR [-cpuprofile FILE]")
		os.Exit(2)
	}
	if err := run(*site, *out, *cpuprofile); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(site, out, cpuprofile string) error {
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	res, err := bench.Floor(site, out)
	if err != nil {
		return err
	}
	fmt.Printf("floor: %d articles, %d bytes of HTML in %.3f s\n", res.Articles, res.Bytes, time.Since(start).Seconds())
	return nil
}
