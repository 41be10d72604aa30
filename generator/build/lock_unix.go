//go:build unix

package build

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockOutput takes the lock file beside the output, so that two builds
// never write the same output, nor remove each other's staging directory
// as a leftover. The lock goes with the process, killed or not.
func lockOutput(o outputPaths) (unlock func(), err error) {
	f, err := os.OpenFile(o.lock(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("build: output %s: lock: %v", o.out, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("build: output %s: another digest build is writing it (it holds %s); wait for it to end", o.out, o.lock())
		}
		return nil, fmt.Errorf("build: output %s: lock: %v", o.out, err)
	}
	return func() { f.Close() }, nil
}
