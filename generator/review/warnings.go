package review

import (
	"fmt"
	"io/fs"

	"digest/generator/articlefile"
	"digest/generator/content"
	"digest/generator/diag"
)

// Warnings are the lines a build prints, without failing, about what an
// editor still has to do in site, loaded from fsys:
//
//	content/articles/x.md:3: source "Anadolu Ajansı" is not in content/sources.yaml (2 articles): add it with its affiliation
//	3 articles have fields to review (digest review)
//
// One line per outlet that articles name but the sources registry does
// not (the loader accepts such an outlet and the site shows it as
// unclassified), at the first of its articles by path, in path order;
// then the count of articles with a review: list, when there are any.
// Drafts are not in site, so they are not counted. It reads from fsys only
// the one article per unregistered outlet whose source: line it names.
func Warnings(fsys fs.FS, site *content.Site) []string {
	type outlet struct {
		first *content.Article
		n     int
	}
	outlets := map[string]*outlet{}
	toReview := 0
	for _, a := range site.Articles {
		if len(a.Review) > 0 {
			toReview++
		}
		if a.Source != nil {
			continue
		}
		o := outlets[a.SourceName]
		if o == nil {
			o = &outlet{first: a}
			outlets[a.SourceName] = o
		}
		o.n++
		if a.Path < o.first.Path {
			o.first = a
		}
	}
	var lines diag.List
	for name, o := range outlets {
		lines.Addf(o.first.Path, sourceLine(fsys, o.first.Path),
			"source %q is not in %s (%s): add it with its affiliation", name, content.SourcesFile, plural(o.n, "article"))
	}
	var out []string
	for _, d := range lines.Sort() {
		out = append(out, d.Error())
	}
	if toReview == 1 {
		out = append(out, "1 article has fields to review (digest review)")
	} else if toReview > 1 {
		out = append(out, fmt.Sprintf("%d articles have fields to review (digest review)", toReview))
	}
	return out
}

// sourceLine is the line of the source: field of the article at path, or
// 0 when it cannot be told.
func sourceLine(fsys fs.FS, path string) int {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		return 0
	}
	f, err := articlefile.Parse(path, data)
	if err != nil {
		return 0
	}
	if fd := f.Field("source"); fd != nil {
		return fd.Line
	}
	return 0
}
