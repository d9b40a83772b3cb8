// Package signing signs and verifies values exactly as Django's
// django.core.signing does, so a Go service and a Django site that share a
// SECRET_KEY can read each other's signed values, session data and signed
// cookies.
//
// # Signing a string
//
// A [Signer] appends a separator and a URL-safe signature to a value, and
// [Signer.Unsign] checks it and gives the value back:
//
//	s, err := signing.NewSigner(signing.Options{Key: secretKey})
//	signed := s.Sign("hello")          // "hello:FRBs_KKrjaVe9zJEdlQdiuJ2n9jBEsFOL1Capquoa18" with key "secret"
//	value, err := s.Unsign(signed)     // "hello", nil
//
// A [TimestampSigner] also signs the time, so a value can be refused once it
// is older than a maximum age:
//
//	ts, err := signing.NewTimestampSigner(signing.Options{Key: secretKey})
//	signed := ts.Sign("hello")                  // "hello:1r31eq:cd3o..."
//	value, err := ts.Unsign(signed, time.Hour)  // ErrSignatureExpired after an hour
//
// # Signing objects
//
// [Dumps] and [Loads] are Django's signing.dumps and signing.loads: the value
// is written as JSON (see [JSON]), optionally compressed with zlib, encoded
// with URL-safe base64 and signed with a timestamp:
//
//	token, err := signing.Dumps(map[string]any{"user": 42}, signing.Options{Key: secretKey})
//	var data map[string]any
//	err = signing.Loads(token, &data, signing.Options{Key: secretKey, MaxAge: 24 * time.Hour})
//
// Numbers inside interface values load as [encoding/json.Number], so an
// integer written by Python stays an integer when Go writes it back.
// For repeated use, build a [TimestampSigner] once and call its SignObject and
// UnsignObject methods: that avoids deriving the keys on every call.
//
// # Keys, salts and algorithms
//
// [Options] holds the settings of every signer. Key is the site's SECRET_KEY
// and FallbackKeys its SECRET_KEY_FALLBACKS: values are always signed with
// Key and accepted when they verify with Key or any fallback, which is how a
// key is rotated. The salt namespaces signatures, so that a value signed for
// one purpose is refused for another; each entry point uses Django's default
// salt when Salt is empty. The algorithm is SHA-256; Django 3.2 sites (Debian
// 12) may also hold SHA-1 signatures, which a signer accepts when
// Options.AcceptSHA1 is set. [DecodeLegacySession] reads the older session
// format of those sites.
//
// # Errors
//
// A signature that does not verify is reported as a [*BadSignatureError] and
// one that is too old as a [*SignatureExpiredError]. Both match
// [ErrBadSignature] with [errors.Is], as Django's SignatureExpired is a
// BadSignature; only the second matches [ErrSignatureExpired]. Any other error
// from an Unsign or Loads call means the signature was good but the signed
// payload could not be decoded.
//
// # Cookies
//
// [SignCookie] and [UnsignCookie] produce and check the values of Django's
// HttpResponse.set_signed_cookie and HttpRequest.get_signed_cookie.
package signing
