// Package layouts carries the digest's default layouts in the binary.
//
// The files beside this one are html/template layouts (base.html frames
// every page; each other file defines "main" for one kind of page) and
// static/, copied as it is to the output root; disk/ is copied there too
// by a build for disk only (digest build --for-disk). A site overrides any of
// them by putting a file of the same name in its own layouts/ directory.
package layouts

import "embed"

// FS holds the default layouts and static files.
//
//go:embed *.html static disk
var FS embed.FS
