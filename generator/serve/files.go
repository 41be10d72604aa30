package serve

import (
	"bytes"
	"html"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
)

// serveFile serves the file at rel, a slash-separated path inside the
// site with ".." already refused. The site is opened as an os.Root on every
// request, which refuses symbolic links that lead outside it and follows a
// rebuild that swapped in a new directory.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel string) {
	// The build id is read before the file is opened: a page that races a
	// rebuild then looks older than it is and reloads once more, rather
	// than stale and never reloading.
	build := s.live.buildID()
	root, err := os.OpenRoot(s.dir)
	if err != nil {
		s.notFound(w, r, build)
		return
	}
	defer root.Close()

	name := strings.TrimSuffix(rel, "/")
	if name == "" {
		name = "."
	}
	f, fi, err := open(root, name)
	if err != nil && path.Ext(name) == "" && !strings.HasSuffix(rel, "/") {
		// GitHub Pages serves /about from about.html.
		f, fi, err = open(root, name+".html")
	}
	if err != nil {
		s.notFound(w, r, build)
		return
	}
	defer f.Close()

	if fi.IsDir() {
		if rel != "" && !strings.HasSuffix(rel, "/") {
			target := r.URL.Path + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusFound)
			return
		}
		index, ifi, err := open(root, path.Join(name, "index.html"))
		if err != nil || ifi.IsDir() {
			s.notFound(w, r, build)
			return
		}
		defer index.Close()
		f, fi = index, ifi
	} else if strings.HasSuffix(rel, "/") {
		s.notFound(w, r, build)
		return
	}
	s.serveContent(w, r, http.StatusOK, fi, f, build)
}

// open opens name in root and stats it.
func open(root *os.Root, name string) (*os.File, fs.FileInfo, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// notFound serves the site's 404.html with status 404, or a plain page when
// the site has none (before the first successful build, say); either gets
// the live reload script so that build errors show and a fix reloads.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, build string) {
	if root, err := os.OpenRoot(s.dir); err == nil {
		defer root.Close()
		if f, fi, err := open(root, "404.html"); err == nil {
			defer f.Close()
			if !fi.IsDir() {
				s.serveContent(w, r, http.StatusNotFound, fi, f, build)
				return
			}
		}
	}
	s.writeHTML(w, r, http.StatusNotFound, []byte(fallback404), build)
}

const fallback404 = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + PagePolicy + `"><title>Page not found</title></head>
<body><h1>Page not found</h1><p>Nothing is built at this address.</p></body></html>
`

// serveContent serves an open file: HTML with the live reload script
// added, anything else as it is.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, status int, fi fs.FileInfo, f *os.File, build string) {
	ext := strings.ToLower(path.Ext(fi.Name()))
	if ext == ".html" || ext == ".htm" {
		data, err := io.ReadAll(f)
		if err != nil {
			http.Error(w, "read error", http.StatusInternalServerError)
			return
		}
		s.writeHTML(w, r, status, data, build)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		io.Copy(w, f)
		return
	}
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
}

// writeHTML writes page, from the given build, with the live reload script
// injected.
func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, status int, page []byte, build string) {
	body := inject(page, s.scriptTag(build))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// scriptTag is the element that loads the live reload script. It carries
// the id of the build the page is served from.
func (s *Server) scriptTag(build string) string {
	return `<script src="` + html.EscapeString(s.base+scriptPath) +
		`" data-events="` + html.EscapeString(s.base+eventsPath) +
		`" data-build="` + html.EscapeString(build) + `"></script>`
}

// inject returns page with tag inserted before its last </body>, or at its
// end when it has none. page is not modified.
func inject(page []byte, tag string) []byte {
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body"))
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(tag)+1)
	out = append(out, page[:i]...)
	out = append(out, tag...)
	out = append(out, '\n')
	return append(out, page[i:]...)
}
