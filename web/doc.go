// Package web holds the values every Canter view and middleware works with: the request, the
// response, the view and middleware types, and HTTP errors as Go errors — Django's django.http.
//
// A view is a function from a *Request to a *Response (or an error):
//
//	func item(r *web.Request) (*web.Response, error) {
//		id, err := r.Params().Int("id")
//		if err != nil {
//			return nil, err
//		}
//		if id > 1000 {
//			return nil, web.NotFound("no item %d", id)
//		}
//		return web.JSON(map[string]int{"id": id})
//	}
//
// *Request embeds *http.Request and adds the matched route's parameters, query and form access
// with Django's upload limits (a violation is a 400 with Django's reason, never a crash), the
// host checked against the allowed hosts, proxy-aware scheme and client address, and
// request-scoped values. *Response is a value that middleware can read and change before the
// gateway writes it: a status, headers, cookies, and a body given as bytes, a stream, a file, or
// any http.Handler.
//
// Middleware is Django's middleware factory (Middleware.Wrap), with the optional process_view
// and process_exception hooks as the ViewProcessor and ExceptionProcessor interfaces; Hooks
// adapts old-style hook functions and FromHTTP adapts any func(http.Handler) http.Handler.
// Middleware that adds a header to every response unless the view chose one (Django's
// response.setdefault) should call Response.SetDefaultHeader: common headers are then kept
// without a map, and a plaintext response through the default stack costs one allocation.
// Response.Header makes the map, for code that reads or replaces headers.
package web
