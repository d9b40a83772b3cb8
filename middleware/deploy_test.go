package middleware

import "testing"

// Django's texts (django/core/checks/security/base.py), with the middleware named as Canter's
// MIDDLEWARE lists them.
const (
	textW001 = "You do not have 'security' in your MIDDLEWARE so the SECURE_HSTS_SECONDS, SECURE_CONTENT_TYPE_NOSNIFF, SECURE_REFERRER_POLICY, SECURE_CROSS_ORIGIN_OPENER_POLICY, and SECURE_SSL_REDIRECT settings will have no effect."
	textW002 = "You do not have 'xframe' in your MIDDLEWARE, so your pages will not be served with an 'x-frame-options' header. Unless there is a good reason for your site to be served in a frame, you should consider enabling this header to help prevent clickjacking attacks."
	textW004 = "You have not set a value for the SECURE_HSTS_SECONDS setting. If your entire site is served only over SSL, you may want to consider setting a value and enabling HTTP Strict Transport Security. Be sure to read the documentation first; enabling HSTS carelessly can cause serious, irreversible problems."
	textW005 = "You have not set the SECURE_HSTS_INCLUDE_SUBDOMAINS setting to True. Without this, your site is potentially vulnerable to attack via an insecure connection to a subdomain. Only set this to True if you are certain that all subdomains of your domain should be served exclusively via SSL."
	textW006 = "Your SECURE_CONTENT_TYPE_NOSNIFF setting is not set to True, so your pages will not be served with an 'X-Content-Type-Options: nosniff' header. You should consider enabling this header to prevent the browser from identifying content types incorrectly."
	textW008 = "Your SECURE_SSL_REDIRECT setting is not set to True. Unless your site should be available over both SSL and non-SSL connections, you may want to either set this setting True or configure a load balancer or reverse-proxy server to redirect all connections to HTTPS."
	textW019 = "You have 'xframe' in your MIDDLEWARE, but X_FRAME_OPTIONS is not set to 'DENY'. Unless there is a good reason for your site to serve other parts of itself in a frame, you should change it to 'DENY'."
	textW020 = "ALLOWED_HOSTS must not be empty in deployment."
	textW021 = "You have not set the SECURE_HSTS_PRELOAD setting to True. Without this, your site cannot be submitted to the browser preload list."
	textW022 = "You have not set the SECURE_REFERRER_POLICY setting. Without this, your site will not send a Referrer-Policy header. You should consider enabling this header to protect user privacy."
	textE023 = "You have set the SECURE_REFERRER_POLICY setting to an invalid value."
	hintE023 = "Valid values are: no-referrer, no-referrer-when-downgrade, origin, origin-when-cross-origin, same-origin, strict-origin, strict-origin-when-cross-origin, unsafe-url."
	textE024 = "You have set the SECURE_CROSS_ORIGIN_OPENER_POLICY setting to an invalid value."
	hintE024 = "Valid values are: same-origin, same-origin-allow-popups, unsafe-none."
)

func TestDeployChecks(t *testing.T) {
	both := []string{"security", "common", "xframe"}
	none := []string{"common"}
	tests := []struct {
		name  string
		got   *Message
		id    string // "" when the check passes
		level Level
		text  string
		hint  string
	}{
		{"W001 fires", CheckSecurityMiddleware(none), "security.W001", LevelWarning, textW001, ""},
		{"W001 passes", CheckSecurityMiddleware(both), "", 0, "", ""},
		{"W002 fires", CheckXFrameOptionsMiddleware(none), "security.W002", LevelWarning, textW002, ""},
		{"W002 passes", CheckXFrameOptionsMiddleware(both), "", 0, "", ""},
		{"W004 fires", CheckHSTS(both, 0), "security.W004", LevelWarning, textW004, ""},
		{"W004 set", CheckHSTS(both, 3600), "", 0, "", ""},
		{"W004 without middleware", CheckHSTS(none, 0), "", 0, "", ""},
		{"W005 fires", CheckHSTSIncludeSubdomains(both, 3600, false), "security.W005", LevelWarning, textW005, ""},
		{"W005 set", CheckHSTSIncludeSubdomains(both, 3600, true), "", 0, "", ""},
		{"W005 no hsts", CheckHSTSIncludeSubdomains(both, 0, false), "", 0, "", ""},
		{"W005 without middleware", CheckHSTSIncludeSubdomains(none, 3600, false), "", 0, "", ""},
		{"W006 fires", CheckContentTypeNosniff(both, false), "security.W006", LevelWarning, textW006, ""},
		{"W006 set", CheckContentTypeNosniff(both, true), "", 0, "", ""},
		{"W006 without middleware", CheckContentTypeNosniff(none, false), "", 0, "", ""},
		{"W008 fires", CheckSSLRedirect(both, false), "security.W008", LevelWarning, textW008, ""},
		{"W008 set", CheckSSLRedirect(both, true), "", 0, "", ""},
		{"W008 without middleware", CheckSSLRedirect(none, false), "", 0, "", ""},
		{"W019 fires", CheckXFrameDeny(both, "SAMEORIGIN"), "security.W019", LevelWarning, textW019, ""},
		{"W019 exact comparison", CheckXFrameDeny(both, "deny"), "security.W019", LevelWarning, textW019, ""},
		{"W019 DENY", CheckXFrameDeny(both, "DENY"), "", 0, "", ""},
		{"W019 default", CheckXFrameDeny(both, ""), "", 0, "", ""},
		{"W019 without middleware", CheckXFrameDeny(none, "SAMEORIGIN"), "", 0, "", ""},
		{"W020 fires", CheckAllowedHosts(nil), "security.W020", LevelWarning, textW020, ""},
		{"W020 set", CheckAllowedHosts([]string{"example.com"}), "", 0, "", ""},
		{"W021 fires", CheckHSTSPreload(both, 3600, false), "security.W021", LevelWarning, textW021, ""},
		{"W021 set", CheckHSTSPreload(both, 3600, true), "", 0, "", ""},
		{"W021 no hsts", CheckHSTSPreload(both, 0, false), "", 0, "", ""},
		{"W022 fires", CheckReferrerPolicy(both, nil, true), "security.W022", LevelWarning, textW022, ""},
		{"W022 without middleware", CheckReferrerPolicy(none, nil, true), "", 0, "", ""},
		{"E023 fires", CheckReferrerPolicy(both, []string{"same-origin", "bogus"}, false), "security.E023", LevelError, textE023, hintE023},
		{"E023 comma string", CheckReferrerPolicy(both, []string{"no-referrer, bogus"}, false), "security.E023", LevelError, textE023, hintE023},
		{"E023 valid list", CheckReferrerPolicy(both, []string{"no-referrer,strict-origin", "origin"}, false), "", 0, "", ""},
		{"E023 default", CheckReferrerPolicy(both, nil, false), "", 0, "", ""},
		{"E024 fires", CheckCrossOriginOpenerPolicy(both, "same-site"), "security.E024", LevelError, textE024, hintE024},
		{"E024 valid", CheckCrossOriginOpenerPolicy(both, "unsafe-none"), "", 0, "", ""},
		{"E024 default", CheckCrossOriginOpenerPolicy(both, ""), "", 0, "", ""},
		{"E024 without middleware", CheckCrossOriginOpenerPolicy(none, "same-site"), "", 0, "", ""},
	}
	for _, tt := range tests {
		switch {
		case tt.id == "" && tt.got != nil:
			t.Errorf("%s: got %+v, want nil", tt.name, *tt.got)
		case tt.id != "" && tt.got == nil:
			t.Errorf("%s: got nil, want %s", tt.name, tt.id)
		case tt.id != "" && (*tt.got != Message{ID: tt.id, Level: tt.level, Text: tt.text, Hint: tt.hint}):
			t.Errorf("%s: got %+v", tt.name, *tt.got)
		}
	}
	if LevelWarning.String() != "WARNING" || LevelError.String() != "ERROR" {
		t.Error("level names")
	}
}

func TestDeployChecksAll(t *testing.T) {
	var ids []string
	for _, m := range DeployChecks([]string{"security", "xframe"}, Config{}, nil) {
		ids = append(ids, m.ID)
	}
	want := []string{"security.W004", "security.W008", "security.W020"}
	if len(ids) != len(want) {
		t.Fatalf("defaults: %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("defaults: %v, want %v", ids, want)
		}
	}
	hardened := Config{Security: SecurityConfig{SSLRedirect: true, HSTSSeconds: 31536000, HSTSIncludeSubdomains: true, HSTSPreload: true}}
	if msgs := DeployChecks([]string{"security", "xframe"}, hardened, []string{"example.com"}); len(msgs) != 0 {
		t.Fatalf("hardened: %v", msgs)
	}
	msgs := DeployChecks(nil, Config{}, []string{"example.com"})
	if len(msgs) != 2 || msgs[0].ID != "security.W001" || msgs[1].ID != "security.W002" {
		t.Fatalf("no middleware: %v", msgs)
	}
}
