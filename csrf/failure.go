package csrf

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/canter-go/canter/web"
)

// Django's reasons for rejecting a request (the REASON_* constants of django.middleware.csrf),
// passed to the failure view and logged. The ones with %s are formats: the origin or the referer
// that arrived. Reasons about the token are built from the source and the problem, as
// "CSRF token from POST incorrect." or "CSRF cookie has incorrect length.".
const (
	ReasonBadOrigin        = "Origin checking failed - %s does not match any trusted origins."
	ReasonNoReferer        = "Referer checking failed - no Referer."
	ReasonBadReferer       = "Referer checking failed - %s does not match any trusted origins."
	ReasonNoCookie         = "CSRF cookie not set."
	ReasonTokenMissing     = "CSRF token missing."
	ReasonMalformedReferer = "Referer checking failed - Referer is malformed."
	ReasonInsecureReferer  = "Referer checking failed - Referer is insecure while host is secure."
)

// Canter's reasons for the Fetch Metadata check, in Django's style: the header's value, then
// the origin that arrived.
const (
	ReasonCrossSite         = "Fetch Metadata checking failed - Sec-Fetch-Site is %s and Origin %s does not match any trusted origins."
	ReasonCrossSiteNoOrigin = "Fetch Metadata checking failed - Sec-Fetch-Site is %s and no Origin was sent."
)

// FailureView answers a request the CSRF protection rejected (Django's CSRF_FAILURE_VIEW). It
// receives the reason and should answer 403; Failure is the default.
type FailureView func(r *web.Request, reason string) (*web.Response, error)

// Failure is the default failure view, Django's csrf_failure: a 403 page headed
// "Forbidden (403)" that says "CSRF verification failed. Request aborted.". When the site's
// Debug is on, the page adds the reason, what the request carried against what was expected,
// and how to fix the usual causes; with Debug off the reason only goes to the log.
func Failure(r *web.Request, reason string) (*web.Response, error) {
	d := failureData{
		Debug:     r.Site().Debug,
		Reason:    reason,
		NoReferer: reason == ReasonNoReferer,
		NoCookie:  reason == ReasonNoCookie,
	}
	if d.Debug {
		cfg := DefaultConfig()
		if m, _ := lookup(r); m != nil {
			cfg = m.cfg
		}
		d.Method = r.Method
		d.Origin = headerOrNone(r, "Origin")
		d.Referer = headerOrNone(r, "Referer")
		d.FetchSite = headerOrNone(r, "Sec-Fetch-Site")
		if d.Expected = ownOrigin(r); d.Expected == "" {
			d.Expected = "none: the Host header is not in AllowedHosts"
		}
		d.Trusted = cfg.TrustedOrigins
		d.CookieName = cfg.CookieName
		d.HeaderName = cfg.HeaderName
		d.OriginMode = cfg.Mode == ModeOrigin
		d.Sessions = cfg.UseSessions
	}
	var buf bytes.Buffer
	if err := failurePage.Execute(&buf, &d); err != nil {
		return nil, err
	}
	resp := web.Bytes(web.TextHTML, buf.Bytes()).WithStatus(http.StatusForbidden)
	return resp, nil
}

func headerOrNone(r *web.Request, name string) string {
	if vs, ok := r.Header[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	return "(none)"
}

type failureData struct {
	Debug, NoReferer, NoCookie, OriginMode, Sessions bool
	Reason, Method, Origin, Referer, FetchSite       string
	Expected, CookieName, HeaderName                 string
	Trusted                                          []string
}

var failurePage = template.Must(template.New("403_csrf").Parse(strings.TrimSpace(`
<!DOCTYPE html>
<html lang="en">
<head>
  <meta http-equiv="content-type" content="text/html; charset=utf-8">
  <meta name="robots" content="NONE,NOARCHIVE">
  <title>403 Forbidden</title>
  <style>
    html * { padding:0; margin:0; }
    body * { padding:10px 20px; }
    body * * { padding:0; }
    body { font-family: sans-serif; background:#eee; color:#000; }
    body > div { border-bottom:1px solid #ddd; }
    h1 { font-weight:normal; margin-bottom:.4em; }
    h1 span { font-size:60%; color:#666; font-weight:normal; }
    #info { background:#f6f6f6; }
    #info ul, #info dl { margin: 0.5em 4em; }
    #info p, #summary p { padding-top:10px; }
    #summary { background: #ffc; }
    #explanation { background:#eee; border-bottom: 0px none; }
  </style>
</head>
<body>
<div id="summary">
  <h1>Forbidden <span>(403)</span></h1>
  <p>CSRF verification failed. Request aborted.</p>
{{- if .NoReferer}}
  <p>You are seeing this message because this HTTPS site requires your browser to send a
  Referer header, and none was sent. The header is required for security reasons, to make sure
  that your browser is not being hijacked by a third party.</p>
  <p>If you have configured your browser to leave out Referer headers, please let it send them
  again, at least for this site, for HTTPS connections, or for same-origin requests.</p>
  <p>If the page uses <code>&lt;meta name="referrer" content="no-referrer"&gt;</code> or the header
  <code>Referrer-Policy: no-referrer</code>, please remove them: strict Referer checking needs the
  header. To keep links to other sites private, use <code>rel="noreferrer"</code> on those links
  instead.</p>
{{- end}}
{{- if .NoCookie}}
  <p>You are seeing this message because this site requires a CSRF cookie when forms are
  submitted. The cookie is required for security reasons, to make sure that your browser is not
  being hijacked by a third party.</p>
  <p>If you have configured your browser to refuse cookies, please accept them again, at least
  for this site or for same-origin requests.</p>
{{- end}}
</div>
{{if .Debug -}}
<div id="info">
  <h2>Help</h2>
  <p>Reason given for failure:</p>
  <pre>
    {{.Reason}}
  </pre>

  <p>What the request carried:</p>
  <dl>
    <dt>Method</dt><dd>{{.Method}}</dd>
    <dt>Origin</dt><dd>{{.Origin}}</dd>
    <dt>Referer</dt><dd>{{.Referer}}</dd>
    <dt>Sec-Fetch-Site</dt><dd>{{.FetchSite}}</dd>
    <dt>This site's origin, as the server sees it</dt><dd>{{.Expected}}</dd>
    <dt>Trusted origins</dt><dd>{{range $i, $o := .Trusted}}{{if $i}}, {{end}}{{$o}}{{else}}none{{end}}</dd>
  </dl>

  <p>In general, this can occur when there is a genuine Cross Site Request Forgery, or when
  Canter's CSRF protection has not been used correctly. Check that:</p>
  <ul>
    <li>Your browser accepts cookies{{if not .Sessions}} (the secret is kept in the cookie
    <code>{{.CookieName}}</code>){{end}}.</li>
{{- if not .OriginMode}}
    <li>Every POST form that targets this site includes the token: <code>{{"{{"}} csrf_field .Request {{"}}"}}</code>
    in an html/template (see <code>csrf.FuncMap</code>), or <code>csrf.Field(r)</code> in the page.</li>
    <li>Scripts send the token in the <code>{{.HeaderName}}</code> header, taken from the cookie or
    from <code>csrf.Token(r)</code> (a <code>&lt;meta&gt;</code> tag, say), and send the cookie too
    (<code>credentials: "same-origin"</code> with fetch).</li>
    <li>The page with the form was loaded after the last login: logging in rotates the token,
    so a form from another tab or the back button may carry an old one. Reload the page.</li>
    <li>The view that renders the form and the one that receives it are both protected: by the
    middleware, or both decorated with <code>csrf.Protect</code>.</li>
{{- end}}
    <li>Behind a proxy, the origin above is the one users see: if it is not, the proxy changed
    the Host header or the scheme. Let it pass the original host (with UseXForwardedHost) and
    the scheme (with SecureProxyHeader), or add the public origin to TrustedOrigins
    (CSRF_TRUSTED_ORIGINS).</li>
    <li>Requests from another origin you own (a front end on another port or subdomain) are
    listed in TrustedOrigins, with scheme and port: <code>https://app.example.com</code>, or
    <code>https://*.example.com</code> for every subdomain.</li>
  </ul>

  <p>You're seeing the help section of this page because the site runs with Debug on. Turn it
  off, and only the initial error message will be displayed.</p>

  <p>You can customize this page with the FailureView setting (CSRF_FAILURE_VIEW).</p>
</div>
{{- else -}}
<div id="explanation">
  <p><small>More information is available with DEBUG=True.</small></p>
</div>
{{- end}}
</body>
</html>
`) + "\n"))
