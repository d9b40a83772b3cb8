package templates

import (
	"bytes"
	"errors"

	"github.com/canter-go/canter/web"
)

// Render renders the named template for the request with data and returns it as a 200
// text/html response: Django's render shortcut. The template sees data and the request's
// values (see Env.Context). The engines are the ones the Engines middleware attached to the
// request.
//
//	func index(r *web.Request) (*web.Response, error) {
//		return templates.Render(r, "polls/index.html", templates.Context{"questions": latest()})
//	}
func Render(r *web.Request, name string, data any) (*web.Response, error) {
	e := Of(r)
	if e == nil {
		return nil, errNoEngines
	}
	body, err := e.RenderBytes(r, name, data)
	if err != nil {
		return nil, err
	}
	return web.Bytes(web.TextHTML, body), nil
}

var errNoEngines = errors.New("templates: no template engines are attached to this request: " +
	"put the *templates.Engines in the site's middleware (a project does it when TEMPLATES is set)")

// bytesRenderer is the optional method of a Template that renders into a new slice.
type bytesRenderer interface {
	RenderBytes(r *web.Request, data any) ([]byte, error)
}

// RenderBytes renders the named template for r with data and returns the output.
func (e *Engines) RenderBytes(r *web.Request, name string, data any) ([]byte, error) {
	t, err := e.Lookup(name)
	if err != nil {
		return nil, err
	}
	if br, ok := t.(bytesRenderer); ok {
		return br.RenderBytes(r, data)
	}
	var buf bytes.Buffer
	if err := t.Render(&buf, r, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
