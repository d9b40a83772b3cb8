package signing

// cookieKeyPrefix is prepended to every key of the cookie signer, as in
// Django's get_cookie_signer.
const cookieKeyPrefix = "django.http.cookies"

// NewCookieSigner returns the signer of the cookie called name, as Django's
// get_cookie_signer(salt=name + salt): a [TimestampSigner] whose keys are
// "django.http.cookies" followed by Options.Key (and by each fallback key),
// and whose salt is name followed by Options.Salt. Use it to sign or check
// many cookies of one name; [SignCookie] and [UnsignCookie] do one.
//
// To reproduce get_cookie_signer() called without arguments, pass an empty
// name and Options.Salt = [CookieSignerSalt].
func NewCookieSigner(name string, o Options) (*TimestampSigner, error) {
	if o.Key == "" {
		return nil, errNoKey
	}
	o.Key = cookieKeyPrefix + o.Key
	if len(o.FallbackKeys) > 0 {
		keys := make([]string, len(o.FallbackKeys))
		for i, k := range o.FallbackKeys {
			keys[i] = cookieKeyPrefix + k
		}
		o.FallbackKeys = keys
	}
	o.Salt = name + o.Salt
	return NewTimestampSigner(o)
}

// SignCookie returns the signed value of the cookie called name, as
// Django's HttpResponse.set_signed_cookie(name, value, salt=o.Salt) stores
// it. The caller sets the cookie.
func SignCookie(name, value string, o Options) (string, error) {
	t, err := NewCookieSigner(name, o)
	if err != nil {
		return "", err
	}
	return t.Sign(value), nil
}

// UnsignCookie checks the value of a signed cookie called name and returns
// what was signed, as Django's HttpRequest.get_signed_cookie(name,
// salt=o.Salt, max_age=o.MaxAge).
func UnsignCookie(name, signed string, o Options) (string, error) {
	t, err := NewCookieSigner(name, o)
	if err != nil {
		return "", err
	}
	return t.Unsign(signed, o.MaxAge)
}
