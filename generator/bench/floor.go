// Package bench measures the digest's build against a floor: the least work
// any static site generator must do for the same articles.
//
// The floor reads each content/articles/*.md file of a site, parses its
// front matter with adrg/frontmatter, renders the markdown body with
// goldmark (with the extensions the digest enables: tables, strikethrough,
// autolinks) and writes the HTML to
// OUT/articles/<slug>/index.html, in parallel on all cores. It has no
// templates, no registries, no lists, no feeds: a build that does all of
// those can only come near it.
//
// The Go benchmarks of this package (go test -bench . ./generator/bench)
// time the floor and each step of the digest's build on a corpus written by
// package corpus; bench/run.sh (make bench) times the commands side by side.
package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/adrg/frontmatter"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"gopkg.in/yaml.v3"

	"digest/generator/content"
)

// FloorResult counts what one run of the floor did.
type FloorResult struct {
	Articles int   // articles rendered
	Bytes    int64 // bytes of HTML written
}

// floorMatter is the part of an article's front matter the floor decodes:
// the digest's required fields, so the YAML is parsed as fully as in a build.
type floorMatter struct {
	Title  string   `yaml:"title"`
	Source string   `yaml:"source"`
	Date   string   `yaml:"date"`
	Topic  string   `yaml:"topic"`
	Topics []string `yaml:"topics"`
	Round  string   `yaml:"round"`
	URL    string   `yaml:"url"`
}

// Floor renders every article of the site at siteDir into outDir, on
// GOMAXPROCS workers, and reports what it did. It stops at the first
// error.
func Floor(siteDir, outDir string) (FloorResult, error) {
	dir := filepath.Join(siteDir, "content", "articles")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return FloorResult{}, fmt.Errorf("floor: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			names = append(names, e.Name())
		}
	}

	// Each article's page directory is made with one mkdir, in a parent
	// made here, as the digest does.
	if err := os.MkdirAll(filepath.Join(outDir, "articles"), 0o755); err != nil {
		return FloorResult{}, fmt.Errorf("floor: %w", err)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
	var (
		next    atomic.Int64
		written atomic.Int64
		wg      sync.WaitGroup
	)
	errs := make([]error, runtime.GOMAXPROCS(0))
	for k := range errs {
		wg.Go(func() {
			var html, file bytes.Buffer
			for {
				i := int(next.Add(1)) - 1
				if i >= len(names) {
					return
				}
				html.Reset()
				if err := floorArticle(md, filepath.Join(dir, names[i]), &file, &html); err != nil {
					errs[k] = err
					next.Store(int64(len(names))) // stop the other workers
					return
				}
				slug := strings.TrimSuffix(names[i], ".md")
				page := filepath.Join(outDir, "articles", slug)
				if err := os.Mkdir(page, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
					errs[k] = fmt.Errorf("floor: %w", err)
					return
				}
				if err := os.WriteFile(filepath.Join(page, "index.html"), html.Bytes(), 0o644); err != nil {
					errs[k] = fmt.Errorf("floor: %w", err)
					return
				}
				written.Add(int64(html.Len()))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return FloorResult{}, err
	}
	return FloorResult{Articles: len(names), Bytes: written.Load()}, nil
}

// floorFormats is the front matter the floor reads: YAML.
var floorFormats = []*frontmatter.Format{frontmatter.NewFormat("---", "---", yaml.Unmarshal)}

// floorArticle reads the article at path into file and appends its
// rendered body to html. Like the digest, it hands adrg/frontmatter the
// front matter only, so that the library does not copy the body.
func floorArticle(md goldmark.Markdown, path string, file, html *bytes.Buffer) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	file.Reset()
	_, err = file.ReadFrom(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("floor: %w", err)
	}
	data := file.Bytes()
	end := content.FrontMatterEnd(data, floorFormats)
	var fm floorMatter
	body, err := frontmatter.MustParse(bytes.NewReader(data[:end]), &fm, floorFormats...)
	if err != nil {
		return fmt.Errorf("floor: %s: %w", path, err)
	}
	// Rendered straight into html, as the digest does, rather than
	// through the bufio.Writer goldmark's Convert puts in front of a
	// writer that does not buffer.
	src := data[end-len(body):]
	doc := md.Parser().Parse(text.NewReader(src))
	if err := md.Renderer().Render(bufWriter{html}, src, doc); err != nil {
		return fmt.Errorf("floor: %s: %w", path, err)
	}
	return nil
}

// bufWriter is a bytes.Buffer as goldmark's buffered writer.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Buffered() int { return 0 }
func (bufWriter) Flush() error  { return nil }
