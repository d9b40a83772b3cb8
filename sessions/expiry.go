package sessions

import (
	"encoding/json"
	"strconv"
	"time"
)

// DefaultCookieAge is Django's SESSION_COOKIE_AGE: two weeks.
const DefaultCookieAge = 1209600 * time.Second

// ExpiryKey is the session key under which Django keeps a session's own expiry, set by
// Session.SetExpiry and Session.SetExpiryTime: a number of seconds (0 meaning "when the
// browser closes") or an ISO 8601 date.
const ExpiryKey = "_session_expiry"

// expiry is a parsed ExpiryKey value.
type expiry struct {
	kind expiryKind
	age  time.Duration // expiryAge
	date time.Time     // expiryDate
}

type expiryKind uint8

const (
	expiryDefault expiryKind = iota // absent, null or unreadable: the site's policy
	expiryAge                       // seconds from each save; 0 is "at browser close"
	expiryDate                      // a fixed time
)

func parseExpiry(raw json.RawMessage) expiry {
	if len(raw) == 0 {
		return expiry{}
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return expiry{}
		}
		if t, ok := parseISODate(s); ok {
			return expiry{kind: expiryDate, date: t}
		}
	case c == '-' || '0' <= c && c <= '9':
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			return expiry{kind: expiryAge, age: time.Duration(n) * time.Second}
		}
		if f, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return expiry{kind: expiryAge, age: time.Duration(f * float64(time.Second))}
		}
	case c == 'f': // Python's False == 0: at browser close
		return expiry{kind: expiryAge}
	}
	return expiry{}
}

// isoLayouts are the forms of Python's datetime.isoformat: aware (Django with USE_TZ) or naive.
var isoLayouts = []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999"}

func parseISODate(s string) (time.Time, bool) {
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// formatISODate writes t as Python's datetime.isoformat writes an aware UTC datetime:
// microseconds only when there are any, and "+00:00".
func formatISODate(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05-07:00")
	}
	return t.Format("2006-01-02T15:04:05.000000-07:00")
}

// ExpiryDate returns when a session with these values, saved at savedAt, expires: Django's
// get_expiry_date. A session's own expiry (ExpiryKey) wins; otherwise, and for sessions that
// end when the browser closes, it is savedAt + defaultAge (SESSION_COOKIE_AGE; zero means
// DefaultCookieAge). Stores that keep no server state use it to check a session they load.
func ExpiryDate(values map[string]json.RawMessage, savedAt time.Time, defaultAge time.Duration) time.Time {
	if defaultAge == 0 {
		defaultAge = DefaultCookieAge
	}
	e := parseExpiry(values[ExpiryKey])
	switch {
	case e.kind == expiryDate:
		return e.date
	case e.kind == expiryAge && e.age != 0:
		return savedAt.Add(e.age)
	}
	return savedAt.Add(defaultAge)
}

// expiryAgeOf is Django's get_expiry_age at now: the session's own age, the time left until its
// own date (whole seconds, rounded down as Python's timedelta does), or defaultAge.
func expiryAgeOf(e expiry, now time.Time, defaultAge time.Duration) time.Duration {
	switch {
	case e.kind == expiryDate:
		d := e.date.Sub(now)
		floor := d.Truncate(time.Second)
		if floor > d {
			floor -= time.Second
		}
		return floor
	case e.kind == expiryAge && e.age != 0:
		return e.age
	}
	return defaultAge
}
