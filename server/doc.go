// Package server runs an http.Handler in production: HTTP/1.1 and HTTP/2 over TLS, optional
// HTTP/3, h2c behind a proxy, a plain-HTTP listener that redirects to HTTPS, automatic
// certificates with ACME, Unix sockets, FastCGI, timeouts that stop slow clients, and a
// graceful stop that lets requests in flight finish. It is what gunicorn is to Django: the
// management command "serve" calls it, and a small program can call it directly.
//
// Everything is described by a Config whose zero value is usable; each field documents its
// default. Run serves until a context is cancelled; ListenAndServe also wires SIGINT and
// SIGTERM; New, Start and Shutdown give control to tests and to programs that serve
// something else too.
//
//	err := server.ListenAndServe(site, server.Config{Addrs: []string{":8000"}})
//
// # Stopping
//
// The first SIGTERM or SIGINT (or the cancellation of Run's context) closes the listeners, so
// new connections are refused and a load balancer moves on, closes idle keep-alive
// connections, sends GOAWAY to HTTP/2 and HTTP/3 clients, and waits up to
// Config.ShutdownTimeout (30s) for requests in flight. Then it closes Config.Closers (session
// stores, database pools) and returns nil, so the program exits 0. A second signal stops at
// once and returns an error. Set the process manager's stop timeout (systemd's
// TimeoutStopSec, Kubernetes' terminationGracePeriodSeconds) above ShutdownTimeout.
//
// # TLS directly
//
// Give the certificate chain and key files (what certbot calls fullchain.pem and
// privkey.pem). TLS 1.2 is the minimum; cipher suites and key exchange are Go's defaults
// (X25519 and the post-quantum X25519MLKEM768 first, forward secrecy only), session tickets
// are on, and clients that offer h2 get HTTP/2.
//
//	server.Config{
//		Addrs:        []string{":443", "[::]:443"},
//		CertFile:     "/etc/letsencrypt/live/example.com/fullchain.pem",
//		KeyFile:      "/etc/letsencrypt/live/example.com/privkey.pem",
//		RedirectAddr: ":80", // http://example.com/x → 308 → https://example.com/x
//		HTTP3:        true,  // UDP 443 too; announced by Alt-Svc: h3=":443"
//	}
//
// The files are read when the server starts: restart it after a renewal, or use ACME. The
// redirect listener keeps host, path and query and writes the HTTPS port when it is not 443;
// set PublicPort when the port clients see differs from the one bound (a container mapping
// 443 onto 8443). HSTS is the security middleware's job (SECURE_HSTS_SECONDS), not this
// package's: it is sent on HTTPS responses only, as it must be.
//
// # Automatic certificates (ACME)
//
// With Config.ACME the server obtains certificates from Let's Encrypt (or another ACME CA) on
// the first handshake for each host name and renews them before they expire. The CA checks
// that the server owns a name by connecting to it on port 443 (TLS-ALPN-01) or port 80
// (HTTP-01, answered by the redirect listener), so both should be reachable from the internet:
//
//	server.Config{
//		Addrs:        []string{":443"},
//		RedirectAddr: ":80",
//		ACME: &server.ACME{
//			Hosts:    []string{"example.com", "www.example.com"},
//			CacheDir: "/var/lib/mysite/acme", // keep it: it holds the account and certificates
//			Email:    "ops@example.com",
//		},
//	}
//
// Binding ports below 1024 needs root or the capability: run the binary with
// AmbientCapabilities=CAP_NET_BIND_SERVICE under systemd, or `setcap cap_net_bind_service=+ep`.
//
// # Behind nginx, Caddy or a load balancer
//
// Let the proxy terminate TLS and serve plain HTTP on loopback or a Unix socket. Tell the site
// (web.Site, from the settings) which proxy headers to believe, or every request looks like
// plain HTTP from the proxy's address: SecureProxyHeader {"X-Forwarded-Proto", "https"}
// (Django's SECURE_PROXY_SSL_HEADER), UseXForwardedHost and UseXForwardedPort when the proxy
// sets those headers, and TrustedProxies with the proxy's address for the client's IP. Only
// do so when the proxy overwrites those headers: otherwise clients can forge them.
//
//	server.Config{Addrs: []string{"unix:/run/mysite/app.sock"}, SocketMode: 0o660}
//
// with, in nginx:
//
//	upstream mysite { server unix:/run/mysite/app.sock; keepalive 32; }
//	server {
//	    listen 443 ssl;
//	    http2 on;
//	    location / {
//	        proxy_pass http://mysite;
//	        proxy_http_version 1.1;
//	        proxy_set_header Connection "";
//	        proxy_set_header Host $host;
//	        proxy_set_header X-Forwarded-Proto $scheme;
//	        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
//	    }
//	}
//
// A proxy that speaks HTTP/2 to its upstreams in clear text (Envoy, some load balancers)
// needs Config.H2C. The timeouts still apply behind a proxy; keep the proxy's upstream
// timeouts (proxy_read_timeout) at or below WriteTimeout.
//
// # FastCGI
//
// Config.FastCGI serves the FastCGI protocol instead of HTTP, for web servers configured with
// fastcgi_pass (nginx) or mod_proxy_fcgi (Apache). The web server handles TLS and timeouts and
// says that a request was secure with the HTTPS parameter (nginx's fastcgi_params sets it from
// $https), which makes r.TLS non-nil.
//
// # Development
//
// DevCertificate makes a self-signed certificate for localhost, 127.0.0.1 and ::1 once and
// reuses it, so that a browser exception survives restarts:
//
//	certFile, keyFile, err := server.DevCertificate(".canter/tls")
//
// # Limits
//
// ReadHeaderTimeout (5s) closes connections that send headers too slowly (slowloris);
// ReadTimeout (30s), WriteTimeout (60s) and IdleTimeout (120s) bound the rest. Request headers
// above MaxHeaderBytes (1 MiB) get 431 Request Header Fields Too Large. A view that streams
// longer than WriteTimeout (server-sent events) extends its own deadline with
// http.NewResponseController(w).SetWriteDeadline.
package server
