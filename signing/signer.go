package signing

import (
	"crypto"
	"crypto/subtle"
	"errors"
	"fmt"
	"strings"
)

// Signer signs strings and verifies them, as Django's signing.Signer: the
// signed form is value + separator + signature, where the signature is the
// URL-safe base64 of salted_hmac(salt + "signer", value, key).
//
// Create one with [NewSigner]; the zero Signer is not usable. A Signer is
// safe for concurrent use and keeps no state between calls, so one per
// purpose for the life of the program is the intended use.
type Signer struct {
	sep string
	// keys are the derived keys of Options.Key then each fallback key,
	// with the signing algorithm; sha1 are the same with SHA-1 when
	// Options.AcceptSHA1 adds it.
	keys   []*macKey
	sha1   []*macKey
	sigLen int // length of an encoded signature made with keys
}

// errNoKey is returned by the constructors when Options.Key is empty.
var errNoKey = errors.New("signing: Options.Key is empty; set it to the site's SECRET_KEY")

// NewSigner returns a Signer configured by o. Options.Salt defaults to
// [SignerSalt]. It reports an error when Key is empty, the separator is
// unsafe or the algorithm is not available.
func NewSigner(o Options) (*Signer, error) {
	return newSigner(o, SignerSalt)
}

func newSigner(o Options, defaultSalt string) (*Signer, error) {
	if o.Key == "" {
		return nil, errNoKey
	}
	sep := o.Separator
	if sep == "" {
		sep = ":"
	}
	if unsafeSeparator(sep) {
		return nil, fmt.Errorf("signing: unsafe Signer separator %q (cannot be empty or consist of only A-z0-9-_=); use one such as %q", sep, ":")
	}
	salt := o.Salt
	if salt == "" {
		salt = defaultSalt
	}
	algo := o.Algorithm
	if algo == 0 {
		algo = crypto.SHA256
	}
	if !algo.Available() {
		return nil, fmt.Errorf("signing: hash algorithm %v is not available; import the package that implements it", algo)
	}
	s := &Signer{sep: sep, sigLen: encodedLen(algo.Size())}
	keySalt := salt + "signer"
	s.keys = deriveKeys(algo, keySalt, o.Key, o.FallbackKeys)
	if o.AcceptSHA1 && algo != crypto.SHA1 {
		s.sha1 = deriveKeys(crypto.SHA1, keySalt, o.Key, o.FallbackKeys)
	}
	return s, nil
}

func deriveKeys(algo crypto.Hash, keySalt, key string, fallbacks []string) []*macKey {
	keys := make([]*macKey, 0, 1+len(fallbacks))
	keys = append(keys, newMACKey(algo, keySalt, key))
	for _, k := range fallbacks {
		// Django uses the main key for an empty fallback key, which is
		// already tried first.
		if k != "" {
			keys = append(keys, newMACKey(algo, keySalt, k))
		}
	}
	return keys
}

func encodedLen(n int) int { return (n*8 + 5) / 6 }

// unsafeSeparator reports whether Django refuses sep: it matches
// ^[A-z0-9-_=]*$ in Python, where $ also matches before a final newline.
func unsafeSeparator(sep string) bool {
	sep = strings.TrimSuffix(sep, "\n")
	for i := 0; i < len(sep); i++ {
		c := sep[i]
		if !('A' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '=') {
			return false
		}
	}
	return true
}

// Sign returns value + separator + signature, signed with Options.Key.
func (s *Signer) Sign(value string) string {
	return s.sign(bytesOf(value), 0, false)
}

// sign signs value, or value + sep + base62(ts) when withTS is set, and
// returns the signed text.
func (s *Signer) sign(value []byte, ts int64, withTS bool) string {
	if len(s.keys) == 0 {
		panic("signing: Signer used without NewSigner")
	}
	k := s.keys[0]
	st := k.get()
	var tsb, sig []byte
	if withTS {
		tsb = appendBase62(st.ts[:0], ts)
		sig = st.signature(value, bytesOf(s.sep), tsb)
	} else {
		sig = st.signature(value)
	}
	var b strings.Builder
	b.Grow(len(value) + len(tsb) + 2*len(s.sep) + len(sig))
	b.Write(value)
	if withTS {
		b.WriteString(s.sep)
		b.Write(tsb)
	}
	b.WriteString(s.sep)
	b.Write(sig)
	k.put(st)
	return b.String()
}

// Unsign checks the signature of signed and returns the value before it.
// The signature must match Options.Key or one of the fallback keys (and,
// with AcceptSHA1, may be a SHA-1 signature). Otherwise the error is a
// [*BadSignatureError] that matches [ErrBadSignature].
func (s *Signer) Unsign(signed string) (string, error) {
	i := strings.LastIndex(signed, s.sep)
	if i < 0 {
		return "", &BadSignatureError{Reason: `No "` + s.sep + `" found in value`}
	}
	value, sig := signed[:i], signed[i+len(s.sep):]
	if !s.verify(value, sig) {
		return "", &BadSignatureError{Reason: `Signature "` + sig + `" does not match`}
	}
	return value, nil
}

// verify reports whether sig is the signature of value under any key. The
// length of a signature is public; its bytes are compared in constant time.
func (s *Signer) verify(value, sig string) bool {
	if len(sig) == s.sigLen {
		for _, k := range s.keys {
			if k.matches(value, sig) {
				return true
			}
		}
	}
	if len(s.sha1) > 0 && len(sig) == encodedLen(crypto.SHA1.Size()) {
		for _, k := range s.sha1 {
			if k.matches(value, sig) {
				return true
			}
		}
	}
	return false
}

func (k *macKey) matches(value, sig string) bool {
	st := k.get()
	ok := subtle.ConstantTimeCompare(st.signature(bytesOf(value)), bytesOf(sig)) == 1
	k.put(st)
	return ok
}
