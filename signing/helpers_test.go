package signing_test

import (
	"errors"

	"github.com/canter-go/canter/signing"
)

// errorsIsBad reports whether err is a bad signature and not an expiry.
func errorsIsBad(err error) bool {
	var bad *signing.BadSignatureError
	return errors.Is(err, signing.ErrBadSignature) && errors.As(err, &bad) && !errors.Is(err, signing.ErrSignatureExpired)
}
