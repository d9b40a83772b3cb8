// Package settings holds a Canter project's configuration: one typed
// [Settings] value with Django's settings, Django's defaults, and loading
// from a file, the environment and code, as django.conf does for Django.
//
// # Layers
//
// [Load] starts from [Defaults] and applies, each over the one before:
//
//  1. the settings file, settings.toml, written with Django's names;
//  2. environment variables CANTER_<NAME>, so that secrets never need to be
//     in the file (the twelve-factor way);
//  3. functions in [Options].Override, for settings decided in code.
//
// A settings file:
//
//	DEBUG = false
//	ALLOWED_HOSTS = ["example.com", ".example.com"]
//	SESSION_COOKIE_AGE = 1209600          # seconds, as in Django
//	CSRF_COOKIE_AGE = "8760h"             # or a Go duration
//	MIDDLEWARE = ["security", "sessions", "common", "csrf", "xframe"]
//
//	[DATABASES.default]
//	ENGINE = "postgres"
//	URL = "postgres://app@db.internal:5432/app"
//
//	[CACHES.default]
//	BACKEND = "redis"
//	LOCATION = "redis://cache.internal:6379/0"
//
//	[[TEMPLATES]]
//	BACKEND = "html"
//	DIRS = ["templates"]
//	APP_DIRS = true
//
// The same from the environment:
//
//	CANTER_SECRET_KEY=…
//	CANTER_DEBUG=false                    # also 0/1, yes/no, on/off
//	CANTER_ALLOWED_HOSTS=example.com,.example.com
//	CANTER_SESSION_COOKIE_AGE=1h          # or 3600
//	CANTER_DATABASES={"default":{"ENGINE":"postgres","URL":"postgres://…"}}
//
// A value replaces the one before it whole: a file that defines
// [CACHES.redis] has no "default" cache unless it defines that too.
//
// # Problems
//
// Load and [Settings.Validate] report every problem at once, in an *[Error]
// whose [Problem] entries name the setting, the bad value (secrets masked),
// where it came from and the fix:
//
//	settings: 3 problems:
//		settings.toml:4: SESSION_COOKIE_SAMESITE = "Lex" is not a SameSite value; use "Lax", "Strict", "None", or "" for no attribute (did you mean "Lax"?)
//		settings.toml:7: SESION_ENGINE is not a Canter setting; did you mean SESSION_ENGINE?
//		environment variable CANTER_DEBUG: DEBUG = "maybe" is not a boolean; use true or false (or 1/0, yes/no, on/off)
//
// An unknown key in the file is a problem, with a "did you mean" hint; an
// unknown CANTER_ variable is not, because other parts of a program (the
// server's CANTER_ADDR, say) use the prefix too.
//
// # Canter's choices where Django names Python code
//
// MIDDLEWARE lists registered middleware names, by default "security",
// "sessions", "common", "csrf", "xframe" (Django's default order), so a
// settings file can reorder or drop the built-in layers. SESSION_ENGINE is
// "signed_cookies", "memory", "db" (the default, using DATABASES["default"]),
// "cache" or "cached_db". DATABASES engines are "sqlite" (NAME is the file)
// and "postgres" (URL is the connection string); CACHES backends are
// "memory" and "redis" (LOCATION is the URL); TEMPLATES backends are "html"
// and "django". Where Django uses None: CSRF_COOKIE_AGE = 0 makes a
// browser-session cookie, and a DATA_UPLOAD_* limit of -1 ([NoLimit]) turns
// that limit off. Header-name settings (CSRF_HEADER_NAME,
// SECURE_PROXY_SSL_HEADER) take HTTP header names such as "X-CSRFToken"
// rather than Django's request.META keys.
//
// # Debug pages
//
// [Settings.Masked] lists every setting with secrets replaced by [Mask],
// following Django's rule for what looks secret ([IsSensitive]).
package settings
