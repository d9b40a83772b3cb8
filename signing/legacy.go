package signing

import (
	"bytes"
	"crypto"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// legacySessionSalt starts the key salt of the legacy session format. It has
// no dot before the class name: "django.contrib.sessionsSessionStore".
const legacySessionSalt = "django.contrib.sessions"

// DecodeLegacySession checks session data in the format Django 3.1 and 3.2
// write when DEFAULT_HASHING_ALGORITHM is "sha1" (and Django before 3.1
// always wrote): standard base64 of hexhash + ":" + JSON, where hexhash is
// the hex SHA-1 salted HMAC of the JSON with the key salt
// "django.contrib.sessions" + className and the secret key. className is the
// session store's class name, "SessionStore" for all of Django's backends.
//
// It returns the JSON bytes. Data that is not in this format, or whose hash
// does not match, gives a [*BadSignatureError] with Django's reason
// "Session data corrupted".
func DecodeLegacySession(data, secret, className string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		return nil, &BadSignatureError{Reason: "Session data corrupted (not base64)"}
	}
	hash, serialized, ok := bytes.Cut(raw, []byte(":"))
	if !ok {
		return nil, &BadSignatureError{Reason: "Session data corrupted"}
	}
	want := legacySessionHash(serialized, secret, className)
	if subtle.ConstantTimeCompare(hash, want) != 1 {
		return nil, &BadSignatureError{Reason: "Session data corrupted"}
	}
	return serialized, nil
}

// EncodeLegacySession returns session JSON in the legacy format that
// [DecodeLegacySession] reads, as Django 3.2 writes it with
// DEFAULT_HASHING_ALGORITHM = "sha1". The payload should come from [JSON]:
// Django reads the bytes as Latin-1, so they must be ASCII. New data should
// use [Dumps]; this is for services that must still be read by such a site.
func EncodeLegacySession(payload []byte, secret, className string) string {
	hash := legacySessionHash(payload, secret, className)
	return base64.StdEncoding.EncodeToString(append(append(hash, ':'), payload...))
}

func legacySessionHash(payload []byte, secret, className string) []byte {
	mac := SaltedHMAC(legacySessionSalt+className, string(payload), secret, crypto.SHA1)
	return hex.AppendEncode(nil, mac)
}
