package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is an HTTP failure expressed as a Go error: a view or middleware returns one (or panics
// with one) and the gateway answers with its status, the way Django turns Http404,
// PermissionDenied, BadRequest and SuspiciousOperation into responses.
//
// Message explains the failure to a developer. It appears in the log and, when debug is on, on
// the error page; with debug off the user sees only the status page.
type Error struct {
	// Status is the HTTP status code of the answer.
	Status int
	// Message says what went wrong, for the log and the debug page.
	Message string
	// Kind names a suspicious operation (such as "DisallowedHost" or "RequestDataTooBig"); a
	// non-empty Kind is logged on the security logger as Django does.
	Kind string
	// Allow lists the methods a 405 answer advertises in its Allow header.
	Allow []string
	// Err is the underlying cause, if any.
	Err error
}

// Error returns the message, prefixed by the status text.
func (e *Error) Error() string {
	text := http.StatusText(e.Status)
	switch {
	case e.Message == "":
		return text
	case e.Err != nil:
		return text + ": " + e.Message + ": " + e.Err.Error()
	}
	return text + ": " + e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same status, so that
// errors.Is(err, web.ErrNotFound) holds for every 404.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Status == e.Status && t.Message == "" && t.Kind == ""
}

// Sentinel errors, one per status, for errors.Is comparisons and for views that have nothing to
// add to the status.
var (
	ErrBadRequest       = &Error{Status: http.StatusBadRequest}
	ErrPermissionDenied = &Error{Status: http.StatusForbidden}
	ErrNotFound         = &Error{Status: http.StatusNotFound}
	ErrMethodNotAllowed = &Error{Status: http.StatusMethodNotAllowed}
)

// NotFound returns a 404 error (Django's Http404). The message is formatted as with fmt.Sprintf.
func NotFound(format string, args ...any) error {
	return &Error{Status: http.StatusNotFound, Message: sprintf(format, args)}
}

// PermissionDenied returns a 403 error (Django's PermissionDenied).
func PermissionDenied(format string, args ...any) error {
	return &Error{Status: http.StatusForbidden, Message: sprintf(format, args)}
}

// BadRequest returns a 400 error (Django's BadRequest).
func BadRequest(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Message: sprintf(format, args)}
}

// Suspicious returns a 400 error for a suspicious operation (Django's SuspiciousOperation and its
// subclasses). kind names the operation, such as "DisallowedHost"; the gateway logs it on the
// security logger.
func Suspicious(kind, format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Kind: kind, Message: sprintf(format, args)}
}

// MethodNotAllowed returns a 405 error whose response carries an Allow header listing allowed.
func MethodNotAllowed(allowed ...string) error {
	return &Error{
		Status:  http.StatusMethodNotAllowed,
		Message: "allowed methods: " + strings.Join(allowed, ", "),
		Allow:   allowed,
	}
}

// StatusError returns an error that answers with any status, such as 503 when a store is down.
func StatusError(status int, format string, args ...any) error {
	return &Error{Status: status, Message: sprintf(format, args)}
}

// StatusOf returns the HTTP status an error is answered with: the Status of an *Error found in
// its chain, or 500 for anything else.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Status != 0 {
		return e.Status
	}
	return http.StatusInternalServerError
}

func sprintf(format string, args []any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
