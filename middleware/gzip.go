package middleware

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/canter-go/canter/web"
)

// GZipConfig configures GZip. The zero value is Django's GZipMiddleware.
type GZipConfig struct {
	// MinLength is the size under which a non-streaming body is sent as is, since compressing
	// it would gain little (Django's hard-coded 200 bytes; default 200).
	MinLength int
	// Level is the compression level, 1 (fastest) to 9 (smallest) (Django's compresslevel;
	// default 6).
	Level int
	// MaxRandomBytes bounds the BREACH padding: every compressed response carries, in the gzip
	// file-name field, a random number (0 to MaxRandomBytes-1) of filler bytes, so that its
	// length does not reveal how well a secret compressed against attacker-chosen text
	// (GZipMiddleware.max_random_bytes; default 100). A negative value turns the padding off.
	// At most 1000.
	MaxRandomBytes int
}

// Django's defaults for GZipConfig.
const (
	DefaultGZipMinLength      = 200
	DefaultGZipLevel          = 6
	DefaultGZipMaxRandomBytes = 100
	maxRandomBytesLimit       = 1000
)

type gzipMiddleware struct {
	minLength int
	level     int
	maxRandom int // 0: no padding
	states    sync.Pool
	buffers   sync.Pool
}

// GZip returns Django's GZipMiddleware: it compresses the response for clients whose
// Accept-Encoding names gzip. It leaves alone non-streaming bodies under MinLength bytes,
// responses that already have a Content-Encoding, and responses written by an http.Handler;
// to every other response it adds Vary: Accept-Encoding. A non-streaming body is replaced only
// when compression makes it smaller, and gets its new Content-Length; a stream (web.Stream) is
// compressed as it is written, its Content-Length is dropped, and every web.Flush the stream
// does pushes the compressed bytes so far to the client. A strong ETag becomes weak (W/"…").
//
// As Django 4.2 and later do, each compressed response carries random padding against the
// BREACH attack (see MaxRandomBytes); the padding does not replace keeping secrets and
// user-controlled text apart in compressed pages.
//
// Like Django, GZip compresses whenever "gzip" appears as a word in Accept-Encoding, whatever
// its q-value.
//
// It returns an error for a level outside 1–9, a negative MinLength or too large a padding.
func GZip(cfg GZipConfig) (web.Middleware, error) {
	g := &gzipMiddleware{minLength: cfg.MinLength, level: cfg.Level, maxRandom: cfg.MaxRandomBytes}
	var errs []string
	switch {
	case g.minLength == 0:
		g.minLength = DefaultGZipMinLength
	case g.minLength < 0:
		errs = append(errs, fmt.Sprintf("MinLength: %d is negative; use 1 to compress every body", cfg.MinLength))
	}
	switch {
	case g.level == 0:
		g.level = DefaultGZipLevel
	case g.level < flate.BestSpeed || g.level > flate.BestCompression:
		errs = append(errs, fmt.Sprintf("Level: %d is not a gzip level; use 1 (fastest) to 9 (smallest), or 0 for Django's 6", cfg.Level))
	}
	switch {
	case g.maxRandom == 0:
		g.maxRandom = DefaultGZipMaxRandomBytes
	case g.maxRandom < 0:
		g.maxRandom = 0
	case g.maxRandom > maxRandomBytesLimit:
		errs = append(errs, fmt.Sprintf("MaxRandomBytes: %d is more than %d", cfg.MaxRandomBytes, maxRandomBytesLimit))
	}
	if len(errs) > 0 {
		return nil, configError("gzip", errs)
	}
	return g, nil
}

// Wrap implements web.Middleware.
func (g *gzipMiddleware) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		resp, err := next(r)
		if err != nil || resp.Handler != nil {
			return resp, err
		}
		streaming := resp.Stream != nil
		if streaming {
			if s := resp.StatusCode(); s < 200 || s == http.StatusNoContent || s == http.StatusNotModified {
				return resp, nil
			}
		} else if len(resp.Body) < g.minLength {
			return resp, nil
		}
		h := resp.Header()
		if _, ok := h["Content-Encoding"]; ok {
			return resp, nil
		}
		patchVary(h, "Accept-Encoding")
		if !acceptsGzip(r.Header["Accept-Encoding"]) {
			return resp, nil
		}
		if streaming {
			resp.Stream = g.compressStream(resp.Stream)
			delete(h, "Content-Length")
		} else {
			body := g.compress(resp.Body)
			if body == nil {
				return resp, nil
			}
			resp.Body = body
			h["Content-Length"] = []string{strconv.Itoa(len(body))}
		}
		if etag := h.Get("Etag"); strings.HasPrefix(etag, `"`) {
			h["Etag"] = []string{"W/" + etag}
		}
		h["Content-Encoding"] = []string{"gzip"}
		return resp, nil
	}
}

// acceptsGzip reports whether "gzip" appears as a whole word in Accept-Encoding (Django's
// \bgzip\b).
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for i := 0; ; {
			j := strings.Index(v[i:], "gzip")
			if j < 0 {
				break
			}
			j += i
			if (j == 0 || !isWordByte(v[j-1])) && (j+4 == len(v) || !isWordByte(v[j+4])) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

// The gzip framing (header, CRC-32, length) is written here around compress/flate rather than
// by compress/gzip, because Django's BREACH padding sets the FNAME flag even when the random
// name is empty, which compress/gzip cannot express.

// gzipState is the pooled machinery of one compression: a flate writer (hundreds of KB, which
// is why it is pooled) and the room to build the gzip header. It is never handed to user code.
type gzipState struct {
	fw   *flate.Writer
	sink sink
	used bool // fw needs a Reset before the next use
	crc  uint32
	size uint32
	rnd  [2]byte
	hdr  [10 + maxRandomBytesLimit + 1]byte
}

// sink is the flate writer's fixed destination; out changes with every use.
type sink struct{ out io.Writer }

func (s *sink) Write(p []byte) (int, error) { return s.out.Write(p) }

func (g *gzipMiddleware) getState(out io.Writer) *gzipState {
	st, _ := g.states.Get().(*gzipState)
	if st == nil {
		st = new(gzipState)
		st.fw, _ = flate.NewWriter(&st.sink, g.level) // the level was checked in GZip
	} else if st.used {
		st.fw.Reset(&st.sink)
	}
	st.sink.out, st.used, st.crc, st.size = out, true, 0, 0
	return st
}

func (g *gzipMiddleware) putState(st *gzipState) {
	st.sink.out = nil
	g.states.Put(st)
}

// header returns the gzip header Python's gzip.compress writes with mtime 0, plus, with
// padding, the FNAME flag and a file name of random length, as Django's compress_string does.
func (g *gzipMiddleware) header(st *gzipState) []byte {
	b := append(st.hdr[:0], 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255)
	switch g.level {
	case flate.BestCompression:
		b[8] = 2
	case flate.BestSpeed:
		b[8] = 4
	}
	if g.maxRandom > 0 {
		b[3] = 0x08 // FNAME
		for n := randBelow(st.rnd[:], g.maxRandom); n > 0; n-- {
			b = append(b, 'a')
		}
		b = append(b, 0)
	}
	return b
}

// randBelow returns a uniformly random number in [0, n) from crypto/rand, using buf (two bytes)
// for the random input.
func randBelow(buf []byte, n int) int {
	limit := 65536 - 65536%n
	for {
		_, _ = rand.Read(buf)
		if v := int(binary.LittleEndian.Uint16(buf)); v < limit {
			return v % n
		}
	}
}

func (st *gzipState) write(p []byte) (int, error) {
	st.crc = crc32.Update(st.crc, crc32.IEEETable, p)
	st.size += uint32(len(p))
	return st.fw.Write(p)
}

// finish ends the deflate stream and writes the gzip trailer.
func (st *gzipState) finish() error {
	if err := st.fw.Close(); err != nil {
		return err
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], st.crc)
	binary.LittleEndian.PutUint32(trailer[4:], st.size)
	_, err := st.sink.out.Write(trailer[:])
	return err
}

// maxPooledBuffer bounds the buffers kept for reuse, so one huge response does not pin memory.
const maxPooledBuffer = 1 << 20

// compress returns body gzipped in a new slice, or nil when that is not smaller.
func (g *gzipMiddleware) compress(body []byte) []byte {
	buf, _ := g.buffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	st := g.getState(buf)
	buf.Write(g.header(st))
	_, err := st.write(body)
	if err == nil {
		err = st.finish()
	}
	g.putState(st)
	var out []byte
	if err == nil && buf.Len() < len(body) {
		out = bytes.Clone(buf.Bytes())
	}
	if buf.Cap() <= maxPooledBuffer {
		g.buffers.Put(buf)
	}
	return out
}

// compressStream returns a stream function that gzips what write writes.
func (g *gzipMiddleware) compressStream(write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) (err error) {
		st := g.getState(w)
		zw := &gzipStreamWriter{st: st}
		defer func() {
			zw.st = nil // a writer kept past the stream's end must not reach a pooled state
			g.putState(st)
		}()
		if _, err := w.Write(g.header(st)); err != nil {
			return err
		}
		if err := write(zw); err != nil {
			return err
		}
		return st.finish()
	}
}

// errStreamDone is returned by writes to a compressing stream writer after its stream ended.
var errStreamDone = errors.New("middleware: write to a gzip stream after the stream function returned")

// gzipStreamWriter is the writer a compressed stream function receives; Flush pushes what was
// written so far through the compressor to the client.
type gzipStreamWriter struct{ st *gzipState }

func (w *gzipStreamWriter) Write(p []byte) (int, error) {
	if w.st == nil {
		return 0, errStreamDone
	}
	return w.st.write(p)
}

// Flush sends the compressed bytes so far to the client.
func (w *gzipStreamWriter) Flush() {
	if w.st == nil {
		return
	}
	if w.st.fw.Flush() == nil {
		web.Flush(w.st.sink.out)
	}
}
