package signing

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// SignObject writes v as JSON (see [JSON]), compresses it when compress is
// set and that makes it shorter, encodes it with URL-safe base64 (prefixed
// with "." when compressed) and signs the result, as Django's
// Signer.sign_object.
func (s *Signer) SignObject(v any, compress bool) (string, error) {
	p := payloads.Get().(*payload)
	defer p.release()
	b64, err := p.encode(v, compress)
	if err != nil {
		return "", err
	}
	return s.sign(b64, 0, false), nil
}

// UnsignObject checks the signature of signed and decodes the JSON it
// carries into v, as encoding/json.Unmarshal would, except that numbers
// decoded into interface values become json.Number. A signature that does
// not verify gives a [*BadSignatureError]; any other error means the signed
// payload is not valid base64, zlib or JSON for v.
func (s *Signer) UnsignObject(signed string, v any) error {
	b64, err := s.Unsign(signed)
	if err != nil {
		return err
	}
	return decodePayload(b64, v)
}

// SignObject is [Signer.SignObject] with a timestamp, as Django's
// TimestampSigner.sign_object and signing.dumps.
func (t *TimestampSigner) SignObject(v any, compress bool) (string, error) {
	p := payloads.Get().(*payload)
	defer p.release()
	b64, err := p.encode(v, compress)
	if err != nil {
		return "", err
	}
	return t.signer.sign(b64, t.now().Unix(), true), nil
}

// UnsignObject is [Signer.UnsignObject] with an age check: with a non-zero
// maxAge, a value signed more than maxAge ago gives a
// [*SignatureExpiredError].
func (t *TimestampSigner) UnsignObject(signed string, v any, maxAge time.Duration) error {
	b64, err := t.Unsign(signed, maxAge)
	if err != nil {
		return err
	}
	return decodePayload(b64, v)
}

// Dumps returns v as a signed, URL-safe string, as Django's signing.dumps:
// JSON, compressed if o.Compress is set and it helps, base64 and signed with
// a timestamp. The salt defaults to [DumpsSalt]. Each call derives the keys
// anew; build a [TimestampSigner] with [NewTimestampSigner] and
// Options.Salt = DumpsSalt to sign many values.
func Dumps(v any, o Options) (string, error) {
	t, err := newTimestampSigner(o, DumpsSalt)
	if err != nil {
		return "", err
	}
	return t.SignObject(v, o.Compress)
}

// Loads checks a string made by [Dumps] or Django's signing.dumps and
// decodes its JSON into v, as Django's signing.loads. The salt defaults to
// [DumpsSalt]; a non-zero o.MaxAge refuses older values with a
// [*SignatureExpiredError]. Numbers decoded into interface values become
// json.Number, so that integers and floats keep their kind.
func Loads(s string, v any, o Options) error {
	t, err := newTimestampSigner(o, DumpsSalt)
	if err != nil {
		return err
	}
	return t.UnsignObject(s, v, o.MaxAge)
}

// payload holds the scratch buffers for encoding one object.
type payload struct {
	json []byte
	z    bytes.Buffer
	out  []byte
}

var payloads = sync.Pool{New: func() any { return new(payload) }}

// maxPooled is the largest buffer kept for reuse; bigger ones are dropped
// so that one large value does not pin memory.
const maxPooled = 64 << 10

func (p *payload) release() {
	if cap(p.json) > maxPooled || cap(p.out) > maxPooled || p.z.Cap() > maxPooled {
		return
	}
	payloads.Put(p)
}

var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

// encode returns the base64 text of v's JSON, compressed when asked and
// useful, valid until p is released.
func (p *payload) encode(v any, compress bool) ([]byte, error) {
	var err error
	p.json, err = AppendJSON(p.json[:0], v)
	if err != nil {
		return nil, err
	}
	data := p.json
	p.out = p.out[:0]
	if compress {
		p.z.Reset()
		zw := zlibWriters.Get().(*zlib.Writer)
		zw.Reset(&p.z)
		zw.Write(data) // writes to a bytes.Buffer cannot fail
		zw.Close()
		zlibWriters.Put(zw)
		if p.z.Len() < len(data)-1 {
			data = p.z.Bytes()
			p.out = append(p.out, '.')
		}
	}
	p.out = base64.RawURLEncoding.AppendEncode(p.out, data)
	return p.out, nil
}

// decodePayload reverses payload.encode into v.
func decodePayload(b64 string, v any) error {
	compressed := len(b64) > 0 && b64[0] == '.'
	if compressed {
		b64 = b64[1:]
	}
	in := inflaters.Get().(*inflater)
	defer in.release()
	var err error
	in.raw, err = base64.RawURLEncoding.AppendDecode(in.raw[:0], bytesOf(strings.TrimRight(b64, "=")))
	if err != nil {
		return fmt.Errorf("signing: signed payload is not URL-safe base64: %w", err)
	}
	data := in.raw
	if compressed {
		if data, err = in.inflate(data); err != nil {
			return fmt.Errorf("signing: signed payload is not zlib data: %w", err)
		}
	}
	return decodeJSON(data, v)
}

// inflater decodes payloads, reusing its buffers and zlib decompressor.
type inflater struct {
	raw []byte // the payload decoded from base64
	src bytes.Reader
	zr  io.ReadCloser // a zlib reader, nil until the first use
	out bytes.Buffer
}

var inflaters = sync.Pool{New: func() any { return new(inflater) }}

func (in *inflater) inflate(data []byte) ([]byte, error) {
	in.src.Reset(data)
	in.out.Reset()
	var err error
	if in.zr == nil {
		in.zr, err = zlib.NewReader(&in.src)
	} else {
		err = in.zr.(zlib.Resetter).Reset(&in.src, nil)
	}
	if err != nil {
		in.zr = nil
		return nil, err
	}
	if _, err := in.out.ReadFrom(in.zr); err != nil {
		return nil, err
	}
	if err := in.zr.Close(); err != nil {
		return nil, err
	}
	return in.out.Bytes(), nil
}

func (in *inflater) release() {
	if in.out.Cap() <= maxPooled && cap(in.raw) <= maxPooled {
		inflaters.Put(in)
	}
}

// errTrailingData is returned when JSON is followed by more than space.
var errTrailingData = errors.New("signing: signed payload has data after its JSON value")

// decodeJSON decodes one JSON value filling data into v, with numbers in
// interface values as json.Number.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("signing: signed payload is not valid JSON for %T: %w", v, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}
