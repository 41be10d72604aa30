// Command buildtime times the digest's build in one process, the way the
// preview server uses it: a cold full build, rebuilds with nothing changed,
// and rebuilds after editing one article, all on one build.Builder set up
// as the preview server sets it up (no cache file).
//
//	buildtime -site DIR -out DIR [-runs 5] [-cpuprofile FILE] [-profile cold|warm|edit] [-memprofile FILE]
//
// The output directory and its fingerprint cache are removed first, so the
// first build is cold. The edited article is restored at the end. It prints
// one line per measure with the median of the runs, in seconds:
//
//	cold 2.101
//	warm 0.412
//	edit 0.158
//	edit-hinted 0.058
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"digest/generator/build"
)

func main() {
	build.TuneGC()
	fs := flag.NewFlagSet("buildtime", flag.ContinueOnError)
	site := fs.String("site", ".", "site directory")
	out := fs.String("out", "", "output directory (required; removed first)")
	runs := fs.Int("runs", 5, "rebuilds of each kind")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	phase := fs.String("profile", "cold", "what the CPU profile covers: the `cold` build, the `warm` rebuilds or the `edit` rebuilds")
	memprofile := fs.String("memprofile", "", "write a heap profile after the cold build to this file")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *out == "" || fs.NArg() > 0 || *runs < 1 || (*phase != "cold" && *phase != "warm" && *phase != "edit") {
		fmt.Fprintln(os.Stderr, "usage: buildtime -site DIR -out DIR [-runs N] [-cpuprofile FILE] [-profile cold|warm|edit] [-memprofile FILE]")
		os.Exit(2)
	}
	profile := map[string]string{*phase: *cpuprofile}
	if err := run(*site, *out, *runs, profile, *memprofile); err != nil {
		fmt.Fprintln(os.Stderr, "buildtime:", err)
		os.Exit(1)
	}
}

// run times the builds; profile maps a phase (cold, warm, edit) to the file
// that receives its CPU profile.
func run(site, out string, runs int, profile map[string]string, memprofile string) error {
	ctx := context.Background()
	out, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	// What the build keeps beside its output: the cache file and the
	// spare tree.
	os.RemoveAll(out)
	for _, kept := range []string{".digest-cache", ".digest-spare"} {
		os.RemoveAll(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+kept))
	}

	// As the preview server holds it: no cache file (the Builder keeps its
	// state in memory).
	b, err := build.New(build.Options{Site: site, Out: out, NoCache: true})
	if err != nil {
		return err
	}

	stop, err := startCPUProfile(profile["cold"])
	if err != nil {
		return err
	}
	start := time.Now()
	_, err = b.Build(ctx)
	cold := time.Since(start)
	stop()
	if err != nil {
		return err
	}
	if memprofile != "" {
		if err := writeHeapProfile(memprofile); err != nil {
			return err
		}
	}
	fmt.Printf("cold %.3f\n", cold.Seconds())

	warm := make([]time.Duration, runs)
	if stop, err = startCPUProfile(profile["warm"]); err != nil {
		return err
	}
	for i := range warm {
		start := time.Now()
		if _, err := b.Build(ctx); err != nil {
			return err
		}
		warm[i] = time.Since(start)
	}
	stop()
	fmt.Printf("warm %.3f\n", median(warm).Seconds())

	article, err := firstArticle(site)
	if err != nil {
		return err
	}
	original, err := os.ReadFile(article)
	if err != nil {
		return err
	}
	defer os.WriteFile(article, original, 0o644)
	rel, err := filepath.Rel(site, article)
	if err != nil {
		return err
	}
	if stop, err = startCPUProfile(profile["edit"]); err != nil {
		return err
	}
	defer stop()
	// Build finds the change by looking at every article; Rebuild is told
	// which file changed, as the preview server's watcher tells it.
	rebuilds := []struct {
		name  string
		build func() (*build.Result, error)
	}{
		{"edit", func() (*build.Result, error) { return b.Build(ctx) }},
		{"edit-hinted", func() (*build.Result, error) { return b.Rebuild(ctx, []string{filepath.ToSlash(rel)}) }},
	}
	for k, rb := range rebuilds {
		times := make([]time.Duration, runs)
		for i := range times {
			edited := fmt.Appendf(slices.Clip(original), "\nEdited for rebuild %d.\n", k*runs+i)
			if err := os.WriteFile(article, edited, 0o644); err != nil {
				return err
			}
			start := time.Now()
			res, err := rb.build()
			if err != nil {
				return err
			}
			times[i] = time.Since(start)
			if res.Written == 0 {
				return fmt.Errorf("%s: rebuild after editing %s wrote nothing", rb.name, article)
			}
		}
		fmt.Printf("%s %.3f\n", rb.name, median(times).Seconds())
	}
	return nil
}

// firstArticle returns the path of the first article of the site by name.
func firstArticle(site string) (string, error) {
	dir := filepath.Join(site, "content", "articles")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") {
			return filepath.Join(dir, e.Name()), nil
		}
	}
	return "", fmt.Errorf("no article in %s", dir)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// startCPUProfile starts a CPU profile into path, when path is set, and
// returns the function that stops it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.WriteHeapProfile(f)
}
