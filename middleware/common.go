package middleware

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/canter-go/canter/web"
)

// CommonConfig configures Common. The zero value is Django's default: no forbidden user agents,
// no "www." redirect, and APPEND_SLASH on.
type CommonConfig struct {
	// DisallowedUserAgents lists regular expressions (Go syntax); a request whose User-Agent
	// one of them matches anywhere is refused with 403 "Forbidden user agent"
	// (DISALLOWED_USER_AGENTS; default none).
	DisallowedUserAgents []string
	// PrependWWW redirects (301) requests for a host that does not start with "www." to the same
	// URL on "www." + host (PREPEND_WWW; default false).
	PrependWWW bool
	// DisableAppendSlash stops the redirect of a 404 path without a trailing slash to the same
	// path with one (APPEND_SLASH = False; Django's default is True).
	DisableAppendSlash bool
}

type common struct {
	agents      []*regexp.Regexp
	prependWWW  bool
	appendSlash bool
}

// Common returns Django's CommonMiddleware. On the way in it refuses forbidden user agents
// (403), validates the Host header against the site's allowed hosts on every request (400, with
// Django's message, for a bad one; see web.Request.Host) and, with PrependWWW, redirects to the
// "www." host. On the way out it does APPEND_SLASH as Django 4.1 and later do: a 404 for a path
// that does not end in "/" and does not resolve, when path + "/" resolves to a view not marked
// with NoAppendSlash, becomes a 301 to that path (query kept). With debug on, a DELETE, POST,
// PUT or PATCH is answered with a 500 that explains the mistake instead, since a redirect would
// lose the request's body.
//
// Django's CommonMiddleware also adds Content-Length to non-streaming responses; here the
// response writer does (net/http for small bodies, web.Response.Write for larger ones), so the
// client gets the header without this layer allocating it on every request.
//
// It returns an error naming DISALLOWED_USER_AGENTS for a pattern that does not compile.
func Common(cfg CommonConfig) (web.Middleware, error) {
	c := &common{prependWWW: cfg.PrependWWW, appendSlash: !cfg.DisableAppendSlash}
	var errs []string
	for _, expr := range cfg.DisallowedUserAgents {
		re, err := regexp.Compile(expr)
		if err != nil {
			errs = append(errs, fmt.Sprintf("DISALLOWED_USER_AGENTS: %q is not a valid regular expression: %v", expr, err))
			continue
		}
		c.agents = append(c.agents, re)
	}
	if len(errs) > 0 {
		return nil, configError("common", errs)
	}
	return c, nil
}

// errForbiddenAgent is Django's PermissionDenied("Forbidden user agent").
var errForbiddenAgent = &web.Error{Status: http.StatusForbidden, Message: "Forbidden user agent"}

// Wrap implements web.Middleware.
func (c *common) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		if len(c.agents) > 0 && c.forbiddenAgent(r) {
			return nil, errForbiddenAgent
		}
		host, err := r.Host()
		if err != nil {
			return nil, err
		}
		if c.prependWWW && host != "" && !strings.HasPrefix(host, "www.") {
			path := fullPath(r.URL, false)
			if c.shouldAppendSlash(r) {
				if path, err = c.pathWithSlash(r, host); err != nil {
					return nil, err
				}
			}
			return web.PermanentRedirect(r.Scheme() + "://www." + host + path), nil
		}
		resp, err := next(r)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode() == http.StatusNotFound && c.shouldAppendSlash(r) {
			path, err := c.pathWithSlash(r, host)
			if err != nil {
				return nil, err
			}
			return web.PermanentRedirect(path), nil
		}
		return resp, nil
	}
}

func (c *common) forbiddenAgent(r *web.Request) bool {
	for _, ua := range r.Header["User-Agent"] {
		for _, re := range c.agents {
			if re.MatchString(ua) {
				return true
			}
		}
	}
	return false
}

// shouldAppendSlash reports whether the request's path lacks a trailing slash, does not
// resolve, and resolves with one to a view that allows the redirect (Django's
// should_redirect_with_slash). A path that matches a route for other methods only (405)
// counts as resolving, since Django's resolver ignores methods.
func (c *common) shouldAppendSlash(r *web.Request) bool {
	path := r.URL.Path
	if !c.appendSlash || strings.HasSuffix(path, "/") {
		return false
	}
	resolver := r.Site().Resolver
	if resolver == nil {
		return false
	}
	// The gateway has resolved the path already (unless an inner layer answered first); the
	// request keeps the result.
	if _, err := r.Resolve(); resolves(err) {
		return false
	}
	var params [4]web.Param
	m := web.Match{Params: params[:0]}
	if !resolves(resolver.Resolve(r.Method, path+"/", &m)) {
		return false
	}
	return m.View == nil || web.Attr(m.View, noAppendSlashKey{}) == nil
}

// resolves reports whether a Resolve error means the path matched a route.
func resolves(err error) bool {
	return err == nil || web.StatusOf(err) == http.StatusMethodNotAllowed
}

// pathWithSlash returns the request's full path with a slash appended and a leading "//"
// escaped (Django's get_full_path_with_slash), or, with debug on and a method whose body a
// redirect would lose, the error Django raises there.
func (c *common) pathWithSlash(r *web.Request, host string) (string, error) {
	path := escapeLeadingSlashes(fullPath(r.URL, true))
	if r.Site().Debug {
		switch r.Method {
		case http.MethodDelete, http.MethodPost, http.MethodPut, http.MethodPatch:
			return "", &AppendSlashError{Method: r.Method, URL: host + path}
		}
	}
	return path, nil
}

// AppendSlashError is the failure (a 500) of a DELETE, POST, PUT or PATCH request to a URL
// without its trailing slash when debug is on and APPEND_SLASH would redirect it: a redirect
// loses the body, so the developer is told to fix the form instead (Django's RuntimeError).
type AppendSlashError struct {
	// Method is the request's method.
	Method string
	// URL is the host and path the form should point to.
	URL string
}

// Error returns Django's explanation, with the URL the form should use.
func (e *AppendSlashError) Error() string {
	return "You called this URL via " + e.Method + ", but the URL doesn't end in a slash and you have " +
		"APPEND_SLASH set. Canter can't redirect to the slash URL while maintaining " + e.Method +
		" data. Change your form to point to " + e.URL + " (note the trailing slash), or set " +
		"APPEND_SLASH=False in your settings."
}

type noAppendSlashKey struct{}

// NoAppendSlash marks view so that Common never redirects to it by appending a slash
// (Django's @no_append_slash): a request for its path without the slash stays a 404.
func NoAppendSlash(view web.View) web.View {
	return web.WithAttr(view, noAppendSlashKey{}, true)
}
