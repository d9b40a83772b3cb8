package signing

import (
	"errors"
	"strconv"
	"time"
)

// ErrBadSignature is matched by every error that reports a signature that
// does not verify, including an expired one: test with
// errors.Is(err, signing.ErrBadSignature). It is Django's BadSignature.
var ErrBadSignature = errors.New("signing: bad signature")

// ErrSignatureExpired is matched by the error that reports a valid signature
// older than the maximum age. It is Django's SignatureExpired. Such an error
// matches ErrBadSignature too, as in Django, so test for ErrSignatureExpired
// first when the two must be told apart.
var ErrSignatureExpired = errors.New("signing: signature expired")

// BadSignatureError reports a signed value that was refused: its separator
// is missing, its signature does not match any key, or what it signed is not
// in the expected shape. It matches [ErrBadSignature].
type BadSignatureError struct {
	// Reason is Django's message, such as `No ":" found in value` or
	// `Signature "abc" does not match`.
	Reason string
}

// Error returns the reason prefixed with "signing: ".
func (e *BadSignatureError) Error() string { return "signing: " + e.Reason }

// Is reports whether target is ErrBadSignature.
func (e *BadSignatureError) Is(target error) bool { return target == ErrBadSignature }

// SignatureExpiredError reports a value whose signature is valid but older
// than the maximum age given to Unsign or Loads. It matches both
// [ErrSignatureExpired] and [ErrBadSignature].
type SignatureExpiredError struct {
	// SignedAt is the time in the signature, to the second.
	SignedAt time.Time
	// Age is how old the signature was when it was checked.
	Age time.Duration
	// MaxAge is the maximum age that was allowed.
	MaxAge time.Duration
}

// Error returns Django's message, "Signature age 100.5 > 60 seconds",
// prefixed with "signing: ".
func (e *SignatureExpiredError) Error() string {
	b := []byte("signing: Signature age ")
	b = appendPyFloat(b, e.Age.Seconds(), 64)
	b = append(b, " > "...)
	if e.MaxAge%time.Second == 0 {
		b = strconv.AppendInt(b, int64(e.MaxAge/time.Second), 10)
	} else {
		b = appendPyFloat(b, e.MaxAge.Seconds(), 64)
	}
	b = append(b, " seconds"...)
	return string(b)
}

// Is reports whether target is ErrSignatureExpired or ErrBadSignature.
func (e *SignatureExpiredError) Is(target error) bool {
	return target == ErrSignatureExpired || target == ErrBadSignature
}
