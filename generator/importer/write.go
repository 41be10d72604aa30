package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"digest/generator/internal/atomicfile"
)

// BackupDir is where, under the site root, the importer keeps a copy of
// every article before it overwrites it: NAME.YYYYMMDDTHHMMSSZ.md, the
// time in UTC. It is outside content/, so the build never reads it, and
// the importer never deletes anything in it.
const BackupDir = ".import-backups"

// tmpPattern names the importer's temporary files; only it makes them.
const tmpPattern = ".import-*.tmp"

// writeAtomic writes data to path through a temporary file in the same
// folder (named by tmpPattern), renamed into place, so a reader never sees
// half a file and a killed run leaves the old file or the new one (see
// atomicfile). A new article gets mode 0644; a replaced one keeps its
// mode. With durable the file is synced before the rename, so that a
// power cut cannot leave an empty file in the place of an article: that
// costs a third of the import's speed on a busy disk, and is needed only
// to replace an article (a new one can always be imported again from its
// page).
func writeAtomic(path string, data []byte, durable bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(atomicfile.OS{}, path, data, atomicfile.Options{Sync: durable, Pattern: tmpPattern})
}

// keepBackup saves old, the bytes of the article at target, in BackupDir
// under a name no other backup has, and returns its path. It never
// replaces a file, and a backup is whole or absent: the copy is written
// and synced as a temporary file, then linked to its name.
func keepBackup(opts Options, target string, old []byte) (string, error) {
	dir := filepath.Join(opts.Site, BackupDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, tmpPattern)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(old)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		return "", err
	}
	stem := strings.TrimSuffix(filepath.Base(target), ".md")
	stamp := opts.Now().UTC().Format("20060102T150405Z")
	for i := 1; ; i++ {
		name := stem + "." + stamp
		if i > 1 {
			name += fmt.Sprintf("-%d", i)
		}
		path := filepath.Join(dir, name+".md")
		err := os.Link(tmp.Name(), path)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return path, err
	}
}

// leftoverDirs are the folders where a killed import may have left its
// temporary files: the articles folder, the inbox, the backups, and the
// folders of the pages given.
func leftoverDirs(opts Options, paths []string) []string {
	dirs := []string{
		opts.Out,
		filepath.Join(opts.Site, "content", "inbox"),
		filepath.Join(opts.Site, BackupDir),
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			dirs = append(dirs, p)
		} else {
			dirs = append(dirs, filepath.Dir(p))
		}
	}
	return dirs
}

// removeLeftovers removes the importer's temporary files from dirs and
// returns their paths, in order, each once.
func removeLeftovers(dirs []string) []string {
	var removed []string
	seen := map[string]bool{}
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil || seen[abs] {
			continue
		}
		seen[abs] = true
		matches, _ := filepath.Glob(filepath.Join(dir, tmpPattern))
		for _, m := range matches {
			if fi, err := os.Lstat(m); err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if os.Remove(m) == nil {
				removed = append(removed, m)
			}
		}
	}
	return removed
}

// plural is "1 temporary file", "2 temporary files".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
