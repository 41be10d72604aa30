package render

import (
	"strings"
	"sync"

	"digest/generator/search"
)

// A build for disk (Renderer.ForDisk) is read as file: URLs, where a
// browser neither finds a folder's index.html nor lets a page fetch():
// its links name their files (DiskPath), and the search index is written
// twice, as the JSON a server sends and as scripts (search.Script) that
// layouts/disk/search-disk.js loads with <script> elements instead.

// DiskPath returns site path p as a build for disk links it: a folder
// ("", "rounds/", "rounds/#x") names its index.html, which a web server
// finds by itself and a browser reading file: URLs does not (it shows the
// folder's listing). Any other path is returned as it is.
func DiskPath(p string) string {
	end := strings.IndexAny(p, "?#")
	if end < 0 {
		end = len(p)
	}
	if end > 0 && p[end-1] != '/' {
		return p
	}
	return p[:end] + "index.html" + p[end:]
}

// withScripts returns out writing, in a build for disk, the script form of
// each document beside it, with the document's fingerprint. A document is
// kept only while its script form is kept too; when only the document
// could be, Put then writes just the script form.
func (r *Renderer) withScripts(out SearchOutput) SearchOutput {
	if !r.ForDisk {
		return out
	}
	put, keep := out.Put, out.Keep
	var kept sync.Map // documents kept without their script form
	out.Put = func(name string, fp uint64, data []byte) {
		if _, ok := kept.Load(name); !ok {
			put(name, fp, data)
		}
		put(search.ScriptName(name), fp, search.Script(name, data))
	}
	if keep != nil {
		out.Keep = func(name string, fp uint64) bool {
			if !keep(name, fp) {
				return false
			}
			if keep(search.ScriptName(name), fp) {
				return true
			}
			kept.Store(name, true)
			return false
		}
	}
	return out
}

// addScripts returns files with, in a build for disk, the script form of
// each after it.
func (r *Renderer) addScripts(files []File) []File {
	if !r.ForDisk {
		return files
	}
	out := make([]File, 0, 2*len(files))
	for _, f := range files {
		out = append(out, f, File{Name: search.ScriptName(f.Name), Data: search.Script(f.Name, f.Data)})
	}
	return out
}
