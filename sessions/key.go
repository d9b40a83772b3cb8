package sessions

import "crypto/rand"

// Session keys are Django's: 32 characters drawn from a-z and 0-9.
const (
	keyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	keyLength   = 32
	// minKeyLength is Django's rule: a cookie value shorter than this is no session key at all.
	minKeyLength = 8
	// maxKeyLength is the width of Django's session_key column.
	maxKeyLength = 40
	// maxCreateAttempts bounds the redraws when a store keeps answering ErrExists, which only a
	// broken store does: 36^32 keys make a real collision practically impossible.
	maxCreateAttempts = 100
)

// newKey returns a random session key, each character drawn uniformly from keyAlphabet.
func newKey() string {
	var out [keyLength]byte
	var buf [keyLength + 8]byte
	n := 0
	for n < keyLength {
		rand.Read(buf[:]) // never fails: crypto/rand crashes the program instead
		for _, b := range buf {
			// 252 = 7*36: rejecting larger bytes keeps every character equally likely.
			if b < 252 && n < keyLength {
				out[n] = keyAlphabet[b%36]
				n++
			}
		}
	}
	return string(out[:])
}

// validKey reports whether k can be a key of a server-side store: Django's length rules and
// characters. Other values are never looked up, so a client cannot make a store read a key it
// invented in an unexpected shape.
func validKey(k string) bool {
	if len(k) < minKeyLength || len(k) > maxKeyLength {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
