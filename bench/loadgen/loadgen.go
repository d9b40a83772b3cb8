// Package loadgen is a small HTTP/1.1 load generator for loopback benchmarks, used when wrk is
// not installed and for the form flow, which needs a session and a CSRF token per connection.
//
// Each connection is a goroutine on its own keep-alive TCP connection that sends one request,
// reads the whole response and sends the next (no pipelining), as wrk does. Requests are
// written from prepared bytes and responses are parsed in place, so the generator spends little
// CPU per request; latencies go into a log-linear histogram with under 1% error.
package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Config describes one load run.
type Config struct {
	// Addr is the server's host:port on a loopback address.
	Addr string
	// Connections is the number of concurrent keep-alive connections.
	Connections int
	// Duration bounds the run; requests in flight at the end are completed and counted.
	Duration time.Duration
	// Path is requested with GET on every connection, unless Form is set.
	Path string
	// Form, when set, makes each connection a browser filling in a form instead.
	Form *FormFlow
	// Timeout bounds each request (default 10s).
	Timeout time.Duration
}

// FormFlow makes a connection load a form page once to get its cookies and CSRF token, then
// alternate a POST of the form and a GET of the page, each counted as a request. Cookies that
// responses set replace the old ones, as a browser's would.
type FormFlow struct {
	// Path is where the page is loaded and the form posted.
	Path string
	// Scrape finds the CSRF field name and token in the page.
	Scrape func(page []byte) (field, token string, ok bool)
}

// Result is what a run measured.
type Result struct {
	// Requests counts completed requests, including those with error statuses.
	Requests int64 `json:"requests"`
	// Errors counts responses with a status of 400 or more.
	Errors int64 `json:"errors"`
	// SocketErrors counts connect, read, write and timeout failures.
	SocketErrors int64 `json:"socket_errors"`
	// FirstError describes the first failure of either kind.
	FirstError string `json:"first_error,omitempty"`
	// Elapsed is the run's wall-clock time.
	Elapsed time.Duration `json:"elapsed_ns"`
	// P50, P90, P99 and Max are latency percentiles.
	P50 time.Duration `json:"p50_ns"`
	P90 time.Duration `json:"p90_ns"`
	P99 time.Duration `json:"p99_ns"`
	Max time.Duration `json:"max_ns"`
}

// RequestsPerSecond is Requests over Elapsed.
func (r Result) RequestsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Run performs the load run and returns what it measured. It fails only when the configuration
// is unusable or no connection could be made at all.
func Run(cfg Config) (Result, error) {
	if cfg.Connections <= 0 || cfg.Duration <= 0 {
		return Result{}, errors.New("loadgen: Connections and Duration must be positive")
	}
	if cfg.Path == "" && cfg.Form == nil {
		return Result{}, errors.New("loadgen: set Path or Form")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	var (
		wg       sync.WaitGroup
		stop     atomic.Bool
		mu       sync.Mutex
		total    Result
		hist     histogram
		firstErr string
	)
	start := time.Now()
	end := start.Add(cfg.Duration)
	for i := 0; i < cfg.Connections; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &worker{cfg: &cfg, stop: &stop, end: end}
			w.run()
			mu.Lock()
			defer mu.Unlock()
			total.Requests += w.requests
			total.Errors += w.errors
			total.SocketErrors += w.socketErrors
			hist.merge(&w.hist)
			if firstErr == "" && w.firstErr != "" {
				firstErr = w.firstErr
			}
		}()
	}
	wg.Wait()
	total.Elapsed = time.Since(start)
	total.FirstError = firstErr
	total.P50 = hist.percentile(50)
	total.P90 = hist.percentile(90)
	total.P99 = hist.percentile(99)
	total.Max = hist.max
	if total.Requests == 0 && total.SocketErrors > 0 {
		return total, fmt.Errorf("loadgen: no request completed: %s", firstErr)
	}
	return total, nil
}

// worker drives one connection.
type worker struct {
	cfg  *Config
	stop *atomic.Bool
	end  time.Time

	conn net.Conn
	br   *bufio.Reader

	requests, errors, socketErrors int64
	firstErr                       string
	hist                           histogram

	// form state
	cookies []cookie
	body    []byte
	field   string
	token   string
}

type cookie struct{ name, value string }

func (w *worker) fail(socket bool, format string, args ...any) {
	if socket {
		w.socketErrors++
	} else {
		w.errors++
	}
	if w.firstErr == "" {
		w.firstErr = fmt.Sprintf(format, args...)
	}
}

func (w *worker) dial() bool {
	if w.conn != nil {
		w.conn.Close()
	}
	c, err := net.DialTimeout("tcp", w.cfg.Addr, w.cfg.Timeout)
	if err != nil {
		w.conn = nil
		w.fail(true, "connect: %v", err)
		time.Sleep(10 * time.Millisecond) // do not spin on a refused connection
		return false
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	w.conn = c
	w.br = bufio.NewReaderSize(c, 16<<10)
	return true
}

func (w *worker) done() bool {
	if w.stop.Load() {
		return true
	}
	if !time.Now().Before(w.end) {
		w.stop.Store(true)
		return true
	}
	return false
}

func (w *worker) run() {
	defer func() {
		if w.conn != nil {
			w.conn.Close()
		}
	}()
	if w.cfg.Form != nil {
		w.runForm()
		return
	}
	req := []byte("GET " + w.cfg.Path + " HTTP/1.1\r\nHost: " + w.cfg.Addr + "\r\n\r\n")
	for !w.done() {
		if w.conn == nil && !w.dial() {
			continue
		}
		if _, err := w.do(req, false, 0); err != nil {
			w.fail(true, "%v", err)
			w.conn.Close()
			w.conn = nil
		}
	}
}

// runForm loads the page for its cookies and token, then alternates POST and GET.
func (w *worker) runForm() {
	f := w.cfg.Form
	for !w.done() {
		if w.conn == nil {
			if !w.dial() {
				continue
			}
			w.cookies = w.cookies[:0]
			status, err := w.do(w.formGet(), true, 200)
			if err != nil || status != 200 {
				if err != nil {
					w.fail(true, "%v", err)
				}
				w.conn.Close()
				w.conn = nil
				continue
			}
			field, token, ok := f.Scrape(w.body)
			if !ok {
				w.fail(false, "no CSRF token in the page: %.200q", w.body)
				w.conn.Close()
				w.conn = nil
				time.Sleep(10 * time.Millisecond)
				continue
			}
			w.field, w.token = field, token
		}
		for _, post := range [2]bool{true, false} {
			if w.conn == nil { // the server closed the connection: start over
				break
			}
			var req []byte
			want := 200
			if post {
				req, want = w.formPost(), 303
			} else {
				req = w.formGet()
			}
			if _, err := w.do(req, false, want); err != nil {
				w.fail(true, "%v", err)
				w.conn.Close()
				w.conn = nil
				break
			}
			if w.done() {
				return
			}
		}
	}
}

func (w *worker) cookieHeader(b []byte) []byte {
	if len(w.cookies) == 0 {
		return b
	}
	b = append(b, "Cookie: "...)
	for i, c := range w.cookies {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = append(b, c.name...)
		b = append(b, '=')
		b = append(b, c.value...)
	}
	return append(b, "\r\n"...)
}

func (w *worker) formGet() []byte {
	b := make([]byte, 0, 512)
	b = append(b, "GET "+w.cfg.Form.Path+" HTTP/1.1\r\nHost: "+w.cfg.Addr+"\r\n"...)
	b = w.cookieHeader(b)
	return append(b, "\r\n"...)
}

func (w *worker) formPost() []byte {
	body := formEscape(w.field) + "=" + formEscape(w.token) + "&note=hello"
	b := make([]byte, 0, 768)
	b = append(b, "POST "+w.cfg.Form.Path+" HTTP/1.1\r\nHost: "+w.cfg.Addr+"\r\nOrigin: http://"+w.cfg.Addr+
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n"...)
	b = w.cookieHeader(b)
	b = append(b, "\r\n"...)
	return append(b, body...)
}

// formEscape escapes a form value; tokens are base64 or hex, so few characters need it.
func formEscape(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append([]byte(nil), s[:i]...)
		}
		b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}

// do sends req and reads the response, timing it. keepBody keeps the body in w.body;
// wantStatus, when not zero, counts any other status as an error (a status of 400 or more is
// always one). Cookies the response sets are kept in form mode.
func (w *worker) do(req []byte, keepBody bool, wantStatus int) (int, error) {
	deadline := time.Now().Add(w.cfg.Timeout)
	_ = w.conn.SetDeadline(deadline)
	t0 := time.Now()
	if _, err := w.conn.Write(req); err != nil {
		return 0, fmt.Errorf("write: %w", err)
	}
	status, closeAfter, err := w.readResponse(keepBody)
	if err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	w.hist.record(time.Since(t0))
	w.requests++
	if status >= 400 || (wantStatus != 0 && status != wantStatus) {
		w.fail(false, "status %d, want %d", status, max(wantStatus, 200))
	}
	if closeAfter {
		w.conn.Close()
		w.conn = nil
	}
	return status, nil
}

var (
	hdrContentLength    = []byte("content-length:")
	hdrTransferEncoding = []byte("transfer-encoding:")
	hdrConnection       = []byte("connection:")
	hdrSetCookie        = []byte("set-cookie:")
)

// hasPrefixFold reports whether line starts with the lower-case prefix, ignoring case.
func hasPrefixFold(line, prefix []byte) bool {
	if len(line) < len(prefix) {
		return false
	}
	for i, c := range prefix {
		l := line[i]
		if 'A' <= l && l <= 'Z' {
			l += 'a' - 'A'
		}
		if l != c {
			return false
		}
	}
	return true
}

func (w *worker) readResponse(keepBody bool) (status int, closeAfter bool, err error) {
	line, err := w.br.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	length, chunked := -1, false
	for {
		line, err = w.br.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		if len(line) <= 2 {
			break
		}
		switch {
		case hasPrefixFold(line, hdrContentLength):
			length, err = strconv.Atoi(string(bytes.TrimSpace(line[len(hdrContentLength):])))
			if err != nil {
				return 0, false, fmt.Errorf("bad header %q", line)
			}
		case hasPrefixFold(line, hdrTransferEncoding):
			chunked = bytes.Contains(bytes.ToLower(line), []byte("chunked"))
		case hasPrefixFold(line, hdrConnection):
			closeAfter = bytes.Contains(bytes.ToLower(line), []byte("close"))
		case w.cfg.Form != nil && hasPrefixFold(line, hdrSetCookie):
			w.setCookie(line[len(hdrSetCookie):])
		}
	}
	w.body = w.body[:0]
	switch {
	case chunked:
		err = w.readChunked(keepBody)
	case length > 0:
		err = w.readBody(length, keepBody)
	case length < 0 && status >= 200 && status != 204 && status != 304:
		return status, true, errors.New("response without length on a keep-alive connection")
	}
	return status, closeAfter, err
}

func (w *worker) readBody(n int, keep bool) error {
	if !keep {
		_, err := w.br.Discard(n)
		return err
	}
	start := len(w.body)
	w.body = append(w.body, make([]byte, n)...)
	_, err := io.ReadFull(w.br, w.body[start:])
	return err
}

func (w *worker) readChunked(keep bool) error {
	for {
		line, err := w.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		sizeText := bytes.TrimSpace(line)
		if i := bytes.IndexByte(sizeText, ';'); i >= 0 {
			sizeText = sizeText[:i]
		}
		size, err := strconv.ParseInt(string(sizeText), 16, 64)
		if err != nil {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if size == 0 {
			for { // trailers, then the blank line
				line, err = w.br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(line) <= 2 {
					return nil
				}
			}
		}
		if err := w.readBody(int(size), keep); err != nil {
			return err
		}
		if _, err := w.br.Discard(2); err != nil {
			return err
		}
	}
}

// setCookie keeps the name and value of a Set-Cookie header, or forgets the cookie when the
// header deletes it.
func (w *worker) setCookie(v []byte) {
	v = bytes.TrimSpace(v)
	pair, attrs, _ := bytes.Cut(v, []byte(";"))
	name, value, ok := bytes.Cut(pair, []byte("="))
	if !ok {
		return
	}
	lower := bytes.ToLower(attrs)
	deleted := len(value) == 0 || bytes.Contains(lower, []byte("max-age=0")) || bytes.Contains(lower, []byte("max-age=-"))
	for i, c := range w.cookies {
		if c.name == string(name) {
			if deleted {
				w.cookies = append(w.cookies[:i], w.cookies[i+1:]...)
			} else if c.value != string(value) {
				w.cookies[i].value = string(value)
			}
			return
		}
	}
	if !deleted {
		w.cookies = append(w.cookies, cookie{string(name), string(value)})
	}
}
