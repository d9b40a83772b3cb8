package signing

import (
	"strings"
	"time"
)

// TimestampSigner signs strings together with the time of signing, as
// Django's signing.TimestampSigner: the signed form is
// value + sep + base62(unix seconds) + sep + signature. Unsign can then
// refuse values older than a maximum age.
//
// Create one with [NewTimestampSigner]; it is safe for concurrent use.
type TimestampSigner struct {
	signer *Signer
	now    func() time.Time
}

// NewTimestampSigner returns a TimestampSigner configured by o.
// Options.Salt defaults to [TimestampSignerSalt] and Options.Now to
// time.Now. It reports the same errors as [NewSigner].
func NewTimestampSigner(o Options) (*TimestampSigner, error) {
	return newTimestampSigner(o, TimestampSignerSalt)
}

func newTimestampSigner(o Options, defaultSalt string) (*TimestampSigner, error) {
	s, err := newSigner(o, defaultSalt)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &TimestampSigner{signer: s, now: now}, nil
}

// Sign returns value signed with the current time, truncated to the second.
func (t *TimestampSigner) Sign(value string) string {
	return t.signer.sign(bytesOf(value), t.now().Unix(), true)
}

// Unsign checks the signature of signed and returns the value. With a
// non-zero maxAge, a value signed more than maxAge ago is refused with a
// [*SignatureExpiredError]; an age of exactly maxAge is accepted. Other
// failures are [*BadSignatureError]s.
func (t *TimestampSigner) Unsign(signed string, maxAge time.Duration) (string, error) {
	value, _, err := t.UnsignWithTime(signed, maxAge)
	return value, err
}

// UnsignWithTime is [TimestampSigner.Unsign] that also returns the time
// the value was signed, to the second.
func (t *TimestampSigner) UnsignWithTime(signed string, maxAge time.Duration) (string, time.Time, error) {
	result, err := t.signer.Unsign(signed)
	if err != nil {
		return "", time.Time{}, err
	}
	sep := t.signer.sep
	i := strings.LastIndex(result, sep)
	if i < 0 {
		return "", time.Time{}, &BadSignatureError{Reason: "No timestamp found in value"}
	}
	value, stamp := result[:i], result[i+len(sep):]
	secs, err := Base62Decode(stamp)
	if err != nil {
		return "", time.Time{}, &BadSignatureError{Reason: `Timestamp "` + stamp + `" is not a base-62 number`}
	}
	signedAt := time.Unix(secs, 0)
	if maxAge != 0 {
		if age := t.now().Sub(signedAt); age > maxAge {
			return "", signedAt, &SignatureExpiredError{SignedAt: signedAt, Age: age, MaxAge: maxAge}
		}
	}
	return value, signedAt, nil
}
