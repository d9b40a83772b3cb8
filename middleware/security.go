package middleware

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/canter-go/canter/web"
)

// SecurityConfig configures Security. The zero value is Django's default: no HSTS, no HTTPS
// redirect, and the headers X-Content-Type-Options: nosniff, Referrer-Policy: same-origin and
// Cross-Origin-Opener-Policy: same-origin.
type SecurityConfig struct {
	// SSLRedirect answers every plain-HTTP request with a 301 to the same URL on https://
	// (SECURE_SSL_REDIRECT; default false). Behind a proxy that terminates TLS, set
	// web.Site.SecureProxyHeader too, or every request will look insecure and loop.
	SSLRedirect bool
	// SSLHost is the host the HTTPS redirect goes to (SECURE_SSL_HOST; default "": the host of
	// the request, validated against the allowed hosts).
	SSLHost string
	// RedirectExempt lists regular expressions (Go syntax) for paths that are not redirected to
	// HTTPS; each is searched in the path without its leading slashes, as Django does, so
	// `^health/` exempts /health/… (SECURE_REDIRECT_EXEMPT; default none).
	RedirectExempt []string
	// HSTSSeconds is the max-age of the Strict-Transport-Security header sent on HTTPS
	// responses (SECURE_HSTS_SECONDS; default 0, meaning no header). Start small: browsers
	// remember it, and a site that later stops serving HTTPS becomes unreachable.
	HSTSSeconds int
	// HSTSIncludeSubdomains adds includeSubDomains to HSTS (SECURE_HSTS_INCLUDE_SUBDOMAINS;
	// default false).
	HSTSIncludeSubdomains bool
	// HSTSPreload adds preload to HSTS (SECURE_HSTS_PRELOAD; default false).
	HSTSPreload bool
	// DisableContentTypeNosniff stops the X-Content-Type-Options: nosniff header
	// (SECURE_CONTENT_TYPE_NOSNIFF = False; Django's default is True, so it is sent).
	DisableContentTypeNosniff bool
	// ReferrerPolicy is the Referrer-Policy header: one value or several, as a list or
	// comma-separated, sent joined by "," so browsers fall back from left to right
	// (SECURE_REFERRER_POLICY; default "same-origin"). Valid values: no-referrer,
	// no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin,
	// strict-origin-when-cross-origin, unsafe-url.
	ReferrerPolicy []string
	// DisableReferrerPolicy stops the Referrer-Policy header (SECURE_REFERRER_POLICY = None).
	DisableReferrerPolicy bool
	// CrossOriginOpenerPolicy is the Cross-Origin-Opener-Policy header
	// (SECURE_CROSS_ORIGIN_OPENER_POLICY; default "same-origin"). Valid values: same-origin,
	// same-origin-allow-popups, unsafe-none.
	CrossOriginOpenerPolicy string
	// DisableCrossOriginOpenerPolicy stops the Cross-Origin-Opener-Policy header
	// (SECURE_CROSS_ORIGIN_OPENER_POLICY = None).
	DisableCrossOriginOpenerPolicy bool
}

// referrerPolicies lists the values SECURE_REFERRER_POLICY accepts, sorted (Django's
// REFERRER_POLICY_VALUES).
var referrerPolicies = []string{
	"no-referrer",
	"no-referrer-when-downgrade",
	"origin",
	"origin-when-cross-origin",
	"same-origin",
	"strict-origin",
	"strict-origin-when-cross-origin",
	"unsafe-url",
}

// crossOriginOpenerPolicies lists the values SECURE_CROSS_ORIGIN_OPENER_POLICY accepts, sorted
// (Django's CROSS_ORIGIN_OPENER_POLICY_VALUES).
var crossOriginOpenerPolicies = []string{"same-origin", "same-origin-allow-popups", "unsafe-none"}

// Django's defaults for the security headers.
const (
	DefaultReferrerPolicy          = "same-origin"
	DefaultCrossOriginOpenerPolicy = "same-origin"
)

type security struct {
	redirect bool
	sslHost  string
	exempt   []*regexp.Regexp
	hsts     string // the whole Strict-Transport-Security value, "" for none
	nosniff  bool
	referrer string // "" for none
	coop     string // "" for none

	anyHeader bool // some header may be added
}

// Security returns Django's SecurityMiddleware. On the way in, with SSLRedirect, a plain-HTTP
// request whose path no RedirectExempt pattern matches gets a 301 to
// https://(SSLHost or the request's host)/path?query. On the way out, it adds
// Strict-Transport-Security (HTTPS requests only, when HSTSSeconds is set),
// X-Content-Type-Options, Referrer-Policy and Cross-Origin-Opener-Policy, each only when the
// response does not have it already.
//
// It returns an error naming the setting for a bad exempt pattern, a negative HSTS age or a
// policy value browsers do not know.
func Security(cfg SecurityConfig) (web.Middleware, error) {
	s := &security{redirect: cfg.SSLRedirect, sslHost: cfg.SSLHost, nosniff: !cfg.DisableContentTypeNosniff}
	var errs []string
	for _, expr := range cfg.RedirectExempt {
		re, err := regexp.Compile(expr)
		if err != nil {
			errs = append(errs, fmt.Sprintf("SECURE_REDIRECT_EXEMPT: %q is not a valid regular expression: %v", expr, err))
			continue
		}
		s.exempt = append(s.exempt, re)
	}
	switch {
	case cfg.HSTSSeconds < 0:
		errs = append(errs, fmt.Sprintf("SECURE_HSTS_SECONDS: %d is negative; use 0 to send no Strict-Transport-Security header", cfg.HSTSSeconds))
	case cfg.HSTSSeconds > 0:
		s.hsts = "max-age=" + strconv.Itoa(cfg.HSTSSeconds)
		if cfg.HSTSIncludeSubdomains {
			s.hsts += "; includeSubDomains"
		}
		if cfg.HSTSPreload {
			s.hsts += "; preload"
		}
	}
	if !cfg.DisableReferrerPolicy {
		policy, err := referrerPolicy(cfg.ReferrerPolicy)
		if err != nil {
			errs = append(errs, err.Error())
		}
		s.referrer = policy
	}
	if !cfg.DisableCrossOriginOpenerPolicy {
		s.coop = cfg.CrossOriginOpenerPolicy
		if s.coop == "" {
			s.coop = DefaultCrossOriginOpenerPolicy
		} else if !slices.Contains(crossOriginOpenerPolicies, s.coop) {
			errs = append(errs, fmt.Sprintf("SECURE_CROSS_ORIGIN_OPENER_POLICY: %q is not a valid value; valid values are: %s (or disable the header)",
				s.coop, strings.Join(crossOriginOpenerPolicies, ", ")))
		}
	}
	if len(errs) > 0 {
		return nil, configError("security", errs)
	}
	s.anyHeader = s.hsts != "" || s.nosniff || s.referrer != "" || s.coop != ""
	return s, nil
}

// referrerPolicy validates the parts of a Referrer-Policy setting and joins them with ",".
func referrerPolicy(values []string) (string, error) {
	if len(values) == 0 {
		return DefaultReferrerPolicy, nil
	}
	var parts, bad []string
	for _, v := range values {
		for _, p := range splitList(v) {
			if !slices.Contains(referrerPolicies, p) {
				bad = append(bad, strconv.Quote(p))
			}
			parts = append(parts, p)
		}
	}
	if len(bad) > 0 {
		verb := "is not a valid value"
		if len(bad) > 1 {
			verb = "are not valid values"
		}
		return "", fmt.Errorf("SECURE_REFERRER_POLICY: %s %s; valid values are: %s (or disable the header)",
			strings.Join(bad, ", "), verb, strings.Join(referrerPolicies, ", "))
	}
	return strings.Join(parts, ","), nil
}

// Wrap implements web.Middleware.
func (s *security) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		if s.redirect && !r.IsSecure() && !s.isExempt(r.URL.Path) {
			host := s.sslHost
			if host == "" {
				h, err := r.Host()
				if err != nil {
					return nil, err
				}
				host = h
			}
			return web.PermanentRedirect("https://" + host + fullPath(r.URL, false)), nil
		}
		resp, err := next(r)
		if err != nil || !s.anyHeader {
			return resp, err
		}
		if s.hsts != "" && r.IsSecure() {
			resp.SetDefaultHeader("Strict-Transport-Security", s.hsts)
		}
		if s.nosniff {
			resp.SetDefaultHeader("X-Content-Type-Options", "nosniff")
		}
		if s.referrer != "" {
			resp.SetDefaultHeader("Referrer-Policy", s.referrer)
		}
		if s.coop != "" {
			resp.SetDefaultHeader("Cross-Origin-Opener-Policy", s.coop)
		}
		return resp, nil
	}
}

func (s *security) isExempt(path string) bool {
	if len(s.exempt) == 0 {
		return false
	}
	path = strings.TrimLeft(path, "/")
	for _, re := range s.exempt {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// configError reports every problem of one middleware's configuration at once.
func configError(name string, problems []string) error {
	if len(problems) == 1 {
		return fmt.Errorf("middleware %q: %s", name, problems[0])
	}
	return fmt.Errorf("middleware %q:\n  %s", name, strings.Join(problems, "\n  "))
}
