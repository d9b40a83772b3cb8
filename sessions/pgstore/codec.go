package pgstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/canter-go/canter/sessions"
	"github.com/canter-go/canter/signing"
)

// djangoSalt is the key salt of Django's database-backed session stores
// ("django.contrib.sessions." + the class name SessionStore).
const djangoSalt = "django.contrib.sessions.SessionStore"

// djangoCodec stores the values as Django's SessionBase.encode writes them:
// signing.dumps(values, salt="django.contrib.sessions.SessionStore", compress=True).
type djangoCodec struct {
	signer *signing.TimestampSigner
	// legacy is the secret keys to try on the pre-3.1 format, when SHA-1 is accepted.
	legacy []string
}

func newDjangoCodec(secret string, fallbacks []string, acceptSHA1 bool) (*djangoCodec, error) {
	if secret == "" {
		return nil, errors.New("pgstore: DjangoCompatible needs the site's SECRET_KEY in Config.SecretKey")
	}
	s, err := signing.NewTimestampSigner(signing.Options{
		Key:          secret,
		FallbackKeys: fallbacks,
		Salt:         djangoSalt,
		AcceptSHA1:   acceptSHA1,
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	c := &djangoCodec{signer: s}
	if acceptSHA1 {
		c.legacy = append([]string{secret}, fallbacks...)
	}
	return c, nil
}

func (c *djangoCodec) encode(values map[string]json.RawMessage) (string, error) {
	return c.signer.SignObject(values, true)
}

func (c *djangoCodec) decode(data []byte) (map[string]json.RawMessage, error) {
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

// apply changes values as ch says: Clear first, then Delete, then Set.
func apply(values map[string]json.RawMessage, ch *sessions.Changes) {
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

// appendObject appends values as a JSON object with its keys in order. Each value must be
// valid JSON: a session whose stored document is broken would be lost as a whole.
func appendObject(dst []byte, values map[string]json.RawMessage) ([]byte, error) {
	var buf [16]string
	keys := buf[:0]
	for k := range values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		v := values[k]
		if !json.Valid(v) {
			return nil, fmt.Errorf("pgstore: the value of session key %q is not valid JSON: %q", k, v)
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = append(dst, v...)
	}
	return append(dst, '}'), nil
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as encoding/json
// writes it.
func appendString(dst []byte, s string) []byte {
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
