package csrf

import (
	"crypto/rand"
	"crypto/subtle"
	"unicode/utf8"
)

// The formats, as in Django.
const (
	// SecretLength is the length of the per-browser secret kept in the cookie or the session.
	SecretLength = 32
	// TokenLength is the length of a masked token, the form a page receives.
	TokenLength = 64
	// FieldName is the name of the form field a token is read from.
	FieldName = "csrfmiddlewaretoken"
	// SessionKey is the session key the secret is stored under when Config.UseSessions is set.
	SessionKey = "_csrftoken"

	// allowedChars is Django's CSRF_ALLOWED_CHARS. The order matters: masking adds indexes.
	allowedChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// charIndex maps a byte to its index in allowedChars, or -1.
var charIndex = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(allowedChars); i++ {
		t[allowedChars[i]] = int8(i)
	}
	return t
}()

// Django's reasons for a value that is not a token (InvalidTokenFormat).
const (
	reasonIncorrectLength   = "has incorrect length"
	reasonInvalidCharacters = "has invalid characters"
)

// fillRandom fills dst with characters drawn uniformly from allowedChars using the operating
// system's random source. Bytes of 248 and above are dropped so that every character is equally
// likely (248 = 4 × 62).
func fillRandom(dst []byte) {
	var buf [64]byte
	for i := 0; i < len(dst); {
		rand.Read(buf[:])
		for _, b := range buf {
			if b >= 248 {
				continue
			}
			dst[i] = allowedChars[b%62]
			if i++; i == len(dst) {
				return
			}
		}
	}
}

// newSecret returns a fresh 32-character secret.
func newSecret() string {
	var b [SecretLength]byte
	fillRandom(b[:])
	return string(b[:])
}

// mask returns a new masked token for secret (32 valid characters): a random mask followed by
// the secret with the mask added character by character, modulo 62.
func mask(secret string) string {
	var tok [TokenLength]byte
	fillRandom(tok[:SecretLength])
	maskInto(&tok, secret)
	return string(tok[:])
}

// maskInto writes the cipher of secret under the mask in tok[:32] to tok[32:].
func maskInto(tok *[TokenLength]byte, secret string) {
	for i := 0; i < SecretLength; i++ {
		sum := int(charIndex[secret[i]]) + int(charIndex[tok[i]])
		tok[SecretLength+i] = allowedChars[sum%62]
	}
}

// unmask returns the secret a masked token (64 valid characters) carries.
func unmask(token string) string {
	var secret [SecretLength]byte
	for i := 0; i < SecretLength; i++ {
		d := int(charIndex[token[SecretLength+i]]) - int(charIndex[token[i]])
		if d < 0 {
			d += 62
		}
		secret[i] = allowedChars[d]
	}
	return string(secret[:])
}

// checkFormat returns Django's reason why s is not a secret or a token, or "" when it is one.
// n is the length of s as Django counts it: characters for values it decodes as UTF-8 (cookies
// and form fields), bytes for header values.
func checkFormat(s string, n int) string {
	if n != SecretLength && n != TokenLength {
		return reasonIncorrectLength
	}
	for i := 0; i < len(s); i++ {
		if charIndex[s[i]] < 0 {
			return reasonInvalidCharacters
		}
	}
	if len(s) != n { // multi-byte characters are never allowed characters
		return reasonInvalidCharacters
	}
	return ""
}

// runes counts the characters of s as Django sees a UTF-8 decoded value (an invalid byte is
// one replacement character).
func runes(s string) int { return utf8.RuneCountInString(s) }

// matches reports, in constant time, whether token (a secret or a masked token, well formed)
// carries secret.
func matches(token, secret string) bool {
	if len(token) == TokenLength {
		token = unmask(token)
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(secret)) == 1
}
