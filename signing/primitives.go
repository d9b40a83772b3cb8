package signing

import (
	"crypto"
	"crypto/hmac"
	_ "crypto/sha1"   // Django's salted_hmac default and Django 3.2 signatures.
	_ "crypto/sha256" // The default signing algorithm.
	_ "crypto/sha512" // Available to Options.Algorithm as crypto.SHA384 and crypto.SHA512.
	"encoding/base64"
	"errors"
	"hash"
	"strings"
	"sync"
	"unsafe"
)

// SaltedHMAC returns the raw HMAC of value, keyed by the digest of
// keySalt+secret, as Django's django.utils.crypto.salted_hmac computes it:
// k = H(keySalt + secret), mac = HMAC-H(k, value). Strings are used as their
// UTF-8 bytes. A zero algo means SHA-1, Django's default for salted_hmac.
//
// SaltedHMAC panics if algo is not linked into the binary; SHA-1, SHA-256,
// SHA-384 and SHA-512 always are.
func SaltedHMAC(keySalt, value, secret string, algo crypto.Hash) []byte {
	if algo == 0 {
		algo = crypto.SHA1
	}
	m := hmac.New(algo.New, deriveKey(algo, keySalt, secret))
	m.Write(bytesOf(value))
	return m.Sum(nil)
}

// deriveKey returns H(keySalt + secret), the HMAC key of salted_hmac.
func deriveKey(algo crypto.Hash, keySalt, secret string) []byte {
	h := algo.New()
	h.Write(bytesOf(keySalt))
	h.Write(bytesOf(secret))
	return h.Sum(nil)
}

// Base64Encode returns b in URL-safe base64 without the "=" padding, as
// Django's signing.b64_encode writes it.
func Base64Encode(b []byte) string {
	return base64.RawURLEncoding.EncodeToString(b)
}

// Base64Decode reverses [Base64Encode]. Like Django's signing.b64_decode it
// accepts the input with or without its "=" padding.
func Base64Decode(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Base62Encode returns n in base 62 with the alphabet 0-9A-Za-z and a
// leading "-" for negative numbers, as Django's signing.b62_encode does.
// Timestamps are written this way: 1700000000 is "1r31eq".
func Base62Encode(n int64) string {
	var buf [12]byte
	return string(appendBase62(buf[:0], n))
}

func appendBase62(dst []byte, n int64) []byte {
	if n == 0 {
		return append(dst, '0')
	}
	var digits [11]byte // 62^11 > 2^64
	u := uint64(n)
	if n < 0 {
		dst = append(dst, '-')
		u = -u
	}
	i := len(digits)
	for u > 0 {
		i--
		digits[i] = base62Alphabet[u%62]
		u /= 62
	}
	return append(dst, digits[i:]...)
}

// errBase62 is returned for text that is not a base-62 number.
var errBase62 = errors.New("signing: not a base-62 number")

// Base62Decode reverses [Base62Encode]. It reports an error for an empty
// string, a character outside 0-9A-Za-z, or a number that does not fit in an
// int64.
func Base62Decode(s string) (int64, error) {
	neg := false
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	}
	if s == "" || len(s) > 11 {
		return 0, errBase62
	}
	var u uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'A' <= c && c <= 'Z':
			d = uint64(c-'A') + 10
		case 'a' <= c && c <= 'z':
			d = uint64(c-'a') + 36
		default:
			return 0, errBase62
		}
		if u > (1<<64-1-d)/62 {
			return 0, errBase62
		}
		u = u*62 + d
	}
	if neg {
		if u > 1<<63 {
			return 0, errBase62
		}
		return -int64(u), nil
	}
	if u > 1<<63-1 {
		return 0, errBase62
	}
	return int64(u), nil
}

// bytesOf returns the bytes of s without copying them. The result must only
// be read: it is handed to hash.Hash.Write and subtle comparisons, which by
// contract neither modify nor keep their argument. This keeps signing and
// verifying free of allocations.
func bytesOf(s string) []byte {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

// macKey is one derived signing key with a pool of ready HMAC states.
type macKey struct {
	pool sync.Pool // of *macState
}

// macState is an HMAC keyed with a macKey and scratch space for one
// signature, so that a signature costs no allocation.
type macState struct {
	h   hash.Hash
	sum []byte   // raw MAC
	enc []byte   // URL-safe base64 of sum
	ts  [12]byte // a base-62 timestamp
}

func newMACKey(algo crypto.Hash, keySalt, secret string) *macKey {
	key := deriveKey(algo, keySalt, secret)
	size := algo.Size()
	k := &macKey{}
	k.pool.New = func() any {
		return &macState{
			h:   hmac.New(algo.New, key),
			sum: make([]byte, 0, size),
			enc: make([]byte, base64.RawURLEncoding.EncodedLen(size)),
		}
	}
	return k
}

// get returns a reset HMAC state; release it with put.
func (k *macKey) get() *macState {
	st := k.pool.Get().(*macState)
	st.h.Reset()
	return st
}

func (k *macKey) put(st *macState) { k.pool.Put(st) }

// signature writes the parts to the HMAC and returns its URL-safe base64
// encoding, valid until st is put back.
func (st *macState) signature(parts ...[]byte) []byte {
	for _, p := range parts {
		st.h.Write(p)
	}
	st.sum = st.h.Sum(st.sum[:0])
	base64.RawURLEncoding.Encode(st.enc, st.sum)
	return st.enc
}
