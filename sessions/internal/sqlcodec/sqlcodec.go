// Package sqlcodec holds what the SQL session stores (pgstore, sqlitestore) share about the
// session_data column: the JSON object of the default layout, Django's signed and compressed
// session_data of the Django-compatible layout, and the read-change-write of a session in
// Django's layout.
//
// Errors that a user may see start with the name of the calling package, which each function
// that can fail takes as its name argument, so an error reads as the store's own.
package sqlcodec

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"unicode/utf8"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/signing"
)

// Salt is the key salt of Django's database-backed session stores
// ("django.contrib.sessions." + the class name SessionStore).
const Salt = "django.contrib.sessions.SessionStore"

// A Codec turns a session's values into the text of the session_data column and back.
type Codec interface {
	Encode(values map[string]json.RawMessage) (string, error)
	// Decode returns the values of data. An error means the data is corrupted (or signed
	// with a key the store does not know); the session is then read as empty, as Django does.
	Decode(data []byte) (map[string]json.RawMessage, error)
}

// Django stores the values as Django's SessionBase.encode writes them:
// signing.dumps(values, salt="django.contrib.sessions.SessionStore", compress=True).
type Django struct {
	signer *signing.TimestampSigner
	// legacy is the secret keys to try on the pre-3.1 format, when SHA-1 is accepted.
	legacy []string
}

var _ Codec = (*Django)(nil)

// NewDjango returns the codec of Django's layout for a site's SECRET_KEY, its
// SECRET_KEY_FALLBACKS and whether data signed with SHA-1 (Django 3.2 and older) is read.
// name is the calling package, the start of its errors.
func NewDjango(name, secret string, fallbacks []string, acceptSHA1 bool) (*Django, error) {
	if secret == "" {
		return nil, errors.New(name + ": DjangoCompatible needs the site's SECRET_KEY in Config.SecretKey")
	}
	s, err := signing.NewTimestampSigner(signing.Options{
		Key:          secret,
		FallbackKeys: fallbacks,
		Salt:         Salt,
		AcceptSHA1:   acceptSHA1,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c := &Django{signer: s}
	if acceptSHA1 {
		c.legacy = append([]string{secret}, fallbacks...)
	}
	return c, nil
}

// Encode returns the session_data of values.
func (c *Django) Encode(values map[string]json.RawMessage) (string, error) {
	return c.signer.SignObject(values, true)
}

// Decode returns the values of session_data, trying the legacy format of Django 3.2 and older
// when SHA-1 is accepted.
func (c *Django) Decode(data []byte) (map[string]json.RawMessage, error) {
	values := make(map[string]json.RawMessage)
	err := c.signer.UnsignObject(string(data), &values, 0)
	if err != nil && c.legacy != nil {
		for _, secret := range c.legacy {
			payload, lerr := signing.DecodeLegacySession(string(data), secret, "SessionStore")
			if lerr == nil {
				clear(values)
				err = json.Unmarshal(payload, &values)
				break
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if values == nil {
		values = make(map[string]json.RawMessage)
	}
	return values, nil
}

// A Column reads and writes the session_data column of one table with Codec.
type Column struct {
	Codec Codec
	// Logger receives the warning "Session data corrupted" when data does not decode.
	Logger *slog.Logger
	// Store and Table name the store ("postgres") and the table in that warning.
	Store, Table string
}

// Encode returns the session_data of values; nil values are stored as no values.
func (c *Column) Encode(values map[string]json.RawMessage) (string, error) {
	if values == nil {
		values = map[string]json.RawMessage{}
	}
	return c.Codec.Encode(values)
}

// Decode returns the values of the session stored under key. Corrupted data is logged and
// read as no values, as Django does.
func (c *Column) Decode(key string, data []byte) map[string]json.RawMessage {
	values, err := c.Codec.Decode(data)
	if err != nil {
		c.Logger.Warn("Session data corrupted", "store", c.Store, "table", c.Table, "key_prefix", KeyPrefix(key), "error", err)
		return make(map[string]json.RawMessage)
	}
	return values
}

// Merge returns the session_data of the session stored under key as stored, once ch is
// applied to it. stored is not read when ch clears the session, and not kept.
func (c *Column) Merge(key string, stored []byte, ch *sessions.Changes) (string, error) {
	var values map[string]json.RawMessage
	if ch.Clear {
		values = make(map[string]json.RawMessage, len(ch.Set))
	} else {
		values = c.Decode(key, stored)
	}
	Apply(values, ch)
	return c.Codec.Encode(values)
}

// KeyPrefix returns the first characters of a session key, enough to find it in the log
// without making the log a list of valid keys.
func KeyPrefix(key string) string {
	if len(key) > 8 {
		return key[:8] + "…"
	}
	return key
}

// Apply changes values as ch says: Clear first, then Delete, then Set.
func Apply(values map[string]json.RawMessage, ch *sessions.Changes) {
	if ch.Clear {
		clear(values)
	}
	for _, k := range ch.Delete {
		delete(values, k)
	}
	for k, v := range ch.Set {
		values[k] = v
	}
}

// CheckValue returns an error, starting with name, when v (the value of session key k) is
// not valid JSON.
func CheckValue(name, k string, v json.RawMessage) error {
	if !json.Valid(v) {
		return fmt.Errorf("%s: the value of session key %q is not valid JSON: %q", name, k, v)
	}
	return nil
}

// AppendObject appends values as a JSON object with its keys in order. Each value must be
// valid JSON (the error starts with name): a session whose stored document is broken would
// be lost as a whole.
func AppendObject(dst []byte, values map[string]json.RawMessage, name string) ([]byte, error) {
	var buf [16]string
	keys := buf[:0]
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		v := values[k]
		if err := CheckValue(name, k, v); err != nil {
			return nil, err
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, k)
		dst = append(dst, ':')
		dst = append(dst, v...)
	}
	return append(dst, '}'), nil
}

// AppendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as encoding/json
// writes it.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}
