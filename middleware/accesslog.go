package middleware

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/canter-go/canter/web"
)

// AccessLogConfig configures AccessLog.
type AccessLogConfig struct {
	// Logger receives the lines (default: slog.Default() at the time of each line).
	Logger *slog.Logger
	// Level is the level of the lines (default slog.LevelInfo).
	Level slog.Level
	// Message is the message of every line (default "request").
	Message string
}

type accessLog struct {
	logger  *slog.Logger
	level   slog.Level
	message string
}

// AccessLog returns a middleware that logs one line per request through log/slog, with the
// attributes method, path (without the query, which may hold secrets), status, duration,
// bytes (the body's size, when known) and request_id (when RequestIDs ran). The gateway already
// logs failed requests; this is the optional access log. Put it first in the list to time
// every layer.
//
// The line is written when the response is complete: for a non-streaming body when the
// response leaves this layer, for a stream or an http.Handler when it has been sent, so that
// duration and bytes cover the whole transfer.
func AccessLog(cfg AccessLogConfig) (web.Middleware, error) {
	a := &accessLog{logger: cfg.Logger, level: cfg.Level, message: cfg.Message}
	if a.message == "" {
		a.message = "request"
	}
	return a, nil
}

// Wrap implements web.Middleware.
func (a *accessLog) Wrap(next web.View) web.View {
	return func(r *web.Request) (*web.Response, error) {
		start := time.Now()
		resp, err := next(r)
		logger := a.logger
		if logger == nil {
			logger = slog.Default()
		}
		ctx := r.Context()
		if !logger.Enabled(ctx, a.level) {
			return resp, err
		}
		switch {
		case err != nil:
			a.log(ctx, logger, r, web.StatusOf(err), -1, start)
		case resp.Stream != nil:
			stream, status := resp.Stream, resp.StatusCode()
			resp.Stream = func(w io.Writer) error {
				cw := &countWriter{w: w}
				err := stream(cw)
				a.log(ctx, logger, r, status, cw.n, start)
				return err
			}
		case resp.Handler != nil:
			h := resp.Handler
			resp.Handler = http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
				cw := &countResponseWriter{ResponseWriter: w}
				h.ServeHTTP(cw, hr)
				status := cw.status
				if (status == 0 || status == http.StatusOK) && resp.Status != 0 {
					status = resp.Status // web.Response.Write turns the handler's 200 into it
				} else if status == 0 {
					status = http.StatusOK
				}
				a.log(ctx, logger, r, status, cw.n, start)
			})
		default:
			a.log(ctx, logger, r, resp.StatusCode(), int64(len(resp.Body)), start)
		}
		return resp, err
	}
}

// log writes one line; bytes < 0 means unknown.
func (a *accessLog) log(ctx context.Context, logger *slog.Logger, r *web.Request, status int, bytes int64, start time.Time) {
	var attrs [6]slog.Attr
	list := append(attrs[:0],
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
	)
	if bytes >= 0 {
		list = append(list, slog.Int64("bytes", bytes))
	}
	if id := RequestID(r); id != "" {
		list = append(list, slog.String("request_id", id))
	}
	logger.LogAttrs(ctx, a.level, a.message, list...)
}

// countWriter counts the bytes a stream writes and passes flushes on.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Flush passes a stream's flush on to the client.
func (c *countWriter) Flush() { web.Flush(c.w) }

// countResponseWriter records the status and counts the body an http.Handler writes.
type countResponseWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (c *countResponseWriter) WriteHeader(code int) {
	if c.status == 0 && code >= 200 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *countResponseWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadFrom keeps the underlying writer's fast path (sendfile for files) while counting.
func (c *countResponseWriter) ReadFrom(src io.Reader) (int64, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	var n int64
	var err error
	if rf, ok := c.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(struct{ io.Writer }{c.ResponseWriter}, src)
	}
	c.n += n
	return n, err
}

// Flush passes a flush on to the client.
func (c *countResponseWriter) Flush() { web.Flush(c.ResponseWriter) }

// Unwrap returns the underlying writer, for http.ResponseController.
func (c *countResponseWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
