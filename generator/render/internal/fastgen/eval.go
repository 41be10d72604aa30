package fastgen

import (
	"go/types"
	"strconv"
	"strings"
	"text/template/parse"
)

// Evaluation of pipelines, as text/template evaluates them: commands,
// arguments, fields, methods and calls.

// pipeline evaluates cmds, each command's value the last argument of the
// next. twin asks the last command to write a template.HTML result to the
// page itself where it can.
func (f *fnGen) pipeline(pipe *parse.PipeNode, cmds []*parse.CommandNode, dot value, twin bool) value {
	var final *value
	var v value
	for i, cmd := range cmds {
		v = f.command(cmd, dot, final, twin && i == len(cmds)-1)
		final = &v
	}
	if final == nil {
		f.fail(pipe, "empty pipeline")
	}
	return v
}

func (f *fnGen) command(cmd *parse.CommandNode, dot value, final *value, twin bool) value {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return f.fieldChain(n, dot, n.Ident, args, final, twin)
	case *parse.ChainNode:
		recv := f.argValue(n.Node, dot)
		return f.fieldChain(n, recv, n.Field, args, final, twin)
	case *parse.VariableNode:
		v := f.lookupVar(n, n.Ident[0])
		if len(n.Ident) == 1 {
			if len(args) > 0 || final != nil {
				f.fail(n, "can't give argument to non-function %s", n)
			}
			return v
		}
		return f.fieldChain(n, v, n.Ident[1:], args, final, twin)
	case *parse.IdentifierNode:
		return f.function(n, n.Ident, args, final, dot)
	case *parse.PipeNode:
		if len(args) > 0 || final != nil {
			f.fail(n, "can't give argument to non-function %s", n)
		}
		if len(n.Decl) > 0 {
			f.fail(n, "no translation for a variable in a parenthesized pipeline")
		}
		return f.pipeline(n, n.Cmds, dot, false)
	}
	if len(args) > 0 || final != nil {
		f.fail(cmd, "can't give argument to non-function %s", cmd.Args[0])
	}
	return f.argValue(cmd.Args[0], dot)
}

// argValue evaluates an argument whose parameter takes any value.
func (f *fnGen) argValue(n parse.Node, dot value) value {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return f.fieldChain(n, dot, n.Ident, nil, nil, false)
	case *parse.VariableNode:
		v := f.lookupVar(n, n.Ident[0])
		if len(n.Ident) == 1 {
			return v
		}
		return f.fieldChain(n, v, n.Ident[1:], nil, nil, false)
	case *parse.ChainNode:
		recv := f.argValue(n.Node, dot)
		return f.fieldChain(n, recv, n.Field, nil, nil, false)
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			f.fail(n, "no translation for a variable in a parenthesized pipeline")
		}
		return f.pipeline(n, n.Cmds, dot, false)
	case *parse.IdentifierNode:
		return f.function(n, n.Ident, nil, nil, dot)
	case *parse.StringNode:
		return value{code: goString(n.Text), typ: strType}
	case *parse.BoolNode:
		return value{code: strconv.FormatBool(n.True), typ: boolType}
	case *parse.NumberNode:
		switch {
		case n.IsInt:
			return value{code: strconv.FormatInt(n.Int64, 10), typ: intType}
		case n.IsFloat:
			return value{code: "float64(" + strconv.FormatFloat(n.Float64, 'g', -1, 64) + ")", typ: types.Typ[types.Float64]}
		}
	case *parse.NilNode:
		return value{code: "nil"}
	}
	f.fail(n, "no translation for %s", n)
	panic("unreachable")
}

// arg evaluates an argument for a parameter of type pt.
func (f *fnGen) arg(n parse.Node, pt types.Type, dot value) string {
	switch n := n.(type) {
	case *parse.StringNode, *parse.BoolNode, *parse.NumberNode, *parse.NilNode:
		return f.constant(n, pt)
	}
	return f.convert(n, f.argValue(n, dot), pt)
}

// constant converts a constant argument as text/template does.
func (f *fnGen) constant(n parse.Node, pt types.Type) string {
	if isEmptyInterface(pt) {
		v := f.argValue(n, value{})
		if v.typ == nil {
			return "nil"
		}
		return v.code
	}
	b, _ := pt.Underlying().(*types.Basic)
	switch n := n.(type) {
	case *parse.StringNode:
		if b != nil && b.Info()&types.IsString != 0 {
			return goString(n.Text)
		}
	case *parse.BoolNode:
		if b != nil && b.Info()&types.IsBoolean != 0 {
			return strconv.FormatBool(n.True)
		}
	case *parse.NumberNode:
		switch {
		case b == nil:
		case b.Info()&types.IsUnsigned != 0 && n.IsUint:
			return strconv.FormatUint(n.Uint64, 10)
		case b.Info()&types.IsInteger != 0 && b.Info()&types.IsUnsigned == 0 && n.IsInt:
			return strconv.FormatInt(n.Int64, 10)
		case b.Info()&types.IsFloat != 0 && n.IsFloat:
			return strconv.FormatFloat(n.Float64, 'g', -1, 64)
		}
	case *parse.NilNode:
		switch pt.Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Signature, *types.Chan:
			return "nil"
		}
	}
	f.fail(n, "no translation for %s as a %s", n, pt)
	panic("unreachable")
}

// convert passes v to a parameter of type pt as text/template does.
func (f *fnGen) convert(n parse.Node, v value, pt types.Type) string {
	if v.typ == nil {
		return f.constant(&parse.NilNode{NodeType: parse.NodeNil}, pt)
	}
	if types.AssignableTo(v.typ, pt) {
		return v.code
	}
	if isEmptyInterface(v.typ) && !types.IsInterface(pt) {
		id, ok := f.temp("v"), f.temp("ok")
		f.line("%s, %s := %s.(%s)", id, ok, v.code, f.set.g.typeString(pt))
		f.line("if !%s {", ok)
		f.line("\treturn errFallback")
		f.line("}")
		return id
	}
	if p, ok := v.typ.Underlying().(*types.Pointer); ok && types.AssignableTo(p.Elem(), pt) {
		f.notNil(v.code)
		return "*" + v.code
	}
	f.fail(n, "no translation for passing a %s as a %s", v.typ, pt)
	panic("unreachable")
}

// fieldChain evaluates .A.B.C on recv, the last with args and final.
func (f *fnGen) fieldChain(n parse.Node, recv value, idents []string, args []parse.Node, final *value, twin bool) value {
	for i, id := range idents {
		if i < len(idents)-1 {
			recv = f.field(n, recv, id, nil, nil, false)
		} else {
			recv = f.field(n, recv, id, args, final, twin)
		}
	}
	return recv
}

// field evaluates recv.name: a method, called with args and final, or a
// struct field.
func (f *fnGen) field(n parse.Node, recv value, name string, args []parse.Node, final *value, twin bool) value {
	if recv.typ == nil || recv.tuple != nil {
		f.fail(n, "no translation for .%s of %s", name, n)
	}
	if types.IsInterface(recv.typ) {
		f.fail(n, "no translation for .%s of an interface (known only when the page runs)", name)
	}
	obj, index, _ := types.LookupFieldOrMethod(recv.typ, !recv.call, f.set.g.r.pkg, name)
	if obj == nil || !obj.Exported() {
		f.fail(n, "can't evaluate field %s in type %s", name, recv.typ)
	}
	_, isPtr := recv.typ.Underlying().(*types.Pointer)
	if len(index) > 1 {
		// Promoted through embedded fields: only through values, which
		// need no nil check of their own.
		t := recv.typ
		for _, i := range index[:len(index)-1] {
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				f.fail(n, "no translation for the promoted %s", name)
			}
			t = st.Field(i).Type()
			if _, ok := t.Underlying().(*types.Pointer); ok {
				f.fail(n, "no translation for %s, promoted through an embedded pointer", name)
			}
		}
	}
	switch obj := obj.(type) {
	case *types.Func:
		sig := obj.Type().(*types.Signature)
		if _, ptrRecv := sig.Recv().Type().(*types.Pointer); isPtr && (!ptrRecv || len(index) > 1) {
			f.notNil(recv.code)
		}
		if twin {
			if w := f.twin(recv, name, sig); w != "" {
				call := f.callArgs(n, sig, args, final, f.curDot)
				e := f.temp("err")
				f.line("if %s := %s.%s(w.buf%s); %s != nil {", e, recv.code, w, prefixComma(call), e)
				f.line("\treturn %s", e)
				f.line("}")
				return value{written: true}
			}
		}
		return f.call(n, recv.code+"."+name, sig, args, final)
	case *types.Var:
		if len(args) > 0 || final != nil {
			f.fail(n, "%s has arguments but cannot be invoked as function", name)
		}
		if isPtr {
			f.notNil(recv.code)
		}
		v := value{code: recv.code + "." + name, typ: obj.Type()}
		if obj == f.set.g.r.dataField && f.set.data != nil {
			for i := len(f.scopes) - 1; i >= 0; i-- {
				if r, ok := f.scopes[i].refined[v.code]; ok {
					return r
				}
			}
			id, ok := f.temp("v"), f.temp("ok")
			f.line("%s, %s := %s.(%s)", id, ok, v.code, f.set.g.typeString(f.set.data))
			f.line("if !%s {", ok)
			f.line("\treturn errFallback")
			f.line("}")
			r := value{code: id, typ: f.set.data}
			f.scopes[len(f.scopes)-1].refined[v.code] = r
			return r
		}
		return v
	}
	f.fail(n, "no translation for .%s", name)
	panic("unreachable")
}

func prefixComma(s string) string {
	if s == "" {
		return ""
	}
	return ", " + s
}

// twin returns the name of recv's method that writes what method name
// returns as template.HTML straight into the page: write + name, taking a
// *bytes.Buffer and the same parameters, returning an error.
func (f *fnGen) twin(recv value, name string, sig *types.Signature) string {
	if sig.Results().Len() == 0 || !isContent(sig.Results().At(0).Type(), "HTML") || f.set.g.r.bufPtr == nil {
		return ""
	}
	wname := "write" + name
	obj, index, _ := types.LookupFieldOrMethod(recv.typ, !recv.call, f.set.g.r.pkg, wname)
	m, ok := obj.(*types.Func)
	if !ok || len(index) != 1 {
		return ""
	}
	ws := m.Type().(*types.Signature)
	p := sig.Params()
	if ws.Variadic() != sig.Variadic() || ws.Params().Len() != p.Len()+1 || ws.Results().Len() != 1 ||
		!types.Identical(ws.Results().At(0).Type(), errorType) || !types.Identical(ws.Params().At(0).Type(), f.set.g.r.bufPtr) {
		return ""
	}
	for i := 0; i < p.Len(); i++ {
		if !types.Identical(ws.Params().At(i+1).Type(), p.At(i).Type()) {
			return ""
		}
	}
	return wname
}

// callArgs evaluates the arguments of a call to sig.
func (f *fnGen) callArgs(n parse.Node, sig *types.Signature, args []parse.Node, final *value, dot value) string {
	params := sig.Params()
	nIn := len(args)
	if final != nil {
		nIn++
	}
	fixed := params.Len()
	if sig.Variadic() {
		fixed--
		if nIn < fixed {
			f.fail(n, "wrong number of args: got %d want at least %d", nIn, fixed)
		}
	} else if nIn != fixed {
		f.fail(n, "wrong number of args: got %d want %d", nIn, fixed)
	}
	ptype := func(i int) types.Type {
		if sig.Variadic() && i >= fixed {
			return params.At(fixed).Type().(*types.Slice).Elem()
		}
		return params.At(i).Type()
	}
	var codes []string
	for i, a := range args {
		codes = append(codes, f.arg(a, ptype(i), dot))
	}
	if final != nil {
		codes = append(codes, f.convert(n, *final, ptype(len(args))))
	}
	return strings.Join(codes, ", ")
}

// call calls fn, of type sig, binding its result; an error makes the page
// fall back to its template, which gives the error.
func (f *fnGen) call(n parse.Node, fn string, sig *types.Signature, args []parse.Node, final *value) value {
	call := fn + "(" + f.callArgs(n, sig, args, final, f.curDot) + ")"
	res := sig.Results()
	switch {
	case res.Len() == 1:
		id := f.temp("v")
		f.line("%s := %s", id, call)
		return value{code: id, typ: res.At(0).Type(), call: true}
	case res.Len() == 2 && types.Identical(res.At(1).Type(), errorType):
		id, e := f.temp("v"), f.temp("err")
		f.line("%s, %s := %s", id, e, call)
		f.line("if %s != nil {", e)
		f.line("\treturn %s", e)
		f.line("}")
		return value{code: id, typ: res.At(0).Type(), call: true}
	}
	f.fail(n, "can't call %s with %d results", fn, res.Len())
	panic("unreachable")
}
