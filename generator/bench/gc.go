package bench

import (
	"os"
	"runtime/debug"
)

// TuneGC applies the garbage collector settings the digest command uses
// (generator/cmd/digest: GOGC 400, a 1.5 GB soft memory limit) unless the
// environment sets GOGC or GOMEMLIMIT, so the timing commands measure the
// floor and the build under the same collector as `digest build`.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1536 << 20)
	}
}
