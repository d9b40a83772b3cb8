package signing

import (
	"crypto"
	"time"
)

// Django's default salts. An empty Options.Salt means the default of the
// entry point it is given to.
const (
	// SignerSalt is the default salt of [NewSigner]
	// (Django's "<module>.<class>" for Signer).
	SignerSalt = "django.core.signing.Signer"
	// TimestampSignerSalt is the default salt of [NewTimestampSigner].
	TimestampSignerSalt = "django.core.signing.TimestampSigner"
	// DumpsSalt is the default salt of [Dumps] and [Loads].
	DumpsSalt = "django.core.signing"
	// CookieSignerSalt is the salt of Django's get_cookie_signer() called
	// without arguments. Signed cookies do not use it: their salt is the
	// cookie name followed by Options.Salt (see [SignCookie]).
	CookieSignerSalt = "django.core.signing.get_cookie_signer"
)

// Options configures a signer, [Dumps] and [Loads], and the cookie
// functions. Only Key is required; the zero value of every other field
// means Django's default. A field that an entry point does not use is
// ignored by it.
type Options struct {
	// Key is the secret the signatures are made with: the site's
	// SECRET_KEY. It must not be empty.
	Key string

	// FallbackKeys are older secrets that are still accepted when
	// verifying, but never used to sign: Django's SECRET_KEY_FALLBACKS.
	// To rotate a key, make the old key a fallback, and drop it once the
	// values signed with it have expired.
	FallbackKeys []string

	// Salt namespaces the signatures, so that a value signed for one use
	// is refused by another. Empty means the entry point's default:
	// [SignerSalt], [TimestampSignerSalt] or [DumpsSalt]. For cookies it
	// is appended to the cookie name.
	Salt string

	// Separator goes between the value, the timestamp and the signature.
	// Empty means ":". As in Django, a separator made only of the
	// characters A-z (which includes [\]^_ and the backquote), 0-9, "-"
	// and "=" is refused, because it could occur in a signature.
	Separator string

	// Algorithm is the hash of the HMAC. Zero means SHA-256, Django's
	// default since 3.1. Django 3.2 sites configured with
	// DEFAULT_HASHING_ALGORITHM = "sha1" sign with crypto.SHA1.
	Algorithm crypto.Hash

	// AcceptSHA1 makes verification also accept SHA-1 signatures, as
	// Django 3.2 does whatever its algorithm: set it to read values signed
	// by Django 3.2 (Debian 12) or older. Signing still uses Algorithm.
	AcceptSHA1 bool

	// Compress makes [Dumps] and SignObject compress the JSON with zlib
	// when that makes it shorter (by at least two bytes, as in Django).
	// The encoded payload then starts with ".".
	Compress bool

	// MaxAge makes [Loads] and [UnsignCookie] refuse values signed longer
	// ago than this with a [*SignatureExpiredError]. Zero means no limit.
	MaxAge time.Duration

	// Now returns the current time for timestamps and age checks. Nil
	// means time.Now. Set it in tests to reproduce fixed signatures.
	Now func() time.Time
}
