package fastgen

import (
	"go/types"
	"strconv"
	"strings"
	"text/template/parse"
)

// function calls a function of the layouts' FuncMap, or one of
// text/template's builtins, as text/template looks them up: the FuncMap
// first.
func (f *fnGen) function(n parse.Node, name string, args []parse.Node, final *value, dot value) value {
	if fn, ok := f.set.g.r.funcs[name]; ok {
		if fn.expr == "" {
			f.fail(n, "no translation for func %q, a function literal: make it a named function", name)
		}
		if fn.tuple {
			return f.tuple(n, args, final, dot)
		}
		expr := fn.expr
		if q := f.set.g.qualifier(fn.pkg); q != "" {
			expr = q + "." + expr
		}
		return f.call(n, expr, fn.sig, args, final)
	}
	// The builtins' arguments, with the final value last.
	vals := func() []value {
		var vs []value
		for _, a := range args {
			vs = append(vs, f.bind(f.argValue(a, dot)))
		}
		if final != nil {
			vs = append(vs, *final)
		}
		return vs
	}
	switch name {
	case "and", "or":
		return f.andOr(n, name, args, final, dot)
	case "not":
		vs := vals()
		if len(vs) != 1 {
			f.fail(n, "wrong number of args for not: want 1 got %d", len(vs))
		}
		return f.bind(value{code: "!(" + f.truth(n, vs[0]) + ")", typ: boolType})
	case "len":
		vs := vals()
		if len(vs) != 1 || vs[0].typ == nil {
			f.fail(n, "no translation for this len")
		}
		switch u := vs[0].typ.Underlying().(type) {
		case *types.Slice, *types.Map, *types.Array, *types.Chan:
		case *types.Basic:
			if u.Info()&types.IsString == 0 {
				f.fail(n, "len of %s", vs[0].typ)
			}
		default:
			f.fail(n, "no translation for len of a %s", vs[0].typ)
		}
		return f.bind(value{code: "len(" + vs[0].code + ")", typ: intType})
	case "index":
		return f.index(n, args, final, dot)
	case "eq", "ne", "lt", "le", "gt", "ge":
		return f.compare(n, name, vals())
	case "print", "printf", "println":
		vs := vals()
		var codes []string
		for _, v := range vs {
			if v.typ == nil {
				codes = append(codes, "nil")
			} else {
				codes = append(codes, v.code)
			}
		}
		if name == "printf" && (len(args) == 0 || args[0].Type() != parse.NodeString) {
			f.fail(n, "no translation for printf without a constant format")
		}
		f.set.g.imports["fmt"] = "fmt"
		fn := map[string]string{"print": "Sprint", "printf": "Sprintf", "println": "Sprintln"}[name]
		return f.bind(value{code: "fmt." + fn + "(" + strings.Join(codes, ", ") + ")", typ: strType, call: true})
	}
	f.fail(n, "no translation for function %q", name)
	panic("unreachable")
}

// tuple calls "list": a []any whose elements' types are known.
func (f *fnGen) tuple(n parse.Node, args []parse.Node, final *value, dot value) value {
	var codes []string
	var elems []types.Type
	add := func(v value) {
		if v.typ == nil {
			f.fail(n, "no translation for nil in list")
		}
		codes = append(codes, v.code)
		elems = append(elems, v.typ)
	}
	for _, a := range args {
		add(f.bind(f.argValue(a, dot)))
	}
	if final != nil {
		add(*final)
	}
	id := f.temp("t")
	f.line("%s := []any{%s}", id, strings.Join(codes, ", "))
	return value{code: id, typ: anySlice, tuple: elems, call: true}
}

// andOr evaluates and or or, which stop at the first false (true)
// argument and give its value: of the arguments' type when they share one,
// else an any.
func (f *fnGen) andOr(n parse.Node, name string, args []parse.Node, final *value, dot value) value {
	if len(args)+boolIndex(final != nil) < 1 {
		f.fail(n, "wrong number of args for %s", name)
	}
	mark, count, indent := f.b.Len(), f.n, f.indent
	v, ok := f.andOrAs(n, name, args, final, dot, false)
	if !ok {
		// Arguments of different types: again, into an any.
		b := f.b.String()[:mark]
		f.b.Reset()
		f.b.WriteString(b)
		f.n, f.indent = count, indent
		v, _ = f.andOrAs(n, name, args, final, dot, true)
	}
	return v
}

type mixedTypes struct{}

func (f *fnGen) andOrAs(n parse.Node, name string, args []parse.Node, final *value, dot value, asAny bool) (res value, ok bool) {
	depth := len(f.scopes)
	defer func() {
		if r := recover(); r != nil {
			if _, mixed := r.(mixedTypes); !mixed {
				panic(r)
			}
			f.scopes = f.scopes[:depth]
			ok = false
		}
	}()
	id := f.temp("v")
	var resType types.Type
	assign := func(v value) {
		if v.typ == nil || v.tuple != nil {
			f.fail(n, "no translation for %s of these arguments", name)
		}
		switch {
		case resType == nil && asAny:
			resType = anyType
			f.line("var %s any = %s", id, v.code)
		case resType == nil:
			resType = v.typ
			f.line("%s := %s", id, v.code)
		case !asAny && !types.Identical(v.typ, resType):
			panic(mixedTypes{})
		default:
			f.line("%s = %s", id, v.code)
		}
	}
	cond := func() string {
		t := f.truth(n, value{code: id, typ: resType})
		if name == "or" {
			return "!(" + t + ")"
		}
		return t
	}
	opened := 0
	for i, a := range args {
		if i > 0 {
			f.open("if %s {", cond())
			opened++
		}
		assign(f.argValue(a, dot))
	}
	if final != nil {
		if len(args) > 0 {
			f.open("if %s {", cond())
			opened++
		}
		assign(*final)
	}
	for ; opened > 0; opened-- {
		f.close("}")
	}
	return value{code: id, typ: resType}, true
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// index evaluates index: a "list" with constant indices, a slice, array or
// string with a bounds check, or a map.
func (f *fnGen) index(n parse.Node, args []parse.Node, final *value, dot value) value {
	var nodes []parse.Node
	nodes = append(nodes, args...)
	if final != nil || len(nodes) < 1 {
		f.fail(n, "no translation for this index")
	}
	v := f.bind(f.argValue(nodes[0], dot))
	for _, in := range nodes[1:] {
		if v.typ == nil {
			f.fail(n, "index of untyped nil")
		}
		if v.tuple != nil {
			num, ok := in.(*parse.NumberNode)
			if !ok || !num.IsInt || num.Int64 < 0 || num.Int64 >= int64(len(v.tuple)) {
				f.fail(n, "no translation for index %s of a list of %d", in, len(v.tuple))
			}
			et := v.tuple[num.Int64]
			code := v.code + "[" + strconv.FormatInt(num.Int64, 10) + "]"
			if isEmptyInterface(et) {
				v = f.bind(value{code: code, typ: et})
				continue
			}
			id, ok2 := f.temp("v"), f.temp("ok")
			f.line("%s, %s := %s.(%s)", id, ok2, code, f.set.g.typeString(et))
			f.line("if !%s {", ok2)
			f.line("\treturn errFallback")
			f.line("}")
			v = value{code: id, typ: et}
			continue
		}
		switch u := v.typ.Underlying().(type) {
		case *types.Slice, *types.Array, *types.Basic:
			var et types.Type
			switch u := u.(type) {
			case *types.Slice:
				et = u.Elem()
			case *types.Array:
				et = u.Elem()
			case *types.Basic:
				if u.Info()&types.IsString == 0 {
					f.fail(n, "can't index item of type %s", v.typ)
				}
				et = types.Typ[types.Byte]
			}
			i := f.bind(value{code: f.arg(in, intType, dot), typ: intType})
			f.line("if %s < 0 || %s >= len(%s) {", i.code, i.code, v.code)
			f.line("\treturn errFallback")
			f.line("}")
			v = f.bind(value{code: v.code + "[" + i.code + "]", typ: et})
		case *types.Map:
			k := f.arg(in, u.Key(), dot)
			v = f.bind(value{code: v.code + "[" + k + "]", typ: u.Elem()})
		default:
			f.fail(n, "no translation for index of a %s", v.typ)
		}
	}
	return v
}

// kind classes of text/template's comparisons.
const (
	kindNone = iota
	kindBool
	kindInt
	kindUint
	kindFloat
	kindString
)

func basicKind(t types.Type) int {
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return kindNone
	}
	switch info := b.Info(); {
	case info&types.IsBoolean != 0:
		return kindBool
	case info&types.IsUnsigned != 0:
		return kindUint
	case info&types.IsInteger != 0:
		return kindInt
	case info&types.IsFloat != 0:
		return kindFloat
	case info&types.IsString != 0:
		return kindString
	}
	return kindNone
}

// compare evaluates eq, ne, lt, le, gt or ge of values of one basic kind.
func (f *fnGen) compare(n parse.Node, name string, vs []value) value {
	if len(vs) < 2 || name != "eq" && len(vs) != 2 {
		f.fail(n, "no translation for %s of %d values", name, len(vs))
	}
	conv := map[int]string{kindBool: "bool", kindInt: "int64", kindUint: "uint64", kindFloat: "float64", kindString: "string"}
	k := kindNone
	if vs[0].typ != nil {
		k = basicKind(vs[0].typ)
	}
	if k == kindNone || vs[0].tuple != nil {
		f.fail(n, "no translation for %s of a %s", name, vs[0].typ)
	}
	if k == kindBool && name != "eq" && name != "ne" {
		f.fail(n, "no translation for %s of booleans", name)
	}
	side := func(v value) string {
		if v.typ == nil || v.tuple != nil || basicKind(v.typ) != k {
			f.fail(n, "no translation for %s of values of different kinds", name)
		}
		return conv[k] + "(" + v.code + ")"
	}
	left := side(vs[0])
	op := map[string]string{"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[name]
	var terms []string
	for _, v := range vs[1:] {
		terms = append(terms, left+" "+op+" "+side(v))
	}
	return f.bind(value{code: strings.Join(terms, " || "), typ: boolType})
}
