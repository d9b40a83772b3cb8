package settings

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Validate checks the settings and reports every problem at once in an
// *[Error], each naming the setting, the bad value, where it came from and
// what to do. It returns nil when the settings are usable. [Load] calls it;
// call it yourself after building settings in code.
//
// Validate does not check what only the app registry knows: whether
// INSTALLED_APPS, MIDDLEWARE and ROOT_URLCONF name things that exist, and
// whether INSTALLED_APPS has duplicates.
func (s *Settings) Validate() error {
	return asError(s.check())
}

// Values accepted by enumerated settings.
var (
	sameSiteValues       = []string{"Lax", "Strict", "None"}
	sessionEngines       = []string{SessionSignedCookies, SessionMemory, SessionDB, SessionCache, SessionCachedDB}
	csrfModes            = []string{CSRFToken, CSRFOrigin}
	databaseEngines      = []string{DatabaseSQLite, DatabasePostgres}
	cacheBackends        = []string{CacheMemory, CacheRedis}
	templateBackends     = []string{TemplatesHTML, TemplatesDjango}
	xFrameOptionsValues  = []string{"DENY", "SAMEORIGIN"}
	loggingLevels        = []string{"DEBUG", "INFO", "WARNING", "ERROR"}
	logFormats           = []string{"text", "json"}
	referrerPolicies     = []string{"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url"}
	crossOriginOpenerPol = []string{"same-origin", "same-origin-allow-popups", "unsafe-none"}
)

// checker collects the problems of one validation run.
type checker struct {
	s        *Settings
	defaults *Settings
	problems []Problem
}

func (c *checker) add(path string, value any, message, fix string) {
	c.problems = append(c.problems, Problem{
		Setting: path,
		Value:   show(path, value),
		Source:  c.s.sourceOf(path, c.defaults),
		Message: message,
		Fix:     fix,
	})
}

// check runs every rule, in the order of the fields.
func (s *Settings) check() []Problem {
	c := &checker{s: s, defaults: Defaults()}

	if s.SecretKey == "" && !s.Debug {
		c.add("SECRET_KEY", s.SecretKey, "must not be empty when DEBUG is false",
			"set the environment variable CANTER_SECRET_KEY to a long random string (50 characters or more), or turn DEBUG on for development")
	}
	for i, k := range s.SecretKeyFallbacks {
		if k == "" {
			c.add(index("SECRET_KEY_FALLBACKS", i), k, "is empty", "remove the empty entry")
		}
	}
	if len(s.AllowedHosts) == 0 && !s.Debug {
		c.add("ALLOWED_HOSTS", s.AllowedHosts, "must not be empty when DEBUG is false, or every request is refused with 400",
			`list the host names the site serves, such as ["example.com", ".example.com"]`)
	}
	for i, h := range s.AllowedHosts {
		if msg, fix := hostPatternProblem(h); msg != "" {
			c.add(index("ALLOWED_HOSTS", i), h, msg, fix)
		}
	}
	for i, app := range s.InstalledApps {
		if strings.TrimSpace(app) == "" {
			c.add(index("INSTALLED_APPS", i), app, "is empty", "remove the empty entry")
		}
	}
	c.checkMiddleware()
	c.checkDatabases()
	c.checkCaches()
	c.checkSessions()
	c.checkCSRF()
	c.checkSecurity()
	c.checkTemplates()
	c.checkStatic()
	c.checkEnum("LOGGING_LEVEL", s.LoggingLevel, loggingLevels, true)
	c.checkEnum("LOG_FORMAT", s.LogFormat, logFormats, false)
	c.checkLimits()
	c.checkDurations()
	return c.problems
}

func index(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

func (c *checker) checkMiddleware() {
	seen := map[string]int{}
	for i, name := range c.s.Middleware {
		path := index("MIDDLEWARE", i)
		switch {
		case name == "":
			c.add(path, name, "is empty", "remove the empty entry")
		case strings.ContainsFunc(name, isSpace):
			c.add(path, name, "contains white space", fmt.Sprintf("write the registered name alone: %q", strings.TrimSpace(name)))
		default:
			if first, ok := seen[name]; ok {
				c.add(path, name, fmt.Sprintf("repeats MIDDLEWARE[%d]", first), "list each middleware once; remove one of them")
			} else {
				seen[name] = i
			}
		}
	}
}

func (c *checker) checkDatabases() {
	for _, alias := range sortedMapKeys(c.s.Databases) {
		db := c.s.Databases[alias]
		path := "DATABASES." + alias
		if alias == "" {
			c.add("DATABASES", alias, "has an entry with an empty alias", `name it, for example "default"`)
		}
		switch db.Engine {
		case DatabaseSQLite:
			if db.Name == "" {
				c.add(path+".NAME", db.Name, "must name the SQLite database file", `set NAME to a file such as "canter.sqlite3", or ":memory:"`)
			}
			if db.URL != "" {
				c.add(path+".URL", db.URL, `is for "postgres"; SQLite reads NAME`, "remove URL and set NAME to the database file")
			}
		case DatabasePostgres:
			if db.URL == "" {
				c.add(path+".URL", db.URL, "must be set for PostgreSQL",
					"set URL to postgres://user:password@host:5432/name, preferably through the environment variable CANTER_DATABASES")
			} else if msg := postgresURLProblem(db.URL); msg != "" {
				c.add(path+".URL", db.URL, msg, "write postgres://user:password@host:5432/name or key=value pairs such as \"host=localhost dbname=app\"")
			}
			if db.Name != "" {
				c.add(path+".NAME", db.Name, "is for SQLite; PostgreSQL takes the database name from URL", "remove NAME and put the database name in URL")
			}
		default:
			c.add(path+".ENGINE", db.Engine, "is not a database engine", enumFix(db.Engine, databaseEngines))
		}
	}
}

func postgresURLProblem(dsn string) string {
	if !strings.Contains(dsn, "://") {
		if !strings.Contains(dsn, "=") {
			return "is neither a URL nor key=value pairs"
		}
		return ""
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "is not a valid URL: " + err.Error()
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return fmt.Sprintf("has the scheme %q; PostgreSQL URLs start with postgres://", u.Scheme)
	}
	return ""
}

func (c *checker) checkCaches() {
	for _, alias := range sortedMapKeys(c.s.Caches) {
		cache := c.s.Caches[alias]
		path := "CACHES." + alias
		if alias == "" {
			c.add("CACHES", alias, "has an entry with an empty alias", `name it, for example "default"`)
		}
		switch cache.Backend {
		case CacheMemory:
		case CacheRedis:
			const fix = "set LOCATION to redis://host:6379/0 (rediss:// for TLS, unix:///path for a socket)"
			if cache.Location == "" {
				c.add(path+".LOCATION", cache.Location, "must be set for Redis", fix)
			} else if u, err := url.Parse(cache.Location); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
				c.add(path+".LOCATION", cache.Location, "is not a Redis URL", fix)
			}
		default:
			c.add(path+".BACKEND", cache.Backend, "is not a cache backend", enumFix(cache.Backend, cacheBackends))
		}
	}
}

func (c *checker) checkSessions() {
	s := c.s
	c.checkCookie("SESSION", s.SessionCookieName, s.SessionCookieDomain, s.SessionCookiePath, s.SessionCookieSameSite, s.SessionCookieSecure)
	if s.SessionCookieAge <= 0 {
		c.add("SESSION_COOKIE_AGE", s.SessionCookieAge, "must be positive",
			"give the session lifetime, such as 1209600 (two weeks); for a cookie that ends with the browser session, set SESSION_EXPIRE_AT_BROWSER_CLOSE = true")
	}
	if !slices.Contains(sessionEngines, s.SessionEngine) {
		c.add("SESSION_ENGINE", s.SessionEngine, "is not a session engine", enumFix(s.SessionEngine, sessionEngines))
		return
	}
	if s.SessionEngine == SessionDB || s.SessionEngine == SessionCachedDB {
		if _, ok := s.Databases["default"]; !ok {
			c.add("SESSION_ENGINE", s.SessionEngine, `stores sessions in DATABASES["default"], which is not defined`,
				`define [DATABASES.default], or choose SESSION_ENGINE "signed_cookies" or "cache"`)
		}
	}
	if s.SessionEngine == SessionCache || s.SessionEngine == SessionCachedDB {
		if _, ok := s.Caches[s.SessionCacheAlias]; !ok {
			c.add("SESSION_CACHE_ALIAS", s.SessionCacheAlias, fmt.Sprintf("names no cache in CACHES, which SESSION_ENGINE %q needs", s.SessionEngine),
				fmt.Sprintf("define [CACHES.%s], or set SESSION_CACHE_ALIAS to one of %s", aliasKey(s.SessionCacheAlias), quoteList(sortedMapKeys(s.Caches))))
		}
	}
}

// aliasKey writes an alias as a TOML key.
func aliasKey(alias string) string {
	if isBareKey(alias) {
		return alias
	}
	return strconv.Quote(alias)
}

func (c *checker) checkCSRF() {
	s := c.s
	c.checkCookie("CSRF", s.CSRFCookieName, s.CSRFCookieDomain, s.CSRFCookiePath, s.CSRFCookieSameSite, s.CSRFCookieSecure)
	if s.CSRFCookieName != "" && s.CSRFCookieName == s.SessionCookieName {
		c.add("CSRF_COOKIE_NAME", s.CSRFCookieName, "is also SESSION_COOKIE_NAME, so the two cookies would overwrite each other", "give the CSRF and session cookies different names")
	}
	c.checkHeaderName("CSRF_HEADER_NAME", s.CSRFHeaderName, "X-CSRFToken")
	for i, o := range s.CSRFTrustedOrigins {
		if msg, fix := originProblem(o); msg != "" {
			c.add(index("CSRF_TRUSTED_ORIGINS", i), o, msg, fix)
		}
	}
	if s.CSRFUseSessions {
		csrf, sessions := slices.Index(s.Middleware, "csrf"), slices.Index(s.Middleware, "sessions")
		if csrf >= 0 && (sessions < 0 || sessions > csrf) {
			c.add("CSRF_USE_SESSIONS", true, `needs the "sessions" middleware before "csrf" in MIDDLEWARE`,
				`put "sessions" before "csrf" in MIDDLEWARE, or set CSRF_USE_SESSIONS = false`)
		}
	}
	c.checkEnum("CSRF_MODE", s.CSRFMode, csrfModes, false)
}

// checkCookie checks the settings of one cookie: NAME, DOMAIN, PATH and
// SAMESITE under the prefix SESSION or CSRF.
func (c *checker) checkCookie(prefix, name, domain, path, sameSite string, secure bool) {
	p := prefix + "_COOKIE_"
	switch {
	case name == "":
		c.add(p+"NAME", name, "is empty", "give the cookie a name")
	case !isToken(name):
		c.add(p+"NAME", name, "is not a valid cookie name", "use letters, digits and -_.!#$%&'*+^`|~ only")
	case hasPrefixFold(name, "__Host-") && (!secure || path != "/" || domain != ""):
		c.add(p+"NAME", name, "starts with __Host-, which browsers accept only on a Secure cookie with Path=/ and no Domain",
			fmt.Sprintf(`set %sSECURE = true, %sPATH = "/" and %sDOMAIN = "", or drop the prefix`, p, p, p))
	case hasPrefixFold(name, "__Secure-") && !secure:
		c.add(p+"NAME", name, "starts with __Secure-, which browsers accept only on a Secure cookie",
			fmt.Sprintf("set %sSECURE = true, or drop the prefix", p))
	}
	if domain != "" && (strings.ContainsAny(domain, "/:;, \t") || strings.Contains(domain, "..")) {
		c.add(p+"DOMAIN", domain, "is not a cookie domain", `write a domain such as ".example.com", or "" for a host-only cookie`)
	}
	if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, ";\r\n") {
		c.add(p+"PATH", path, `must be a URL path starting with "/"`, `use "/" for the whole site`)
	}
	if sameSite != "" && !slices.ContainsFunc(sameSiteValues, func(v string) bool { return strings.EqualFold(v, sameSite) }) {
		c.add(p+"SAMESITE", sameSite, "is not a SameSite value",
			`use "Lax", "Strict", "None", or "" for no attribute`+didYouMean(sameSite, sameSiteValues))
	} else if strings.EqualFold(sameSite, "None") && !secure {
		c.add(p+"SAMESITE", sameSite, "needs a Secure cookie: browsers drop SameSite=None cookies without Secure",
			fmt.Sprintf(`set %sSECURE = true and serve the site over HTTPS, or use "Lax"`, p))
	}
}

// checkHeaderName checks a setting that holds an HTTP header name, and
// recognises Django's META spelling (HTTP_X_CSRFTOKEN).
func (c *checker) checkHeaderName(setting, name, example string) {
	switch {
	case name == "":
		c.add(setting, name, "is empty", fmt.Sprintf("write a header name such as %q", example))
	case strings.HasPrefix(strings.ToUpper(name), "HTTP_") && !strings.Contains(name, "-"):
		c.add(setting, name, "is Django's request.META key, not a header name", fmt.Sprintf("write the header name %q", headerFromMeta(name)))
	case !isToken(name):
		c.add(setting, name, "is not a valid HTTP header name", fmt.Sprintf("write a header name such as %q", example))
	}
}

// headerFromMeta turns HTTP_X_FORWARDED_PROTO into X-Forwarded-Proto.
func headerFromMeta(meta string) string {
	parts := strings.Split(strings.ToLower(meta[len("HTTP_"):]), "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

func (c *checker) checkSecurity() {
	s := c.s
	switch h := s.SecureProxySSLHeader; {
	case h[0] == "" && h[1] == "":
	case h[0] == "" || h[1] == "":
		c.add("SECURE_PROXY_SSL_HEADER", h, "must be a pair [header, value] with both parts set",
			`write ["X-Forwarded-Proto", "https"], or [] to unset it`)
	default:
		c.checkHeaderName("SECURE_PROXY_SSL_HEADER", h[0], "X-Forwarded-Proto")
	}
	for i, p := range s.TrustedProxies {
		var err error
		if strings.Contains(p, "/") {
			_, err = netip.ParsePrefix(p)
		} else {
			_, err = netip.ParseAddr(p)
		}
		if err != nil {
			c.add(index("TRUSTED_PROXIES", i), p, "is neither an IP address nor a CIDR range",
				`write an address such as "10.0.0.1" or a range such as "10.0.0.0/8"`)
		}
	}
	c.checkRegexps("DISALLOWED_USER_AGENTS", s.DisallowedUserAgents)
	if !slices.Contains(xFrameOptionsValues, strings.ToUpper(s.XFrameOptions)) {
		fix := `use "DENY" or "SAMEORIGIN"`
		if strings.HasPrefix(strings.ToUpper(s.XFrameOptions), "ALLOW-FROM") {
			fix += "; browsers ignore ALLOW-FROM (use a Content-Security-Policy frame-ancestors directive instead)"
		} else {
			fix += didYouMean(s.XFrameOptions, xFrameOptionsValues)
		}
		c.add("X_FRAME_OPTIONS", s.XFrameOptions, "is not an X-Frame-Options value", fix)
	}
	if s.SecureReferrerPolicy != "" {
		for part := range strings.SplitSeq(s.SecureReferrerPolicy, ",") {
			part = strings.TrimSpace(part)
			if !slices.Contains(referrerPolicies, part) {
				c.add("SECURE_REFERRER_POLICY", s.SecureReferrerPolicy, fmt.Sprintf("contains %q, which is not a referrer policy", part),
					"use one or more (separated by commas) of "+quoteList(referrerPolicies)+", or \"\" for no header"+didYouMean(part, referrerPolicies))
				break
			}
		}
	}
	if v := s.SecureCrossOriginOpenerPolicy; v != "" && !slices.Contains(crossOriginOpenerPol, v) {
		c.add("SECURE_CROSS_ORIGIN_OPENER_POLICY", v, "is not a Cross-Origin-Opener-Policy value",
			"use "+quoteList(crossOriginOpenerPol)+", or \"\" for no header"+didYouMean(v, crossOriginOpenerPol))
	}
	if h := s.SecureSSLHost; h != "" && (strings.Contains(h, "://") || strings.ContainsAny(h, "/?# ")) {
		c.add("SECURE_SSL_HOST", h, "must be a host with an optional port, without scheme or path", `write a host such as "secure.example.com"`)
	}
	c.checkRegexps("SECURE_REDIRECT_EXEMPT", s.SecureRedirectExempt)
}

func (c *checker) checkRegexps(setting string, patterns []string) {
	for i, p := range patterns {
		if _, err := regexp.Compile(p); err != nil {
			c.add(index(setting, i), p, "is not a valid regular expression: "+strings.TrimPrefix(err.Error(), "error parsing regexp: "),
				"write it in Go's RE2 syntax (no look-around or back-references); see https://pkg.go.dev/regexp/syntax")
		}
	}
}

func (c *checker) checkTemplates() {
	first := map[string]int{}
	for i, t := range c.s.Templates {
		path := index("TEMPLATES", i)
		if !slices.Contains(templateBackends, t.Backend) {
			c.add(path+".BACKEND", t.Backend, "is not a template backend", enumFix(t.Backend, templateBackends))
		} else if j, ok := first[t.Backend]; ok {
			c.add(path+".BACKEND", t.Backend, fmt.Sprintf("is configured twice (also TEMPLATES[%d])", j), "merge the two entries; one entry may list several DIRS")
		} else {
			first[t.Backend] = i
		}
		for k, dir := range t.Dirs {
			if dir == "" {
				c.add(index(path+".DIRS", k), dir, "is empty", "remove the empty entry")
			}
		}
	}
}

func (c *checker) checkStatic() {
	s := c.s
	if s.StaticURL != "" && !strings.HasSuffix(s.StaticURL, "/") {
		c.add("STATIC_URL", s.StaticURL, "must end with a slash", fmt.Sprintf("write %q", s.StaticURL+"/"))
	}
	for i, dir := range s.StaticfilesDirs {
		switch {
		case dir == "":
			c.add(index("STATICFILES_DIRS", i), dir, "is empty", "remove the empty entry")
		case s.StaticRoot != "" && filepath.Clean(dir) == filepath.Clean(s.StaticRoot):
			c.add(index("STATICFILES_DIRS", i), dir, "is STATIC_ROOT; STATICFILES_DIRS should not contain it",
				"keep the sources of static files apart from the directory they are collected into")
		}
	}
}

func (c *checker) checkLimits() {
	s := c.s
	limits := []struct {
		name  string
		value int64
	}{
		{"DATA_UPLOAD_MAX_MEMORY_SIZE", s.DataUploadMaxMemorySize},
		{"DATA_UPLOAD_MAX_NUMBER_FIELDS", int64(s.DataUploadMaxNumberFields)},
		{"DATA_UPLOAD_MAX_NUMBER_FILES", int64(s.DataUploadMaxNumberFiles)},
	}
	for _, l := range limits {
		if l.value < NoLimit {
			c.add(l.name, l.value, "is negative", "use a limit of 0 or more, or -1 to turn the limit off")
		}
	}
	if s.FileUploadMaxMemorySize < 0 {
		c.add("FILE_UPLOAD_MAX_MEMORY_SIZE", s.FileUploadMaxMemorySize, "is negative", "use a size in bytes, 0 or more (Django's default is 2621440)")
	}
	if s.ServerMaxHeaderBytes < 0 {
		c.add("SERVER_MAX_HEADER_BYTES", s.ServerMaxHeaderBytes, "is negative", "use a size in bytes, such as 1048576 (1 MiB)")
	}
}

// checkDurations reports negative durations (SESSION_COOKIE_AGE, which must
// be positive, is checked with the sessions).
func (c *checker) checkDurations() {
	v := reflect.ValueOf(c.s).Elem()
	for _, f := range settingFields {
		field := v.Field(f.index)
		if field.Type() != durationType || f.name == "SESSION_COOKIE_AGE" {
			continue
		}
		if d := time.Duration(field.Int()); d < 0 {
			c.add(f.name, d, "is negative", "use 0 or a positive duration")
		}
	}
}

// checkEnum reports a value outside allowed. With fold, case is ignored.
func (c *checker) checkEnum(setting, value string, allowed []string, fold bool) {
	normal := value
	if fold {
		normal = strings.ToUpper(value)
	}
	if !slices.Contains(allowed, normal) {
		c.add(setting, value, "is not one of the accepted values", enumFix(value, allowed))
	}
}

// enumFix lists the accepted values and suggests the closest one.
func enumFix(value string, allowed []string) string {
	return "use " + quoteList(allowed) + didYouMean(value, allowed)
}

// didYouMean suggests the allowed value closest to value, also reading
// Django's dotted paths by their last part
// ("django.contrib.sessions.backends.cache" → "cache") and abbreviations
// ("WARN" → "WARNING").
func didYouMean(value string, allowed []string) string {
	if value == "" {
		return ""
	}
	word := value
	if i := strings.LastIndexByte(word, '.'); i >= 0 && i+1 < len(word) {
		word = word[i+1:]
	}
	for _, a := range allowed {
		if len(word) >= 3 && hasPrefixFold(a, word) && !strings.EqualFold(a, value) {
			return fmt.Sprintf(" (did you mean %q?)", a)
		}
	}
	if s := suggest(word, allowed); s != "" && s != value {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// hostPatternProblem checks one ALLOWED_HOSTS entry.
func hostPatternProblem(h string) (message, fix string) {
	switch {
	case h == "":
		return "is empty", "remove the empty entry"
	case strings.Contains(h, "://"):
		host := h
		if u, err := url.Parse(h); err == nil {
			host = u.Hostname()
		}
		return "is a URL, not a host name", fmt.Sprintf("write the host alone: %q", host)
	case strings.ContainsAny(h, "/?#"):
		return "contains a path", fmt.Sprintf("write the host alone: %q", h[:strings.IndexAny(h, "/?#")])
	case strings.ContainsFunc(h, isSpace):
		return "contains white space", "remove it"
	}
	if host, port, ok := cutPort(h); ok && port != "" {
		return "has a port, and ALLOWED_HOSTS ignores ports", fmt.Sprintf("write %q", host)
	}
	return "", ""
}

// cutPort splits "host:port" and "[v6]:port". ok is false for a bare IPv6
// address.
func cutPort(h string) (host, port string, ok bool) {
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return h, "", false
		}
		rest := h[end+1:]
		if p, found := strings.CutPrefix(rest, ":"); found {
			return h[:end+1], p, true
		}
		return h[:end+1], "", rest == ""
	}
	if strings.Count(h, ":") > 1 {
		return h, "", false
	}
	host, port, _ = strings.Cut(h, ":")
	return host, port, true
}

// originProblem checks one CSRF_TRUSTED_ORIGINS entry:
// scheme://host[:port], where host may start with "*.".
func originProblem(o string) (message, fix string) {
	const form = "an origin is scheme://host[:port]"
	scheme, rest, ok := strings.Cut(o, "://")
	if !ok {
		return "has no scheme", fmt.Sprintf("write the origin with its scheme (usually https:// or http://), such as %q", "https://"+strings.TrimPrefix(o, "//"))
	}
	if !validScheme(scheme) {
		return "has an invalid scheme", fmt.Sprintf("%s, such as %q", form, "https://example.com")
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		return "has a path, query or fragment, which an Origin header never carries", fmt.Sprintf("write %q", scheme+"://"+rest[:i])
	}
	if strings.Contains(rest, "@") {
		return "contains user information", fmt.Sprintf("%s, without user@", form)
	}
	host, port, ok := cutPort(rest)
	if !ok {
		return "has an IPv6 address without brackets", "write it as scheme://[address]:port"
	}
	if port != "" || strings.HasSuffix(rest, ":") {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "has an invalid port", form + ", with a port from 1 to 65535"
		}
	}
	if strings.HasPrefix(host, "[") {
		if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err != nil {
			return "has an invalid IPv6 address", form
		}
		return "", ""
	}
	name := strings.TrimPrefix(host, "*.")
	if strings.Contains(name, "*") {
		return `uses "*" other than as the first label`, `write a wildcard as the first label only, such as "https://*.example.com"`
	}
	if !validHostName(name) {
		return "has an invalid host name", form + ", such as \"https://example.com\""
	}
	return "", ""
}

func validScheme(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		alpha := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !alpha && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// validHostName accepts DNS names (letters, digits, hyphens, non-empty
// labels) and IPv4 addresses.
func validHostName(h string) bool {
	if h == "" {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// isToken reports whether s is an RFC 9110 token, the syntax of header
// and cookie names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
