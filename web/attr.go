package web

import "reflect"

// View attributes let a decorator mark a view for middleware, as Django's decorators set
// attributes such as csrf_exempt on the view function: csrf.Exempt(view) returns a view that
// carries an attribute, and the CSRF middleware's ProcessView reads it with Attr before the
// view runs.

type attrSet struct {
	key, value any
	next       *attrSet
}

func (*attrSet) Error() string { return "web: view attributes" }

// probe is the request WithAttr views recognise: called with it, they return their attributes
// instead of running.
var probe = &Request{}

// WithAttr returns a view that behaves as v and carries the attribute key = value, plus every
// attribute v already carries. Use it once per view at start-up, not per request.
func WithAttr(v View, key, value any) View {
	return withAttrs(v, &attrSet{key: key, value: value, next: attrsOf(v)})
}

// withAttrs must not be inlined: every view it returns must share one code address (attrPC).
//
//go:noinline
func withAttrs(v View, set *attrSet) View {
	return func(r *Request) (*Response, error) {
		if r == probe {
			return nil, set
		}
		return v(r)
	}
}

// attrPC is the code address shared by every view withAttrs returns.
var attrPC = reflect.ValueOf(withAttrs(nil, nil)).Pointer()

func attrsOf(v View) *attrSet {
	if v == nil || reflect.ValueOf(v).Pointer() != attrPC {
		return nil
	}
	_, err := v(probe)
	set, _ := err.(*attrSet)
	return set
}

// Attr returns the value of the attribute key that v carries, or nil.
func Attr(v View, key any) any {
	for a := attrsOf(v); a != nil; a = a.next {
		if a.key == key {
			return a.value
		}
	}
	return nil
}

// CopyAttrs returns to carrying every attribute that from carries, for decorators that wrap a
// view in a new function and must keep the marks of the view they wrap (Python's
// functools.wraps).
func CopyAttrs(to, from View) View {
	var list []*attrSet
	for a := attrsOf(from); a != nil; a = a.next {
		list = append(list, a)
	}
	for i := len(list) - 1; i >= 0; i-- {
		to = WithAttr(to, list[i].key, list[i].value)
	}
	return to
}
