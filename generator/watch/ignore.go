package watch

import (
	"path/filepath"
	"strings"
)

// Ignored reports whether a change to the file or directory at path is
// noise from an editor, version control or the operating system rather
// than an edit of the site. It looks at the base name only.
//
// Hidden names (starting with ".") are ignored: atomic-save editors write a
// hidden temporary file and rename it over the real one, and the rename is
// reported under the real name. Hidden directories such as .git are not
// watched at all.
func Ignored(path string) bool {
	name := filepath.Base(path)
	switch {
	case name == "." || name == "..":
		return false
	case strings.HasPrefix(name, "."):
		// .article.md.swp (vim), .#article.md (emacs lock), .DS_Store
		// (macOS Finder), .article.md.tmp1234 and .goutputstream-X
		// (atomic savers), .git.
		return true
	case name == "4913":
		// vim creates and deletes this file to test whether it may
		// write in the directory.
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		// emacs auto-save files.
		return true
	case strings.HasSuffix(name, "~"):
		// backup files of vim, emacs, nano and gedit.
		return true
	case len(name) == len("sedXXXXXX") && strings.HasPrefix(name, "sed") && !strings.Contains(name, "."):
		// sed -i writes its output to sedXXXXXX beside the file, then
		// renames it over the file.
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".swp", ".swx", ".swo", ".tmp", ".bak":
		// vim swap files; temporary and backup files of many tools.
		return true
	}
	// JetBrains IDEs save through article.md___jb_tmp___ and keep
	// article.md___jb_old___ for a moment.
	return strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___")
}
