package templates

import (
	"fmt"
	"reflect"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/web"
)

// Context is what a template sees, Django's context: names and their values. Render builds it
// with Env.Context from the view's data; a view may also pass a Context as its data.
type Context map[string]any

// Context returns the context a template is rendered with, for the request r and the view's
// data. It holds the values Django's default context processors add:
//
//	request     the *web.Request
//	csrf_token  the request's CSRF token, made only if the template prints it: printing it
//	            makes the CSRF cookie be sent with the response, as Django's lazy token does
//	debug       true when the site is in debug mode and the client's address is one of
//	            Env.InternalIPs
//
// (none of them when r is nil), then data's own names on top — the view's values win, as in
// Django. data may be nil, a Context or map[string]any (its entries), another map with string
// keys, or a struct or a pointer to one (its exported fields, by their Go names, embedded
// structs' fields included). A map is the cheapest.
func (env *Env) Context(r *web.Request, data any) (Context, error) {
	n := 0
	switch d := data.(type) {
	case Context:
		n = len(d)
	case map[string]any:
		n = len(d)
	}
	ctx := make(Context, n+3)
	if r != nil {
		ctx["request"] = r
		ctx["csrf_token"] = csrfToken{r}
		ctx["debug"] = env.debugFor(r)
	}
	switch d := data.(type) {
	case nil:
	case Context:
		for k, v := range d {
			ctx[k] = v
		}
	case map[string]any:
		for k, v := range d {
			ctx[k] = v
		}
	default:
		if err := addValues(ctx, reflect.ValueOf(data)); err != nil {
			return nil, err
		}
	}
	return ctx, nil
}

// debugFor is Django's debug context processor: DEBUG and the client in INTERNAL_IPS.
func (env *Env) debugFor(r *web.Request) bool {
	if r.Site() == nil || !r.Site().Debug || len(env.InternalIPs) == 0 {
		return false
	}
	ip := r.ClientIP()
	for _, p := range env.InternalIPs {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// addValues adds a map's entries or a struct's exported fields to ctx.
func addValues(ctx Context, v reflect.Value) error {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("templates: the data of a template must be a map with string keys, a struct or nil, not %s", v.Type())
		}
		for it := v.MapRange(); it.Next(); {
			ctx[it.Key().String()] = it.Value().Interface()
		}
		return nil
	case reflect.Struct:
		addFields(ctx, v)
		return nil
	}
	return fmt.Errorf("templates: the data of a template must be a map with string keys, a struct or nil, not %s", v.Type())
}

// addFields adds the exported fields of the struct v, and those of its embedded structs
// (which an outer field of the same name hides, as in Go).
func addFields(ctx Context, v reflect.Value) {
	t := v.Type()
	var embedded []reflect.Value
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			fv := v.Field(i)
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				embedded = append(embedded, fv)
				continue
			}
		}
		if f.IsExported() {
			ctx[f.Name] = v.Field(i).Interface()
		}
	}
	for _, e := range embedded {
		sub := Context{}
		addFields(sub, e)
		for k, val := range sub {
			if _, ok := ctx[k]; !ok {
				ctx[k] = val
			}
		}
	}
}

// csrfToken is the lazy csrf_token of a context: the token is made when the template prints
// it.
type csrfToken struct{ r *web.Request }

// String returns a new token for the request (and makes the CSRF cookie be sent).
func (t csrfToken) String() string { return csrf.Token(t.r) }

// RequestOf returns the request a template is rendered for, from the context (or the value a
// template helper received: a Context, a map holding "request", or the *web.Request itself).
// It returns nil when there is none.
func RequestOf(v any) *web.Request {
	switch c := v.(type) {
	case *web.Request:
		return c
	case Context:
		r, _ := c["request"].(*web.Request)
		return r
	case map[string]any:
		r, _ := c["request"].(*web.Request)
		return r
	}
	return nil
}

// TokenOf returns a CSRF token from the context, as Django's {% csrf_token %} reads it: the
// context's csrf_token (made now if it is the lazy token), or a token for the request when v
// is a *web.Request. It returns "" when there is none.
func TokenOf(v any) string {
	var tok any
	switch c := v.(type) {
	case *web.Request:
		return csrf.Token(c)
	case Context:
		tok = c["csrf_token"]
	case map[string]any:
		tok = c["csrf_token"]
	}
	switch t := tok.(type) {
	case string:
		if t == "NOTPROVIDED" {
			return ""
		}
		return t
	case fmt.Stringer:
		return t.String()
	}
	return ""
}
