package middleware

import (
	"fmt"
	"strings"

	"github.com/canter-go/canter/web"
)

// XFrameConfig configures XFrameOptions.
type XFrameConfig struct {
	// Value is the X-Frame-Options header: "DENY" (no framing at all) or "SAMEORIGIN" (framing
	// by the site's own pages), in any case (X_FRAME_OPTIONS; default "DENY").
	Value string
}

// Values of the X-Frame-Options header.
const (
	Deny       = "DENY"
	SameOrigin = "SAMEORIGIN"
)

type xframe struct{ value string }

// XFrameOptions returns Django's XFrameOptionsMiddleware: it sets X-Frame-Options on every
// response that does not have it and is not exempt (XFrameExempt), which stops other sites from
// showing the pages in a frame (clickjacking).
//
// Django sends any value it is given; XFrameOptions refuses values other than DENY and
// SAMEORIGIN, which browsers would ignore, leaving the site unprotected.
func XFrameOptions(cfg XFrameConfig) (web.Middleware, error) {
	v := strings.ToUpper(cfg.Value)
	switch v {
	case "":
		v = Deny
	case Deny, SameOrigin:
	default:
		return nil, configError("xframe", []string{fmt.Sprintf(
			"X_FRAME_OPTIONS: %q is not a valid value; valid values are: DENY, SAMEORIGIN", cfg.Value)})
	}
	return &xframe{value: v}, nil
}

// Wrap implements web.Middleware.
func (x *xframe) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		resp, err := next(r)
		if err != nil {
			return nil, err
		}
		if !resp.XFrameExempt() {
			resp.SetDefaultHeader("X-Frame-Options", x.value)
		}
		return resp, nil
	}
}

// XFrameExempt returns a view that answers as view does, with responses the X-Frame-Options
// middleware leaves alone, so that the page may be framed by any site (Django's
// @xframe_options_exempt).
func XFrameExempt(view web.View) web.View {
	return web.CopyAttrs(func(r *web.Request) (*web.Response, error) {
		resp, err := view(r)
		if resp != nil {
			resp.SetXFrameExempt()
		}
		return resp, err
	}, view)
}

// XFrameDeny returns a view that answers as view does, with X-Frame-Options: DENY unless the
// view set the header itself (Django's @xframe_options_deny).
func XFrameDeny(view web.View) web.View { return xframeWith(view, Deny) }

// XFrameSameOrigin returns a view that answers as view does, with X-Frame-Options: SAMEORIGIN
// unless the view set the header itself (Django's @xframe_options_sameorigin).
func XFrameSameOrigin(view web.View) web.View { return xframeWith(view, SameOrigin) }

func xframeWith(view web.View, value string) web.View {
	return web.CopyAttrs(func(r *web.Request) (*web.Response, error) {
		resp, err := view(r)
		if resp != nil && err == nil {
			resp.SetDefaultHeader("X-Frame-Options", value)
		}
		return resp, err
	}, view)
}
