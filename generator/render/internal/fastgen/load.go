// Package fastgen writes the render package's fast path: Go functions that
// write what the default layouts (layouts/*.html) would, in a fraction of
// html/template's time.
//
// It parses each page layout with base.html as render.LoadTemplates does,
// lets html/template escape the templates a page runs ("base" and what it
// calls, and "entry"), and translates the escaped trees: text is written as
// it is, and each action's pipeline is evaluated with the static types of
// the render package (read from its source with go/types) and written with
// the escaper html/template chose for it. A construct it cannot translate
// with the same bytes and errors (a map, an escaper without a Go
// translation, a value whose type is known only at run time...) leaves its
// template to run as a template, called from the generated code, and is
// reported as a note; a page layout whose "base" cannot be translated has
// no fast path at all.
//
// Translated: text; if, else if, else; with, else with; range over slices
// and arrays, with else, break and continue; variables, declared and
// assigned (of one type); template and block calls; fields and methods of
// the render package's types (a nil pointer, an error or a panic makes the
// page fall back to its template, which reports it); the FuncMap's named
// functions; and, or, not, eq, ne, lt, le, gt, ge, len, index, print,
// printf and println. Escapers: HTML text and RCDATA, quoted and unquoted
// attribute values, and URLs (filter, normalizer, query escaper, in any
// chain). Left to templates: JavaScript, CSS and srcset contexts, range
// over maps, integers, channels or functions, map fields, call, slice, and
// the html, js and urlquery builtins.
//
// The render package tells the generator what a template's dot holds where
// its Go type says any: fastPageData (Context.Data on each page layout) and
// fastEntryDot (what "entry" receives). The generated code relies on the
// render package's fastWriter, errFallback and fastLayout; see its
// fastpath.go for the contract at run time.
package fastgen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// renderPkg is the type-checked render package, without its generated
// files, and what it declares for the generator.
type renderPkg struct {
	fset  *token.FileSet
	pkg   *types.Package
	info  *types.Info
	files []*ast.File

	pageLayouts []string
	baseLayout  string
	funcs       map[string]*goFunc
	pageData    map[string]types.Type
	entryDot    []types.Type
	context     *types.Pointer // *Context
	dataField   *types.Var     // Context.Data
	bufPtr      types.Type     // *bytes.Buffer, for the write twins
}

// goFunc is a function of the layouts' FuncMap.
type goFunc struct {
	expr  string // Go expression naming it, "" for a function literal
	pkg   *types.Package
	sig   *types.Signature
	tuple bool // returns its variadic arguments as they are: func(v ...any) []any { return v }
}

// loadRender type-checks the Go package in dir, leaving out its generated
// files and its tests.
func loadRender(dir string) (*renderPkg, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	r := &renderPkg{fset: token.NewFileSet()}
	imports := map[string]bool{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := build.Default.MatchFile(dir, filepath.Base(name)); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(r.fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		if ast.IsGenerated(f) {
			continue
		}
		r.files = append(r.files, f)
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			imports[p] = true
		}
	}
	if len(r.files) == 0 {
		return nil, fmt.Errorf("load %s: no Go files", dir)
	}
	exports, err := exportData(dir, imports)
	if err != nil {
		return nil, err
	}
	lookup := func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(f)
	}
	conf := types.Config{Importer: importer.ForCompiler(r.fset, "gc", lookup)}
	r.info = &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}}
	path, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", dir).Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s: %v", dir, err)
	}
	r.pkg, err = conf.Check(strings.TrimSpace(string(path)), r.fset, r.files, r.info)
	if err != nil {
		return nil, fmt.Errorf("type-check %s: %v", dir, err)
	}
	return r, r.readDeclarations()
}

// exportData runs go list to find the compiled export data of the
// packages imported and everything they import.
func exportData(dir string, imports map[string]bool) (map[string]string, error) {
	args := []string{"list", "-e", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	for p := range imports {
		if p != "unsafe" {
			args = append(args, p)
		}
	}
	sort.Strings(args[6:])
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, stderr.Bytes())
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if p, f, ok := strings.Cut(line, "\t"); ok && f != "" {
			m[p] = f
		}
	}
	return m, nil
}

// readDeclarations reads what the generator needs from the package's
// declarations: PageLayouts, BaseLayout, funcs, fastPageData, fastEntryDot
// and Context.
func (r *renderPkg) readDeclarations() error {
	scope := r.pkg.Scope()
	if c, ok := scope.Lookup("BaseLayout").(*types.Const); ok && c.Val().Kind() == constant.String {
		r.baseLayout = constant.StringVal(c.Val())
	} else {
		return fmt.Errorf("render: no string constant BaseLayout")
	}
	ctx, ok := scope.Lookup("Context").(*types.TypeName)
	if !ok {
		return fmt.Errorf("render: no type Context")
	}
	r.context = types.NewPointer(ctx.Type())
	if obj, _, _ := types.LookupFieldOrMethod(r.context, true, r.pkg, "Data"); obj != nil {
		r.dataField, _ = obj.(*types.Var)
	}
	for _, p := range r.pkg.Imports() {
		if p.Path() == "bytes" {
			if tn, ok := p.Scope().Lookup("Buffer").(*types.TypeName); ok {
				r.bufPtr = types.NewPointer(tn.Type())
			}
		}
	}

	values := map[string]ast.Expr{}
	for _, f := range r.files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						values[n.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	lit := func(name string) (*ast.CompositeLit, error) {
		cl, ok := values[name].(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("render: %s is not declared as a composite literal", name)
		}
		return cl, nil
	}
	key := func(e ast.Expr) (string, error) {
		tv := r.info.Types[e]
		if tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", fmt.Errorf("%s: want a string constant", r.fset.Position(e.Pos()))
		}
		return constant.StringVal(tv.Value), nil
	}

	cl, err := lit("PageLayouts")
	if err != nil {
		return err
	}
	for _, e := range cl.Elts {
		s, err := key(e)
		if err != nil {
			return err
		}
		r.pageLayouts = append(r.pageLayouts, s)
	}

	if cl, err = lit("funcs"); err != nil {
		return err
	}
	r.funcs = map[string]*goFunc{}
	for _, e := range cl.Elts {
		kv := e.(*ast.KeyValueExpr)
		name, err := key(kv.Key)
		if err != nil {
			return err
		}
		sig, ok := r.info.Types[kv.Value].Type.(*types.Signature)
		if !ok {
			return fmt.Errorf("%s: func %q is not a function", r.fset.Position(kv.Pos()), name)
		}
		fn := &goFunc{sig: sig}
		var obj types.Object
		switch v := kv.Value.(type) {
		case *ast.Ident:
			obj = r.info.Uses[v]
		case *ast.SelectorExpr:
			obj = r.info.Uses[v.Sel]
		}
		if f, ok := obj.(*types.Func); ok && f.Pkg() != nil {
			fn.expr, fn.pkg = f.Name(), f.Pkg()
			fn.tuple = r.returnsArgs(f)
		}
		r.funcs[name] = fn
	}

	if cl, err = lit("fastPageData"); err != nil {
		return err
	}
	r.pageData = map[string]types.Type{}
	for _, e := range cl.Elts {
		kv := e.(*ast.KeyValueExpr)
		name, err := key(kv.Key)
		if err != nil {
			return err
		}
		r.pageData[name] = r.info.Types[kv.Value].Type
	}
	if cl, err = lit("fastEntryDot"); err != nil {
		return err
	}
	for _, e := range cl.Elts {
		r.entryDot = append(r.entryDot, r.info.Types[e].Type)
	}
	return nil
}

// returnsArgs reports whether f is declared as func(v ...any) []any
// { return v }, as the layouts' "list" is: its result's elements then have
// the static types of its arguments.
func (r *renderPkg) returnsArgs(f *types.Func) bool {
	sig := f.Type().(*types.Signature)
	if !sig.Variadic() || sig.Params().Len() != 1 || sig.Results().Len() != 1 ||
		!types.Identical(sig.Params().At(0).Type(), sig.Results().At(0).Type()) {
		return false
	}
	if s, ok := sig.Params().At(0).Type().(*types.Slice); !ok || !isEmptyInterface(s.Elem()) {
		return false
	}
	for _, file := range r.files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || r.info.Defs[fd.Name] != f || fd.Body == nil || len(fd.Body.List) != 1 {
				continue
			}
			ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
			if !ok || len(ret.Results) != 1 {
				return false
			}
			id, ok := ret.Results[0].(*ast.Ident)
			return ok && r.info.Uses[id] == sig.Params().At(0)
		}
	}
	return false
}

func isEmptyInterface(t types.Type) bool {
	i, ok := t.Underlying().(*types.Interface)
	return ok && i.NumMethods() == 0
}
