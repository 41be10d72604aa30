package serve

import (
	"errors"
	"syscall"
)

// addrInUse reports whether err says the address is taken. Windows reports
// WSAEADDRINUSE, which is not syscall.EADDRINUSE there.
func addrInUse(err error) bool {
	const wsaeaddrinuse = syscall.Errno(10048)
	return errors.Is(err, wsaeaddrinuse) || errors.Is(err, syscall.EADDRINUSE)
}
