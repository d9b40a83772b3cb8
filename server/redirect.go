package server

import (
	"net"
	"net/http"
	"strings"
)

// redirectHandler sends every plain-HTTP request to the same host, path and query over HTTPS.
type redirectHandler struct {
	status int
	port   string // the HTTPS port to write in the location, "" for 443
}

func (h redirectHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := hostOnly(r.Host)
	if host == "" || !plainHost(host) {
		http.Error(w, "400 Bad Request: the Host header is missing or not a host name, so there is no HTTPS address to redirect to", http.StatusBadRequest)
		return
	}
	var b strings.Builder
	path := r.URL.RequestURI()
	if path == "" || path[0] != '/' {
		path = "/" // OPTIONS * and absolute-form oddities
	}
	b.Grow(len("https://[]:") + len(host) + len(h.port) + len(path))
	b.WriteString("https://")
	if strings.IndexByte(host, ':') >= 0 {
		b.WriteByte('[')
		b.WriteString(host)
		b.WriteByte(']')
	} else {
		b.WriteString(host)
	}
	if h.port != "" {
		b.WriteByte(':')
		b.WriteString(h.port)
	}
	b.WriteString(path)
	w.Header()["Location"] = []string{b.String()}
	w.WriteHeader(h.status)
}

// hostOnly returns the host of a Host header, without port and IPv6 brackets.
func hostOnly(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	if len(hostport) > 1 && hostport[0] == '[' && hostport[len(hostport)-1] == ']' {
		return hostport[1 : len(hostport)-1]
	}
	return hostport
}

// plainHost reports whether host has only the characters of a DNS name or an IP address, so
// that a crafted Host header ("good@evil", "evil/x") cannot change where the redirect goes.
func plainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == ':', c == '_':
		default:
			return false
		}
	}
	return true
}

// altSvc announces HTTP/3 on responses to HTTPS requests over TCP.
type altSvc struct {
	value []string // shared, never appended to: its capacity equals its length
	next  http.Handler
}

func (a altSvc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil {
		w.Header()["Alt-Svc"] = a.value
	}
	a.next.ServeHTTP(w, r)
}
