package fastgen

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"
	"text/template/parse"
)

// value is what a pipeline or argument evaluates to in the generated code.
type value struct {
	code    string       // Go expression; evaluating it again has no effect
	typ     types.Type   // static type; nil for an untyped nil
	tuple   []types.Type // for a []any made by "list": its elements' types
	written bool         // the value was written to the page already (a write twin)
	call    bool         // the result of a call: not addressable
}

var (
	anyType   = types.Universe.Lookup("any").Type()
	anySlice  = types.NewSlice(anyType)
	errorType = types.Universe.Lookup("error").Type()
	intType   = types.Typ[types.Int]
	boolType  = types.Typ[types.Bool]
	strType   = types.Typ[types.String]
)

// failure is how translation gives up on a template.
type failure struct{ msg string }

// fnGen translates one template into the body of one Go function.
type fnGen struct {
	set    *set
	tree   *parse.Tree
	b      strings.Builder
	indent int
	n      int
	scopes []scope
	curDot value // the dot of the node being translated, for arguments
}

// scope holds the template variables of a block and the expressions known
// not to be nil in it.
type scope struct {
	vars    map[string]value
	nonNil  map[string]bool
	refined map[string]value // Context.Data expressions already asserted to their type
}

// run translates list with dot and returns the function body.
func (f *fnGen) run(list *parse.ListNode, dot value) (body string, err error) {
	defer func() {
		if r := recover(); r != nil {
			fl, ok := r.(failure)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("%s", fl.msg)
		}
	}()
	f.indent = 1
	f.push()
	f.scopes[0].vars["$"] = dot
	if dot.tuple != nil {
		f.line("if len(dot) != %d {", len(dot.tuple))
		f.line("\treturn errFallback")
		f.line("}")
	}
	f.list(list, dot)
	return f.b.String(), nil
}

func (f *fnGen) fail(n parse.Node, format string, args ...any) {
	for i, a := range args {
		if t, ok := a.(types.Type); ok { // named by package name, as in Go code
			args[i] = types.TypeString(t, func(p *types.Package) string { return p.Name() })
		}
	}
	loc := "?"
	if n != nil {
		loc, _ = f.tree.ErrorContext(n)
	}
	panic(failure{fmt.Sprintf("%s/%s: %s", f.set.g.dir, loc, fmt.Sprintf(format, args...))})
}

func (f *fnGen) line(format string, args ...any) {
	f.b.WriteString(strings.Repeat("\t", f.indent))
	fmt.Fprintf(&f.b, format, args...)
	f.b.WriteByte('\n')
}

func (f *fnGen) open(format string, args ...any) {
	f.line(format, args...)
	f.indent++
	f.push()
}

func (f *fnGen) close(s string) {
	f.pop()
	f.indent--
	f.line("%s", s)
}

func (f *fnGen) push() {
	f.scopes = append(f.scopes, scope{vars: map[string]value{}, nonNil: map[string]bool{}, refined: map[string]value{}})
}

func (f *fnGen) pop() { f.scopes = f.scopes[:len(f.scopes)-1] }

func (f *fnGen) temp(prefix string) string {
	f.n++
	return prefix + strconv.Itoa(f.n)
}

func (f *fnGen) lookupVar(n parse.Node, name string) value {
	for i := len(f.scopes) - 1; i >= 0; i-- {
		if v, ok := f.scopes[i].vars[name]; ok {
			return v
		}
	}
	f.fail(n, "undefined variable %s", name)
	panic("unreachable")
}

func (f *fnGen) knownNonNil(code string) bool {
	for i := len(f.scopes) - 1; i >= 0; i-- {
		if f.scopes[i].nonNil[code] {
			return true
		}
	}
	return false
}

// notNil makes the page fall back when code, a pointer, is nil where the
// template would fail.
func (f *fnGen) notNil(code string) {
	if f.knownNonNil(code) {
		return
	}
	f.line("if %s == nil {", code)
	f.line("\treturn errFallback")
	f.line("}")
	f.scopes[len(f.scopes)-1].nonNil[code] = true
}

func (f *fnGen) list(list *parse.ListNode, dot value) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		f.curDot = dot
		f.node(n, dot)
	}
}

func (f *fnGen) node(n parse.Node, dot value) {
	switch n := n.(type) {
	case *parse.TextNode:
		if len(n.Text) > 0 {
			f.line("w.raw(%s)", goString(string(n.Text)))
		}
	case *parse.CommentNode:
	case *parse.ActionNode:
		f.action(n, dot)
	case *parse.IfNode:
		f.ifNode(n, dot)
	case *parse.WithNode:
		f.withNode(n, dot)
	case *parse.RangeNode:
		f.rangeNode(n, dot)
	case *parse.TemplateNode:
		f.templateNode(n, dot)
	case *parse.BreakNode:
		f.line("break")
	case *parse.ContinueNode:
		f.line("continue")
	default:
		f.fail(n, "no translation for %s", n)
	}
}

// declare binds the variables of pipe to v.
func (f *fnGen) declare(pipe *parse.PipeNode, v value) {
	if len(pipe.Decl) != 1 {
		f.fail(pipe, "want one variable in %s", pipe)
	}
	name := pipe.Decl[0].Ident[0]
	if pipe.IsAssign {
		old := f.lookupVar(pipe, name)
		if old.tuple != nil || v.tuple != nil || old.typ == nil || v.typ == nil || !types.Identical(old.typ, v.typ) {
			f.fail(pipe, "%s changes type", name)
		}
		f.line("%s = %s", old.code, v.code)
		return
	}
	id := f.temp("x")
	f.line("%s := %s", id, v.code)
	f.line("_ = %s", id)
	v.code = id
	f.scopes[len(f.scopes)-1].vars[name] = v
}

// escapers splits the escapers html/template added off the end of cmds.
func escapers(cmds []*parse.CommandNode) ([]*parse.CommandNode, []string) {
	var escs []string
	for len(cmds) > 0 {
		last := cmds[len(cmds)-1]
		id, ok := last.Args[0].(*parse.IdentifierNode)
		if !ok || len(last.Args) != 1 || !strings.HasPrefix(id.Ident, "_html_template_") {
			break
		}
		escs = append([]string{strings.TrimPrefix(id.Ident, "_html_template_")}, escs...)
		cmds = cmds[:len(cmds)-1]
	}
	return cmds, escs
}

func (f *fnGen) action(n *parse.ActionNode, dot value) {
	pipe := n.Pipe
	if len(pipe.Decl) > 0 {
		f.declare(pipe, f.pipeline(pipe, pipe.Cmds, dot, false))
		return
	}
	cmds, escs := escapers(pipe.Cmds)
	if len(cmds) == 0 {
		f.fail(n, "no value in %s", n)
	}
	chain := strings.Join(escs, " ")
	v := f.pipeline(pipe, cmds, dot, chain == "htmlescaper")
	if v.written {
		return
	}
	f.write(n, v, chain)
}

// write writes v as html/template's escapers in chain would.
func (f *fnGen) write(n parse.Node, v value, chain string) {
	if isContent(v.typ, "HTML") && v.tuple == nil {
		if chain != "htmlescaper" {
			f.fail(n, "no translation for template.HTML through %s", chain)
		}
		f.line("w.raw(string(%s))", v.code)
		return
	}
	s, plain := f.stringify(n, v)
	method := map[string]string{
		"htmlescaper":                         "text",
		"attrescaper":                         "text",
		"rcdataescaper":                       "text",
		"nospaceescaper":                      "nospace",
		"urlfilter urlnormalizer attrescaper": "url",
		"urlnormalizer attrescaper":           "urlPart",
		"urlescaper attrescaper":              "urlQuery",
		"urlescaper":                          "urlQuery",
	}[chain]
	if method == "" {
		// Another chain: the URL escapers, one after the other, then
		// the attribute's or the text's.
		escs := strings.Fields(chain)
		for len(escs) > 0 {
			fn := map[string]string{"urlfilter": "filterURL", "urlnormalizer": "normalizeURL", "urlescaper": "escapeURL"}[escs[0]]
			if fn == "" {
				break
			}
			s, plain = fn+"("+s+")", false
			escs = escs[1:]
		}
		switch strings.Join(escs, " ") {
		case "":
			method = "raw"
		case "attrescaper", "htmlescaper", "rcdataescaper":
			method = "text"
		case "nospaceescaper":
			method = "nospace"
		default:
			f.fail(n, "no Go translation of the escapers %q", chain)
		}
	}
	if plain && method != "url" && method != "nospace" {
		method = "raw"
	}
	f.line("w.%s(%s)", method, s)
}

// isContent reports whether t is html/template's content type name.
func isContent(t types.Type, name string) bool {
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "html/template" && n.Obj().Name() == name
}

// stringify returns Go code for the string html/template's escapers make
// of v (fmt.Sprint of the value, through its Error or String method), and
// whether that string can need no escaping (the digits of an integer).
func (f *fnGen) stringify(n parse.Node, v value) (string, bool) {
	t := v.typ
	if t == nil || v.tuple != nil {
		f.fail(n, "no translation for printing %s", n)
	}
	if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "html/template" {
		f.fail(n, "no translation for printing a template.%s", named.Obj().Name())
	}
	has := func(name string) bool {
		obj, _, _ := types.LookupFieldOrMethod(t, false, nil, name)
		_, ok := obj.(*types.Func)
		return ok
	}
	switch {
	case isFormatter(t):
		f.fail(n, "no translation for printing a %s, a fmt.Formatter", t)
	case types.Implements(t, errorType.Underlying().(*types.Interface)):
		if _, ok := t.Underlying().(*types.Interface); ok {
			f.fail(n, "no translation for printing an interface")
		}
		return v.code + ".Error()", false
	case has("String") && types.Implements(t, stringer):
		if _, ok := t.Underlying().(*types.Pointer); ok {
			f.fail(n, "no translation for printing a pointer")
		}
		if _, ok := t.Underlying().(*types.Interface); ok {
			f.fail(n, "no translation for printing an interface")
		}
		return v.code + ".String()", false
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		f.fail(n, "no translation for printing a %s", t)
	}
	switch {
	case b.Info()&types.IsString != 0:
		if t == types.Typ[types.String] {
			return v.code, false
		}
		return "string(" + v.code + ")", false
	case b.Kind() == types.Int && t == types.Typ[types.Int]:
		f.set.g.imports["strconv"] = "strconv"
		return "strconv.Itoa(" + v.code + ")", true
	case b.Info()&types.IsInteger != 0 && b.Info()&types.IsUnsigned == 0:
		f.set.g.imports["strconv"] = "strconv"
		return "strconv.FormatInt(int64(" + v.code + "), 10)", true
	case b.Info()&types.IsUnsigned != 0:
		f.set.g.imports["strconv"] = "strconv"
		return "strconv.FormatUint(uint64(" + v.code + "), 10)", true
	case b.Info()&types.IsBoolean != 0:
		f.set.g.imports["strconv"] = "strconv"
		return "strconv.FormatBool(bool(" + v.code + "))", true
	case b.Kind() == types.Float64 || b.Kind() == types.Float32:
		bits := "64"
		if b.Kind() == types.Float32 {
			bits = "32"
		}
		f.set.g.imports["strconv"] = "strconv"
		return "strconv.FormatFloat(float64(" + v.code + "), 'g', -1, " + bits + ")", false
	}
	f.fail(n, "no translation for printing a %s", t)
	panic("unreachable")
}

// isFormatter reports whether t has fmt.Formatter's method,
// Format(fmt.State, rune).
func isFormatter(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, false, nil, "Format")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := m.Type().(*types.Signature)
	return sig.Params().Len() == 2 && sig.Results().Len() == 0 && types.Identical(sig.Params().At(1).Type(), types.Typ[types.Rune])
}

var stringer = types.NewInterfaceType([]*types.Func{
	types.NewFunc(0, nil, "String", types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(types.NewVar(0, nil, "", strType)), false)),
}, nil).Complete()

// truth returns Go code that is true when a template's if takes v as true.
func (f *fnGen) truth(n parse.Node, v value) string {
	if v.typ == nil {
		return "false"
	}
	switch u := v.typ.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "bool(" + v.code + ")"
		case u.Info()&types.IsString != 0:
			return "len(" + v.code + ") > 0"
		case u.Info()&types.IsNumeric != 0:
			return v.code + " != 0"
		}
	case *types.Slice, *types.Map, *types.Array:
		return "len(" + v.code + ") > 0"
	case *types.Pointer, *types.Chan, *types.Signature:
		return v.code + " != nil"
	case *types.Interface:
		return "truth(" + v.code + ")"
	case *types.Struct:
		return "true"
	}
	f.fail(n, "no translation for the truth of a %s", v.typ)
	panic("unreachable")
}

func (f *fnGen) ifNode(n *parse.IfNode, dot value) {
	f.push()
	v := f.pipeline(n.Pipe, n.Pipe.Cmds, dot, false)
	if len(n.Pipe.Decl) > 0 {
		f.declare(n.Pipe, v)
	}
	f.open("if %s {", f.truth(n, v))
	f.list(n.List, dot)
	f.elseList(n.ElseList, dot)
	f.close("}")
	f.pop()
}

// elseList closes the block being written with "} else {" and writes
// list, when there is one, in a scope of its own; the caller closes it.
func (f *fnGen) elseList(list *parse.ListNode, dot value) {
	if list == nil {
		return
	}
	f.close("} else {")
	f.push()
	f.indent++
	f.list(list, dot)
}

func (f *fnGen) withNode(n *parse.WithNode, dot value) {
	f.push()
	v := f.bind(f.pipeline(n.Pipe, n.Pipe.Cmds, dot, false))
	if len(n.Pipe.Decl) > 0 {
		f.declare(n.Pipe, v)
	}
	f.open("if %s {", f.truth(n, v))
	if _, ok := v.typ.Underlying().(*types.Pointer); ok {
		f.scopes[len(f.scopes)-1].nonNil[v.code] = true
	}
	f.list(n.List, v)
	f.elseList(n.ElseList, dot)
	f.close("}")
	f.pop()
}

// bind gives v a variable of its own, so that code using it does not
// evaluate its expression again.
func (f *fnGen) bind(v value) value {
	if v.typ == nil || isIdent(v.code) {
		return v
	}
	id := f.temp("v")
	f.line("%s := %s", id, v.code)
	v.code = id
	return v
}

func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (f *fnGen) rangeNode(n *parse.RangeNode, dot value) {
	f.push()
	v := f.bind(f.pipeline(n.Pipe, n.Pipe.Cmds, dot, false))
	if v.typ == nil || v.tuple != nil {
		f.fail(n, "no translation for range over %s", n.Pipe)
	}
	var elem types.Type
	switch u := v.typ.Underlying().(type) {
	case *types.Slice:
		elem = u.Elem()
	case *types.Array:
		elem = u.Elem()
	default:
		f.fail(n, "no translation for range over a %s", v.typ)
	}
	f.open("if len(%s) > 0 {", v.code)
	i, e := f.temp("i"), f.temp("e")
	f.open("for %s := range %s {", i, v.code)
	f.line("%s := %s[%s]", e, v.code, i)
	f.line("_ = %s", e)
	ev := value{code: e, typ: elem}
	switch len(n.Pipe.Decl) {
	case 0:
	case 1:
		f.scopes[len(f.scopes)-1].vars[n.Pipe.Decl[0].Ident[0]] = ev
	case 2:
		f.scopes[len(f.scopes)-1].vars[n.Pipe.Decl[0].Ident[0]] = value{code: i, typ: intType}
		f.scopes[len(f.scopes)-1].vars[n.Pipe.Decl[1].Ident[0]] = ev
	default:
		f.fail(n, "too many variables in range")
	}
	if n.Pipe.IsAssign {
		f.fail(n, "no translation for range assigning to variables")
	}
	f.list(n.List, ev)
	f.close("}")
	f.elseList(n.ElseList, dot)
	f.close("}")
	f.pop()
}

func (f *fnGen) templateNode(n *parse.TemplateNode, dot value) {
	arg := value{code: "nil"}
	if n.Pipe != nil {
		if len(n.Pipe.Decl) > 0 {
			f.fail(n, "no translation for a variable in a template call")
		}
		arg = f.bind(f.pipeline(n.Pipe, n.Pipe.Cmds, dot, false))
	}
	fn, err := f.set.function(n.Name, arg)
	if err == nil {
		code := arg.code
		f.line("if err := %s(w, %s); err != nil {", fn, code)
		f.line("\treturn err")
		f.line("}")
		return
	}
	if strings.Contains(n.Name, "$htmltemplate") {
		f.fail(n, "%v, and is called in a context it cannot be run from here", err)
	}
	f.set.g.note("%v", err)
	f.line("if err := w.template(%s, %s); err != nil {", goString(n.Name), arg.code)
	f.line("\treturn err")
	f.line("}")
}
