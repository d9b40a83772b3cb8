package middleware

import (
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/canter-go/canter/web"
)

// ConditionalGetConfig configures ConditionalGet. Django's ConditionalGetMiddleware has no
// settings; the struct exists so that every middleware is made the same way.
type ConditionalGetConfig struct{}

type conditionalGet struct{}

// ConditionalGet returns Django's ConditionalGetMiddleware, which answers conditional GET
// requests. For GET requests only, it gives a non-streaming, non-empty response without an ETag
// the ETag `"<md5 of the body in hex>"` (unless Cache-Control has no-store); then, for a 2xx
// response with an ETag or a Last-Modified date, it applies the request's preconditions as
// RFC 9110 orders them:
//
//   - If-Match that does not match strongly: 412 Precondition Failed;
//   - else If-Unmodified-Since earlier than Last-Modified (or no Last-Modified): 412;
//   - If-None-Match that matches weakly ("*" matches any ETag): 304 Not Modified;
//   - else If-Modified-Since not earlier than Last-Modified: 304.
//
// A 304 keeps Cache-Control, Content-Location, Date, ETag, Expires, Last-Modified, Vary and the
// cookies of the response it replaces, and nothing else.
func ConditionalGet(ConditionalGetConfig) (web.Middleware, error) { return conditionalGet{}, nil }

// Wrap implements web.Middleware.
func (conditionalGet) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		resp, err := next(r)
		if err != nil || r.Method != http.MethodGet {
			return resp, err
		}
		h := resp.Header()
		if _, ok := h["Etag"]; !ok && !resp.IsStreaming() && len(resp.Body) > 0 && !noStore(h) {
			sum := md5.Sum(resp.Body)
			var buf [2 + 2*md5.Size]byte
			buf[0], buf[len(buf)-1] = '"', '"'
			hex.Encode(buf[1:], sum[:])
			h["Etag"] = []string{string(buf[:])}
		}
		etag := h.Get("Etag")
		lastModified, hasLM := httpDate(h.Get("Last-Modified"))
		if etag == "" && !hasLM {
			return resp, nil
		}
		return conditionalResponse(r, resp, etag, lastModified, hasLM), nil
	}
}

// noStore reports whether Cache-Control holds no-store.
func noStore(h http.Header) bool {
	for _, v := range h["Cache-Control"] {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), "no-store") {
				return true
			}
		}
	}
	return false
}

// httpDate parses an HTTP date in any of its three formats to Unix seconds.
func httpDate(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	return t.Unix(), true
}

// conditionalResponse is Django's get_conditional_response.
func conditionalResponse(r *web.Request, resp *web.Response, etag string, lastModified int64, hasLM bool) *web.Response {
	if s := resp.StatusCode(); s < 200 || s >= 300 {
		return resp
	}
	ifMatch := parseETags(r.Header.Get("If-Match"))
	ifNoneMatch := parseETags(r.Header.Get("If-None-Match"))
	ifUnmodifiedSince, hasIUS := httpDate(r.Header.Get("If-Unmodified-Since"))
	ifModifiedSince, hasIMS := httpDate(r.Header.Get("If-Modified-Since"))
	getOrHead := r.Method == http.MethodGet || r.Method == http.MethodHead

	switch {
	case len(ifMatch) > 0 && !ifMatchPasses(etag, ifMatch):
		return web.NewResponse(http.StatusPreconditionFailed)
	case len(ifMatch) == 0 && hasIUS && !(hasLM && lastModified <= ifUnmodifiedSince):
		return web.NewResponse(http.StatusPreconditionFailed)
	}
	switch {
	case len(ifNoneMatch) > 0 && !ifNoneMatchPasses(etag, ifNoneMatch):
		if getOrHead {
			return notModified(resp)
		}
		return web.NewResponse(http.StatusPreconditionFailed)
	case len(ifNoneMatch) == 0 && hasIMS && hasLM && lastModified <= ifModifiedSince && getOrHead:
		return notModified(resp)
	}
	return resp
}

// parseETags returns the valid entity tags of an If-Match or If-None-Match header, or ["*"].
func parseETags(s string) []string {
	if s == "" {
		return nil
	}
	if strings.TrimSpace(s) == "*" {
		return []string{"*"}
	}
	var tags []string
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		tag := strings.TrimPrefix(part, "W/")
		if len(tag) >= 2 && tag[0] == '"' && tag[len(tag)-1] == '"' && !strings.Contains(tag[1:len(tag)-1], `"`) {
			tags = append(tags, part)
		}
	}
	return tags
}

// ifMatchPasses is the strong comparison of If-Match.
func ifMatchPasses(etag string, tags []string) bool {
	switch {
	case etag == "":
		return false
	case len(tags) == 1 && tags[0] == "*":
		return true
	case strings.HasPrefix(etag, "W/"):
		return false
	}
	for _, t := range tags {
		if t == etag {
			return true
		}
	}
	return false
}

// ifNoneMatchPasses is the weak comparison of If-None-Match: it passes when nothing matches.
func ifNoneMatchPasses(etag string, tags []string) bool {
	switch {
	case etag == "":
		return true
	case len(tags) == 1 && tags[0] == "*":
		return false
	}
	etag = strings.TrimPrefix(etag, "W/")
	for _, t := range tags {
		if strings.TrimPrefix(t, "W/") == etag {
			return false
		}
	}
	return true
}

// notModifiedHeaders are the headers a 304 keeps (RFC 9110 section 15.4.5, and Last-Modified).
var notModifiedHeaders = [...]string{"Cache-Control", "Content-Location", "Date", "Etag", "Expires", "Last-Modified", "Vary"}

// notModified returns the 304 that replaces resp.
func notModified(resp *web.Response) *web.Response {
	nm := web.NotModified()
	h := resp.Header()
	for _, k := range notModifiedHeaders {
		if v, ok := h[k]; ok {
			nm.Header()[k] = v
		}
	}
	for _, c := range resp.Cookies() {
		nm.SetCookie(c)
	}
	// Django's 304 forgets xframe_options_exempt; keeping it stops an X-Frame-Options layer
	// outside this one from adding a header that caches would copy onto the framed page.
	if resp.XFrameExempt() {
		nm.SetXFrameExempt()
	}
	return nm
}
