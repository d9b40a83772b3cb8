// Package csrf protects a Canter site against cross-site request forgery: Django's
// CsrfViewMiddleware (its algorithm, token formats, reasons and settings) with Fetch Metadata
// on top, as Go's http.CrossOriginProtection checks it.
//
// # Using it
//
// Put the middleware in the onion and hand a token to every form that posts back:
//
//	mw, err := csrf.New(csrf.DefaultConfig()) // or csrf.Default()
//	...
//	h := handler.New(handler.Config{Site: site, Middleware: []web.Middleware{mw}})
//
//	func edit(r *web.Request) (*web.Response, error) {
//		return web.HTML(`<form method="post">` + string(csrf.Field(r)) + `…</form>`), nil
//	}
//
// With html/template, register FuncMap before parsing and write
// {{ csrf_field .Request }} inside each form. Scripts send a token in the X-CSRFToken header:
// the cookie's value (readable by scripts unless CookieHTTPOnly) or csrf.Token(r) put in the page.
//
// # What is checked
//
// GET, HEAD, OPTIONS and TRACE are never checked: views must not change anything on them.
// Any other method (POST, PUT, PATCH, DELETE, …) must pass, in this order:
//
//  1. Fetch Metadata. A browser says where a request comes from in Sec-Fetch-Site.
//     "same-origin" and "none" (the user's own action) skip the Origin and Referer checks:
//     the browser vouches for the origin, which also keeps working behind a proxy that rewrites
//     Host. "same-site", "cross-site" or anything else is rejected unless the Origin header is
//     one of TrustedOrigins.
//  2. Without Sec-Fetch-Site (an old browser, or not a browser), Django's checks: an Origin
//     header must be the site's own origin — scheme, host and port, as the request arrived —
//     or a trusted one. Without Origin, an HTTPS request needs a Referer on HTTPS from this
//     host (or the cookie domain, or a trusted origin's host).
//  3. The token (ModeToken, the default): the form field csrfmiddlewaretoken (POST only) or the
//     X-CSRFToken header must carry the secret of the cookie. Both the 64-character masked
//     tokens pages receive and the 32-character secret itself are accepted, and compared in
//     constant time.
//
// A rejection is answered by the failure view (Failure, Django's 403 page, or
// Config.FailureView) with Django's reason — "CSRF token missing.", "Origin checking failed -
// https://evil.example does not match any trusted origins." — and logged at Warn as
// "Forbidden (<reason>): <path>" with logger=security.csrf. With the site's Debug on, the page
// shows the reason, the origin the server expected and how to fix the usual causes.
//
// # Tokens and the secret
//
// Each browser has a 32-character secret of letters and digits, kept in the cookie
// "csrftoken" (or in the session, with UseSessions). Pages get masked tokens: a random
// 32-character mask followed by the secret shifted by the mask, character by character, so
// that every render gives a different 64-character token (a compressed page never repeats
// one: BREACH) while all of them carry the same secret. The formats are Django's, so a Django
// site and a Canter site that share the cookie accept each other's tokens; 64-character
// cookies written by Django 3.2 are accepted and rewritten as 32 characters on the next write.
//
// Nothing is made until a view asks: a request that never calls Token costs no allocation. The
// first Token makes a secret if the browser has none, and the cookie is written (with
// Vary: Cookie) only when the secret is new or was handed out in a token. A cookie that is not a
// well-formed secret is replaced, never trusted. Rotate gives the browser a new secret; call it
// at login, so that tokens from before stop working.
//
// # Per view
//
// Exempt lets every request to a view through; Protect applies the checks to one view on a
// site without the middleware; RequiresToken and EnsureCookie never reject but let a view hand
// out tokens (EnsureCookie always sends the cookie, for pages whose scripts read it). Each is
// Django's decorator of the same purpose, with Django's semantics.
//
// # The token-free mode
//
// ModeOrigin relies on the Fetch Metadata and Origin checks alone, for JSON APIs whose clients
// cannot fetch a token first. Browsers send Sec-Fetch-Site to HTTPS sites and to localhost (all
// major ones since 2023), and an Origin header with every cross-origin POST (Firefox since 2019,
// the others before), so a browser's cross-origin request is recognised. What the mode trusts is
// a request with neither header. Over HTTPS such a request still needs a good Referer; over
// plain HTTP it is accepted as a non-browser client (curl, a server), as
// http.CrossOriginProtection accepts it. That is safe against the browsers of the last years,
// but a browser older than those could be led to post across sites to a plain-HTTP site; keep
// ModeToken for sites that must protect such browsers, or whose clients carry cookies outside a
// browser. Unlike http.CrossOriginProtection, the scheme of the Origin is compared too, so an
// http:// page cannot post to the https:// site, and TRACE is a safe method, as in Django.
//
// # Sessions
//
// With UseSessions the secret lives in the user's session under "_csrftoken" and no cookie is
// written. Config.Session finds the session of a request; without one the request fails with
// Django's ImproperlyConfigured message (ErrNoSession).
//
// # Testing
//
// As with Django's test client, cantertest's client is let through by default: it marks its
// requests with DontEnforceChecks, a value in the request's Go context that nothing sent over
// the network can set. Tests of the protection itself set the client's EnforceCSRFChecks; such
// a test fetches the page with the form and posts its token back (FindToken reads it from the
// page), or sends the cookie's value in the X-CSRFToken header, as a script would. Over HTTPS
// (cantertest's Secure) it also sends an Origin or a Referer, as browsers do.
package csrf
