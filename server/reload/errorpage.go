package reload

import (
	"bytes"
	"html/template"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
)

// problemPage is what the supervisor answers with while no child is serving: the output of
// the failed build, or how the last server ended and what it wrote last on standard error.
type problemPage struct {
	mu         sync.Mutex
	buildError string // go build's output; empty after a good build
	exit       string // how the last child ended, e.g. "exit status 2"; empty while one serves
	lastWords  string // the end of that child's standard error
}

func (p *problemPage) setBuildError(output string) {
	p.mu.Lock()
	p.buildError = output
	p.mu.Unlock()
}

func (p *problemPage) setExit(status, lastWords string) {
	p.mu.Lock()
	p.exit, p.lastWords = status, lastWords
	p.mu.Unlock()
}

var problemTemplate = template.Must(template.New("problem").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="NONE,NOARCHIVE">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.4 sans-serif; margin: 0; }
header { background: #ffc; border-bottom: 1px solid #ddd; padding: 10px 20px; }
h1 { font-weight: normal; margin: 0 0 8px; }
section { padding: 10px 20px; }
pre { background: #f6f6f6; border: 1px solid #ddd; padding: 10px; overflow: auto; white-space: pre-wrap; }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
<p>{{.Advice}}</p>
</header>
{{if .BuildError}}<section>
<h2>Build output</h2>
<pre>{{.BuildError}}</pre>
</section>
{{end}}{{if .Exit}}<section>
<h2>The server ended: {{.Exit}}</h2>
{{if .LastWords}}<pre>{{.LastWords}}</pre>
{{end}}</section>
{{end}}</body>
</html>
`))

// ServeHTTP answers every request with status 500 and the problem, escaped for HTML. The
// details go only to requests for a local host (see localHost); others are told to look at the
// terminal.
func (p *problemPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !localHost(r.Host) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "The development server is not running: see the terminal. (The details are shown only at a localhost or IP address.)", http.StatusInternalServerError)
		return
	}
	p.mu.Lock()
	data := struct{ Title, Advice, BuildError, Exit, LastWords string }{
		Title:      "The server exited",
		Advice:     "The development server is not running. Fix the problem and save a file: it restarts on its own.",
		BuildError: p.buildError,
		Exit:       p.exit,
		LastWords:  p.lastWords,
	}
	p.mu.Unlock()
	if data.BuildError != "" {
		data.Title = "Build failed"
		data.Advice = "The site could not be rebuilt. Fix the error and save the file: the server restarts on its own."
	}
	var body bytes.Buffer
	if err := problemTemplate.Execute(&body, data); err != nil {
		http.Error(w, "Build failed or the server exited; see the terminal.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(body.Bytes())
}

// tail keeps the last bytes written to it: the end of a child's standard error.
type tail struct {
	mu  sync.Mutex
	buf []byte
	max int
	cut bool // bytes were dropped from the front
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.cut = true
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.buf
	if t.cut { // start at a whole line
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// localHost reports whether a Host header names this machine as the developer reaches it: a
// loopback name (localhost or a name under .localhost) or an IP address. The problem page shows
// source lines and the server's last output; a name that another site controls could be
// pointed at 127.0.0.1 (DNS rebinding) to let that site's scripts read it, which Django's
// ALLOWED_HOSTS check prevents in debug mode.
func localHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	_, err := netip.ParseAddr(host)
	return err == nil
}
