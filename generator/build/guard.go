package build

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// An output directory is the build's, or the build refuses it. A build
// replaces the whole directory, so pointing --out at the wrong place would
// delete whatever is there: New refuses the root of the file system, the
// home directory, the site root and any directory above it, anything
// inside content/ or layouts/, a symbolic link, and an existing directory
// that holds files but no marker (see markerName). Paths are compared
// after resolving symbolic links and "..".

// markerName is the file every build writes at the root of its output. It
// says a digest build made the directory, the base URL the site was built
// for and the build's id, a digest of every file's name and bytes: two
// builds of the same content have the same id, so the output stays
// reproducible. It looks like this:
//
//	digest build
//	base-url: https://owner.github.io/repo/
//	build: 3f2c9a0d17b4e655
//
// A build for disk (Options.ForDisk) adds a last line, "for: disk".
const markerName = ".digest-build"

// Marker is what the marker file of an output says.
type Marker struct {
	BaseURL string // the base URL the site was built for
	ForDisk bool   // the site was built to be opened from disk
	ID      uint64 // the build's id
}

// ReadMarker reads the marker file of the output directory dir. It fails
// when dir holds none, that is when no digest build made it.
func ReadMarker(dir string) (Marker, error) {
	fi, err := os.Lstat(filepath.Join(dir, markerName))
	if err != nil {
		return Marker{}, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > 4096 {
		return Marker{}, fmt.Errorf("%s: not a digest build marker", filepath.Join(dir, markerName))
	}
	data, err := os.ReadFile(filepath.Join(dir, markerName))
	if err != nil {
		return Marker{}, err
	}
	m, ok := parseMarker(data)
	if !ok {
		return Marker{}, fmt.Errorf("%s: not a digest build marker", filepath.Join(dir, markerName))
	}
	return m, nil
}

// markerForDisk is the line the marker of a build for disk ends with.
const markerForDisk = "for: disk"

func (m Marker) bytes() []byte {
	b := fmt.Appendf(nil, "digest build\nbase-url: %s\nbuild: %016x\n", m.BaseURL, m.ID)
	if m.ForDisk {
		b = append(b, markerForDisk+"\n"...)
	}
	return b
}

func parseMarker(data []byte) (Marker, bool) {
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	forDisk := len(lines) == 4 && lines[3] == markerForDisk
	if forDisk {
		lines = lines[:3]
	}
	if len(lines) != 3 || lines[0] != "digest build" ||
		!strings.HasPrefix(lines[1], "base-url: ") || !strings.HasPrefix(lines[2], "build: ") {
		return Marker{}, false
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(lines[2], "build: "), 16, 64)
	if err != nil {
		return Marker{}, false
	}
	return Marker{BaseURL: strings.TrimPrefix(lines[1], "base-url: "), ForDisk: forDisk, ID: id}, true
}

// buildID is the id of a build built for baseURL whose files sum to
// files (see filesID).
func buildID(files uint64, baseURL string) uint64 { return files + sum([]byte(baseURL)) }

// filesID sums a hash of each file's name and bytes: it does not depend on
// the order the files were made in, and a rebuild updates it by what
// changed (see updateFilesID) instead of hashing every name again.
func filesID(files map[string]fileState) uint64 {
	var id uint64
	var buf []byte
	for name, st := range files {
		id += fileHash(buf, name, st)
	}
	return id
}

func fileHash(buf []byte, name string, st fileState) uint64 {
	buf = append(buf[:0], name...)
	buf = append(buf, 0)
	buf = binary.LittleEndian.AppendUint64(buf, st.Sum)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(st.Size))
	return sum(buf)
}

// updateFilesID is filesID of next, given id, filesID of prev, the files
// whose bytes changed and those gone.
func updateFilesID(id uint64, prev, next map[string]fileState, changed, gone []string) uint64 {
	var buf []byte
	for _, name := range changed {
		if st, ok := prev[name]; ok {
			id -= fileHash(buf, name, st)
		}
		id += fileHash(buf, name, next[name])
	}
	for _, name := range gone {
		id -= fileHash(buf, name, prev[name])
	}
	return id
}

// goneFiles lists the files of prev that next does not have, given the
// files of next whose bytes are not those of prev. It looks through prev
// only when the counts say some are gone.
func goneFiles(prev, next map[string]fileState, changed []string) []string {
	added := 0
	for _, name := range changed {
		if _, ok := prev[name]; !ok {
			added++
		}
	}
	if len(prev)-(len(next)-added) == 0 {
		return nil
	}
	var gone []string
	for name := range prev {
		if _, ok := next[name]; !ok {
			gone = append(gone, name)
		}
	}
	return gone
}

// outputPaths names the output directory and what a build keeps beside
// it: for an output public, in the same parent directory,
//
//	.public.digest-cache    fingerprints of the last build (see cache.go)
//	.public.digest-spare    the build before the last, made the next one
//	                        by writing what changed, then swapped in
//	.public.digest-lock     held while a build runs
//	.public.staging-*       a whole new build being written
type outputPaths struct {
	out    string // absolute
	parent string
	base   string
}

func newOutputPaths(out string) outputPaths {
	return outputPaths{out: out, parent: filepath.Dir(out), base: filepath.Base(out)}
}

func (o outputPaths) beside(suffix string) string {
	return filepath.Join(o.parent, "."+o.base+suffix)
}

func (o outputPaths) cache() string { return o.beside(".digest-cache") }
func (o outputPaths) spare() string { return o.beside(".digest-spare") }
func (o outputPaths) lock() string  { return o.beside(".digest-lock") }

// stagingPrefix starts the name of every staging directory; the next
// build removes those a killed one left.
func (o outputPaths) stagingPrefix() string { return "." + o.base + ".staging-" }

// leftovers lists what killed builds left beside the output: staging
// directories (and their .old moves) and temporary cache files.
func (o outputPaths) leftovers() []string {
	entries, err := os.ReadDir(o.parent)
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, o.stagingPrefix()) ||
			strings.HasPrefix(n, "."+o.base+".digest-cache.tmp-") ||
			strings.HasPrefix(n, ".tmp-."+o.base+".digest-cache-") { // left by older versions
			found = append(found, filepath.Join(o.parent, n))
		}
	}
	return found
}

// refuseOutput returns why out may not be the output of the site, or nil.
// given is out as the user wrote it, for the message.
func refuseOutput(site, out, given string) error {
	refuse := func(why string) error {
		return fmt.Errorf("build: output %s: %s", given, why)
	}
	fi, err := os.Lstat(out)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// Replacing the link by a directory would lose where it
		// pointed; building into its target leaves the link alone.
		target, _ := os.Readlink(out)
		return refuse(fmt.Sprintf("is a symbolic link to %s; give its target as --out to build there, or remove the link", target))
	}
	realOut, err := resolve(out)
	if err != nil {
		return refuse(err.Error())
	}
	realSite, err := resolve(site)
	if err != nil {
		return fmt.Errorf("build: site %s: %v", site, err)
	}
	switch {
	case realOut == filepath.Dir(realOut):
		return refuse("is the root of the file system; choose another --out")
	case isHome(realOut):
		return refuse("is the home directory; choose another --out")
	case realOut == realSite:
		return refuse("is the site root; choose another --out, such as " + filepath.Join(site, "public"))
	case within(realSite, realOut):
		return refuse("contains the site " + site + "; choose another --out, such as " + filepath.Join(site, "public"))
	}
	for _, d := range []string{"content", "layouts"} {
		if realOut == filepath.Join(realSite, d) || within(realOut, filepath.Join(realSite, d)) {
			return refuse("inside the site's " + d + "/ directory; choose another --out")
		}
	}
	fi, err = os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return refuse(err.Error())
	case !fi.IsDir():
		return refuse("exists and is not a directory; remove it or choose another --out")
	}
	f, err := os.Open(out)
	if err != nil {
		return refuse(err.Error())
	}
	names, _ := f.Readdirnames(1)
	f.Close()
	if len(names) == 0 {
		return nil
	}
	if _, err := ReadMarker(out); err == nil || madeByOlderDigest(newOutputPaths(out)) {
		return nil
	}
	return refuse("holds files that digest build did not make (it has no " + markerName + " file); empty or remove it, or choose another --out")
}

// madeByOlderDigest reports whether the output was made by a version of
// digest from before the marker file: those kept a cache file beside it.
func madeByOlderDigest(o outputPaths) bool {
	f, err := os.Open(o.cache())
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len("digest cache "))
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte("digest cache "))
}

// resolve returns the absolute path p with every symbolic link and ".."
// resolved, for the part of p that exists.
func resolve(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		parent := filepath.Dir(p)
		if parent == p {
			return "", err
		}
		rest = append([]string{filepath.Base(p)}, rest...)
		p = parent
	}
}

// within reports whether path p lies strictly inside directory dir.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func isHome(p string) bool {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return false
	}
	real, err := resolve(home)
	return err == nil && real == p
}
