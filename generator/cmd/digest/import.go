package main

import (
	"context"
	"fmt"
	"io"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "digest import: not implemented yet")
	return 1
}
