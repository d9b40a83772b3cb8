package django

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/flosch/pongo2/v6"

	"github.com/canter-go/canter/csrf"
	"github.com/canter-go/canter/templates"
	"github.com/canter-go/canter/urls"
	"github.com/canter-go/canter/web"
)

// tagsErr is set when another package registered one of this package's tags first.
var tagsErr error

func init() {
	for name, parser := range map[string]pongo2.TagParser{
		"csrf_token": parseCSRFToken,
		"url":        parseURL,
		"static":     parseStatic,
		"load":       parseLoad,
	} {
		if err := pongo2.RegisterTag(name, parser); err != nil {
			tagsErr = errors.Join(tagsErr, fmt.Errorf("the pongo2 tag %q is registered by another package of this program, so Canter's cannot be: %w", name, err))
		}
	}
	// Autoescaping goes through the escape filter: make it Django's (' becomes &#x27;, as
	// Python's html.escape writes it, where pongo2 writes &#39;), in one pass.
	for _, name := range []string{"escape", "e"} {
		if err := pongo2.ReplaceFilter(name, escapeFilter); err != nil {
			tagsErr = errors.Join(tagsErr, err)
		}
	}
}

// escapeFilter is Django's escape filter.
func escapeFilter(in *pongo2.Value, _ *pongo2.Value) (*pongo2.Value, *pongo2.Error) {
	return pongo2.AsSafeValue(escape(in.String())), nil
}

// lookup finds a name in the context as pongo2 resolves variables: the tags' values first,
// then the data.
func lookup(ctx *pongo2.ExecutionContext, name string) any {
	if v, ok := ctx.Private[name]; ok {
		return v
	}
	return ctx.Public[name]
}

// requestOf returns the request the template is rendered for.
func requestOf(ctx *pongo2.ExecutionContext) *web.Request {
	r, _ := lookup(ctx, "request").(*web.Request)
	return r
}

// csrfTokenNode is {% csrf_token %}: the hidden form field that carries the context's CSRF
// token, as Django renders it, or nothing when the context has none.
type csrfTokenNode struct{}

func parseCSRFToken(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	if args.Remaining() > 0 {
		return nil, args.Error("csrf_token takes no arguments.", nil)
	}
	return csrfTokenNode{}, nil
}

func (csrfTokenNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	v := lookup(ctx, "csrf_token")
	if pv, ok := v.(*pongo2.Value); ok {
		v = pv.Interface()
	}
	tok := templates.TokenOf(templates.Context{"csrf_token": v})
	if tok != "" {
		w.WriteString(`<input type="hidden" name="` + csrf.FieldName + `" value="` + escape(tok) + `">`)
	}
	return nil
}

// urlNode is {% url 'name' arg … %}, {% url 'name' key=value … %} and
// {% url … as var %}: the path of a named route (Django's reverse).
type urlNode struct {
	start  *pongo2.Token
	name   pongo2.IEvaluator
	args   []pongo2.IEvaluator
	keys   []string
	values []pongo2.IEvaluator
	asVar  string
}

func parseURL(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	n := &urlNode{start: start}
	if args.Remaining() == 0 {
		return nil, args.Error("'url' takes at least one argument, a URL pattern name.", start)
	}
	var err *pongo2.Error
	if n.name, err = args.ParseExpression(); err != nil {
		return nil, err
	}
	for args.Remaining() > 0 {
		if args.Match(pongo2.TokenKeyword, "as") != nil {
			v := args.MatchType(pongo2.TokenIdentifier)
			if v == nil || args.Remaining() > 0 {
				return nil, args.Error("'as' must be followed by one variable name, at the end of the url tag.", nil)
			}
			n.asVar = v.Val
			break
		}
		if args.PeekTypeN(0, pongo2.TokenIdentifier) != nil && args.PeekN(1, pongo2.TokenSymbol, "=") != nil {
			key := args.MatchType(pongo2.TokenIdentifier)
			args.Consume() // "="
			v, err := args.ParseExpression()
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, key.Val)
			n.values = append(n.values, v)
			continue
		}
		v, err := args.ParseExpression()
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, v)
	}
	if len(n.args) > 0 && len(n.keys) > 0 {
		return nil, args.Error("Don't mix *args and **kwargs in call to reverse()!", start)
	}
	return n, nil
}

func (n *urlNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	name, perr := n.name.Evaluate(ctx)
	if perr != nil {
		return perr
	}
	var args []any
	for _, a := range n.args {
		v, perr := a.Evaluate(ctx)
		if perr != nil {
			return perr
		}
		args = append(args, v.Interface())
	}
	if len(n.keys) > 0 {
		kw := make(urls.Kw, len(n.keys))
		for i, k := range n.keys {
			v, perr := n.values[i].Evaluate(ctx)
			if perr != nil {
				return perr
			}
			kw[k] = v.Interface()
		}
		args = []any{kw}
	}
	var url string
	var err error
	if r := requestOf(ctx); r != nil {
		url, err = r.Reverse(name.String(), args...)
	} else {
		err = errors.New("the url tag needs the request in the context: render with templates.Render, or with the request")
	}
	if n.asVar != "" {
		// As in Django, {% url … as var %} sets "" instead of failing.
		ctx.Private[n.asVar] = url
		return nil
	}
	if err != nil {
		return ctx.OrigError(err, n.start)
	}
	write(ctx, w, url)
	return nil
}

// staticNode is {% static 'path' %} and {% static … as var %}: the URL of a static file.
type staticNode struct {
	start *pongo2.Token
	name  pongo2.IEvaluator
	asVar string
}

func parseStatic(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	n := &staticNode{start: start}
	if args.Remaining() == 0 {
		return nil, args.Error("'static' takes at least one argument (path to file)", start)
	}
	var err *pongo2.Error
	if n.name, err = args.ParseExpression(); err != nil {
		return nil, err
	}
	if args.Match(pongo2.TokenKeyword, "as") != nil {
		v := args.MatchType(pongo2.TokenIdentifier)
		if v == nil {
			return nil, args.Error("'as' must be followed by a variable name.", nil)
		}
		n.asVar = v.Val
	}
	if args.Remaining() > 0 {
		return nil, args.Error("Malformed static tag: write {% static 'path' %} or {% static 'path' as name %}.", nil)
	}
	return n, nil
}

func (n *staticNode) Execute(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter) *pongo2.Error {
	name, perr := n.name.Evaluate(ctx)
	if perr != nil {
		return perr
	}
	e, _ := lookup(ctx, engineKey).(*engine)
	if e == nil {
		return ctx.OrigError(errors.New("the static tag works only in templates of a Canter engine"), n.start)
	}
	url, err := e.env.StaticFileURL(name.String())
	if err != nil {
		return ctx.OrigError(err, n.start)
	}
	if n.asVar != "" {
		ctx.Private[n.asVar] = url
		return nil
	}
	write(ctx, w, url)
	return nil
}

// write writes s, escaped when autoescaping is on, as Django's url and static tags do.
func write(ctx *pongo2.ExecutionContext, w pongo2.TemplateWriter, s string) {
	if ctx.Autoescape {
		s = escape(s)
	}
	w.WriteString(s)
}

// escaper is Django's escape (Python's html.escape): &, <, >, " and '.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;")

func escape(s string) string { return escaper.Replace(s) }

// libraries are the tag libraries {% load %} accepts: their tags are always available, so
// loading them does nothing, but Django templates say {% load static %}.
var libraries = []string{"static"}

// loadNode is {% load static %}, which templates written for Django start with.
type loadNode struct{}

func parseLoad(doc *pongo2.Parser, start *pongo2.Token, args *pongo2.Parser) (pongo2.INodeTag, *pongo2.Error) {
	if args.Remaining() == 0 {
		return nil, args.Error("'load' needs the name of a tag library.", start)
	}
	for args.Remaining() > 0 {
		tok := args.MatchType(pongo2.TokenIdentifier)
		if tok == nil {
			return nil, args.Error("'load' takes the names of tag libraries.", nil)
		}
		if !slices.Contains(libraries, tok.Val) {
			return nil, args.Error(fmt.Sprintf("'%s' is not a registered tag library. Must be one of:\n%s", tok.Val, strings.Join(libraries, "\n")), tok)
		}
	}
	return loadNode{}, nil
}

func (loadNode) Execute(*pongo2.ExecutionContext, pongo2.TemplateWriter) *pongo2.Error { return nil }
