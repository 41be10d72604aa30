// Command fastgen writes generator/render/fastpath_gen.go from the default
// layouts; `make generate` (go generate ./...) runs it in the render package's
// directory. It prints what stays a template, and why.
package main

import (
	"flag"
	"fmt"
	"os"

	"digest/generator/render/internal/fastgen"
)

func main() {
	renderDir := flag.String("render", ".", "the render package's `directory`")
	layouts := flag.String("layouts", "../../layouts", "the default layouts' `directory`")
	out := flag.String("o", "fastpath_gen.go", "the `file` to write")
	variable := flag.String("var", "", "the fastCode `variable` to set (default fastGenerated)")
	prefix := flag.String("prefix", "", "the `prefix` of the generated functions' names (default fast)")
	flag.Parse()
	res, err := fastgen.Generate(fastgen.Config{RenderDir: *renderDir, LayoutsDir: *layouts, Var: *variable, Prefix: *prefix})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fastgen:", err)
		os.Exit(1)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(os.Stderr, "fastgen:", n)
	}
	if err := os.WriteFile(*out, res.Source, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "fastgen:", err)
		os.Exit(1)
	}
}
