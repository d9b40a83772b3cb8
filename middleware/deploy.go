package middleware

import (
	"slices"
	"strconv"
	"strings"
)

// Level is the severity of a check message, with the numbers of Django's checks framework.
type Level int

// The levels deploy checks report.
const (
	LevelWarning Level = 30
	LevelError   Level = 40
)

// String returns the level's name in capitals, as Django prints it.
func (l Level) String() string {
	switch l {
	case LevelWarning:
		return "WARNING"
	case LevelError:
		return "ERROR"
	}
	return "LEVEL " + strconv.Itoa(int(l))
}

// Message is the result of a failed check: Django's CheckMessage.
type Message struct {
	// ID identifies the check, such as "security.W004".
	ID string
	// Level is LevelWarning or LevelError.
	Level Level
	// Text says what is wrong.
	Text string
	// Hint says how to fix it, when there is more to say.
	Hint string
}

// The checks of Django's `check --deploy` (django/core/checks/security/base.py) that concern this
// package's middleware and settings, in Django's words; a middleware is named as it appears in
// MIDDLEWARE (see Names). Each function takes the MIDDLEWARE names and the values of the
// settings involved, and returns nil when the check passes.

// CheckSecurityMiddleware is security.W001: the security middleware is not in MIDDLEWARE.
func CheckSecurityMiddleware(middleware []string) *Message {
	if hasSecurity(middleware) {
		return nil
	}
	return &Message{ID: "security.W001", Level: LevelWarning, Text: "You do not have 'security' " +
		"in your MIDDLEWARE so the SECURE_HSTS_SECONDS, " +
		"SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, " +
		"SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will " +
		"have no effect."}
}

// CheckXFrameOptionsMiddleware is security.W002: the xframe middleware is not in MIDDLEWARE.
func CheckXFrameOptionsMiddleware(middleware []string) *Message {
	if hasXFrame(middleware) {
		return nil
	}
	return &Message{ID: "security.W002", Level: LevelWarning, Text: "You do not have " +
		"'xframe' in your " +
		"MIDDLEWARE, so your pages will not be served with an " +
		"'x-frame-options' header. Unless there is a good reason for your " +
		"site to be served in a frame, you should consider enabling this " +
		"header to help prevent clickjacking attacks."}
}

// CheckHSTS is security.W004: the security middleware is on and SECURE_HSTS_SECONDS is 0.
func CheckHSTS(middleware []string, hstsSeconds int) *Message {
	if !hasSecurity(middleware) || hstsSeconds != 0 {
		return nil
	}
	return &Message{ID: "security.W004", Level: LevelWarning, Text: "You have not set a value for the SECURE_HSTS_SECONDS setting. " +
		"If your entire site is served only over SSL, you may want to consider " +
		"setting a value and enabling HTTP Strict Transport Security. " +
		"Be sure to read the documentation first; enabling HSTS carelessly " +
		"can cause serious, irreversible problems."}
}

// CheckHSTSIncludeSubdomains is security.W005: HSTS is on without
// SECURE_HSTS_INCLUDE_SUBDOMAINS.
func CheckHSTSIncludeSubdomains(middleware []string, hstsSeconds int, includeSubdomains bool) *Message {
	if !hasSecurity(middleware) || hstsSeconds == 0 || includeSubdomains {
		return nil
	}
	return &Message{ID: "security.W005", Level: LevelWarning, Text: "You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True. " +
		"Without this, your site is potentially vulnerable to attack " +
		"via an insecure connection to a subdomain. Only set this to True if " +
		"you are certain that all subdomains of your domain should be served " +
		"exclusively via SSL."}
}

// CheckContentTypeNosniff is security.W006: the security middleware is on and
// SECURE_CONTENT_TYPE_NOSNIFF is false (SecurityConfig.DisableContentTypeNosniff).
func CheckContentTypeNosniff(middleware []string, nosniff bool) *Message {
	if !hasSecurity(middleware) || nosniff {
		return nil
	}
	return &Message{ID: "security.W006", Level: LevelWarning, Text: "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True, " +
		"so your pages will not be served with an " +
		"'X-Content-Type-Options: nosniff' header. " +
		"You should consider enabling this header to prevent the " +
		"browser from identifying content types incorrectly."}
}

// CheckSSLRedirect is security.W008: the security middleware is on and SECURE_SSL_REDIRECT is
// false.
func CheckSSLRedirect(middleware []string, sslRedirect bool) *Message {
	if !hasSecurity(middleware) || sslRedirect {
		return nil
	}
	return &Message{ID: "security.W008", Level: LevelWarning, Text: "Your SECURE_SSL_REDIRECT setting is not set to True. " +
		"Unless your site should be available over both SSL and non-SSL " +
		"connections, you may want to either set this setting True " +
		"or configure a load balancer or reverse-proxy server " +
		"to redirect all connections to HTTPS."}
}

// CheckXFrameDeny is security.W019: the xframe middleware is on and X_FRAME_OPTIONS is not
// DENY. An empty value is the default, DENY; the comparison is exact, as Django's.
func CheckXFrameDeny(middleware []string, xFrameOptions string) *Message {
	if !hasXFrame(middleware) || xFrameOptions == "" || xFrameOptions == Deny {
		return nil
	}
	return &Message{ID: "security.W019", Level: LevelWarning, Text: "You have " +
		"'xframe' in your " +
		"MIDDLEWARE, but X_FRAME_OPTIONS is not set to 'DENY'. " +
		"Unless there is a good reason for your site to serve other parts of " +
		"itself in a frame, you should change it to 'DENY'."}
}

// CheckAllowedHosts is security.W020: ALLOWED_HOSTS is empty.
func CheckAllowedHosts(allowedHosts []string) *Message {
	if len(allowedHosts) > 0 {
		return nil
	}
	return &Message{ID: "security.W020", Level: LevelWarning, Text: "ALLOWED_HOSTS must not be empty in deployment."}
}

// CheckHSTSPreload is security.W021: HSTS is on without SECURE_HSTS_PRELOAD.
func CheckHSTSPreload(middleware []string, hstsSeconds int, preload bool) *Message {
	if !hasSecurity(middleware) || hstsSeconds == 0 || preload {
		return nil
	}
	return &Message{ID: "security.W021", Level: LevelWarning, Text: "You have not set the SECURE_HSTS_PRELOAD setting to True. Without this, " +
		"your site cannot be submitted to the browser preload list."}
}

// CheckReferrerPolicy is security.W022 (the security middleware is on and the Referrer-Policy
// header is disabled: SECURE_REFERRER_POLICY = None, SecurityConfig.DisableReferrerPolicy) and
// security.E023 (a value is not a referrer policy). policy holds the setting's values, each
// possibly comma-separated; nil means the default, same-origin.
func CheckReferrerPolicy(middleware []string, policy []string, disabled bool) *Message {
	if !hasSecurity(middleware) {
		return nil
	}
	if disabled {
		return &Message{ID: "security.W022", Level: LevelWarning, Text: "You have not set the SECURE_REFERRER_POLICY setting. Without this, your " +
			"site will not send a Referrer-Policy header. You should consider " +
			"enabling this header to protect user privacy."}
	}
	if _, err := referrerPolicy(policy); err != nil {
		return &Message{ID: "security.E023", Level: LevelError,
			Text: "You have set the SECURE_REFERRER_POLICY setting to an invalid value.",
			Hint: "Valid values are: " + strings.Join(referrerPolicies, ", ") + "."}
	}
	return nil
}

// CheckCrossOriginOpenerPolicy is security.E024: the security middleware is on and
// SECURE_CROSS_ORIGIN_OPENER_POLICY is not a valid value. "" is the default, same-origin; a
// disabled header (None) passes.
func CheckCrossOriginOpenerPolicy(middleware []string, policy string) *Message {
	if !hasSecurity(middleware) || policy == "" || slices.Contains(crossOriginOpenerPolicies, policy) {
		return nil
	}
	return &Message{ID: "security.E024", Level: LevelError,
		Text: "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value.",
		Hint: "Valid values are: " + strings.Join(crossOriginOpenerPolicies, ", ") + "."}
}

// DeployChecks runs every check of this file, in Django's order of ids, for a MIDDLEWARE list,
// this package's configuration and ALLOWED_HOSTS, and returns the messages of those that fail.
func DeployChecks(middleware []string, cfg Config, allowedHosts []string) []Message {
	s := cfg.Security
	coop := s.CrossOriginOpenerPolicy
	if s.DisableCrossOriginOpenerPolicy {
		coop = ""
	}
	checks := []*Message{
		CheckSecurityMiddleware(middleware),
		CheckXFrameOptionsMiddleware(middleware),
		CheckHSTS(middleware, s.HSTSSeconds),
		CheckHSTSIncludeSubdomains(middleware, s.HSTSSeconds, s.HSTSIncludeSubdomains),
		CheckContentTypeNosniff(middleware, !s.DisableContentTypeNosniff),
		CheckSSLRedirect(middleware, s.SSLRedirect),
		CheckXFrameDeny(middleware, cfg.XFrame.Value),
		CheckAllowedHosts(allowedHosts),
		CheckHSTSPreload(middleware, s.HSTSSeconds, s.HSTSPreload),
		CheckReferrerPolicy(middleware, s.ReferrerPolicy, s.DisableReferrerPolicy),
		CheckCrossOriginOpenerPolicy(middleware, coop),
	}
	var out []Message
	for _, m := range checks {
		if m != nil {
			out = append(out, *m)
		}
	}
	return out
}

func hasSecurity(middleware []string) bool { return slices.Contains(middleware, "security") }
func hasXFrame(middleware []string) bool   { return slices.Contains(middleware, "xframe") }
