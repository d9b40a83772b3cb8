package middleware

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/canter-go/canter/web"
)

// Config gathers the configuration of every middleware of the package, for Build and the
// constructors of Names. The zero value is Django's defaults throughout.
type Config struct {
	// Security configures "security" (SECURE_* settings).
	Security SecurityConfig
	// Common configures "common" (DISALLOWED_USER_AGENTS, PREPEND_WWW, APPEND_SLASH).
	Common CommonConfig
	// XFrame configures "xframe" (X_FRAME_OPTIONS).
	XFrame XFrameConfig
	// GZip configures "gzip".
	GZip GZipConfig
	// ConditionalGet configures "conditional_get".
	ConditionalGet ConditionalGetConfig
	// RequestID configures "request_id".
	RequestID RequestIDConfig
	// AccessLog configures "access_log".
	AccessLog AccessLogConfig
}

// Constructor makes one middleware from the package's configuration.
type Constructor func(cfg Config) (web.Middleware, error)

// Names returns the middleware of this package by the names a MIDDLEWARE setting lists them
// under, with Django's classes they stand for:
//
//	security         django.middleware.security.SecurityMiddleware
//	common           django.middleware.common.CommonMiddleware
//	xframe           django.middleware.clickjacking.XFrameOptionsMiddleware
//	gzip             django.middleware.gzip.GZipMiddleware
//	conditional_get  django.middleware.http.ConditionalGetMiddleware
//	request_id       (none: RequestIDs)
//	access_log       (none: AccessLog)
//
// Each call returns a new map, which the caller may extend with other packages' middleware.
func Names() map[string]Constructor {
	return map[string]Constructor{
		"security":        func(c Config) (web.Middleware, error) { return Security(c.Security) },
		"common":          func(c Config) (web.Middleware, error) { return Common(c.Common) },
		"xframe":          func(c Config) (web.Middleware, error) { return XFrameOptions(c.XFrame) },
		"gzip":            func(c Config) (web.Middleware, error) { return GZip(c.GZip) },
		"conditional_get": func(c Config) (web.Middleware, error) { return ConditionalGet(c.ConditionalGet) },
		"request_id":      func(c Config) (web.Middleware, error) { return RequestIDs(c.RequestID) },
		"access_log":      func(c Config) (web.Middleware, error) { return AccessLog(c.AccessLog) },
	}
}

// Build makes the middleware listed by name, in order (outermost first, as Django's
// MIDDLEWARE). It reports every unknown name and every configuration problem at once.
func Build(names []string, cfg Config) ([]web.Middleware, error) {
	known := Names()
	out := make([]web.Middleware, 0, len(names))
	var errs []error
	for _, name := range names {
		construct, ok := known[name]
		if !ok {
			errs = append(errs, fmt.Errorf("MIDDLEWARE: unknown middleware %q; known names: %s", name, strings.Join(sortedKeys(known), ", ")))
			continue
		}
		mw, err := construct(cfg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, mw)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func sortedKeys(m map[string]Constructor) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
