//go:build !windows

package serve

import (
	"errors"
	"syscall"
)

// addrInUse reports whether err says the address is taken.
func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
