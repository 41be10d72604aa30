// Command gencorpus writes a synthetic digest site for benchmarks.
//
//	gencorpus -n 10000 -out DIR [-seed 1]
//
// DIR receives content/site.yaml, topics.yaml, rounds.yaml, sources.yaml and
// n articles in content/articles/. The same n and seed always give the same
// files.
package main

import (
	"flag"
	"fmt"
	"os"

	"digest/generator/corpus"
)

func main() {
	fs := flag.NewFlagSet("gencorpus", flag.ContinueOnError)
	n := fs.Int("n", 1000, "number of articles")
	out := fs.String("out", "", "site directory to write (required)")
	seed := fs.Int64("seed", 1, "seed of the generator")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus -n N -out DIR [-seed S]")
		os.Exit(2)
	}
	if err := corpus.Write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}
