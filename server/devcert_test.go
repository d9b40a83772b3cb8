package server

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("%s holds no PEM certificate", path)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func TestDevCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "certs")
	certFile, keyFile, err := DevCertificate(dir)
	if err != nil {
		t.Fatal(err)
	}
	if certFile != filepath.Join(dir, DevCertFile) || keyFile != filepath.Join(dir, DevKeyFile) {
		t.Errorf("paths %s, %s", certFile, keyFile)
	}
	cert := readCert(t, certFile)
	key, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", cert.PublicKey)
	}
	if len(cert.DNSNames) != 1 || cert.DNSNames[0] != "localhost" {
		t.Errorf("DNS names %v, want [localhost]", cert.DNSNames)
	}
	if len(cert.IPAddresses) != 2 || !cert.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) || !cert.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Errorf("IP addresses %v, want [127.0.0.1 ::1]", cert.IPAddresses)
	}
	if life := cert.NotAfter.Sub(time.Now()); life < 360*24*time.Hour || life > 366*24*time.Hour {
		t.Errorf("valid for %s more, want about a year", life)
	}
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
		t.Errorf("extended key usage %v, want server auth", cert.ExtKeyUsage)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil || !bytes.Equal(cert.RawIssuer, cert.RawSubject) {
		t.Errorf("not self-signed: %v", err)
	}
	for path, want := range map[string]os.FileMode{keyFile: 0o600, certFile: 0o644, dir: 0o700} {
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", path, info.Mode().Perm(), err, want)
		}
	}

	// The next start reuses the pair.
	before, _ := os.ReadFile(certFile)
	if _, _, err := DevCertificate(dir); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(certFile); !bytes.Equal(before, after) {
		t.Error("a valid certificate was replaced")
	}

	// A damaged key, or a certificate about to expire, is replaced.
	os.WriteFile(keyFile, []byte("garbage"), 0o600)
	if _, _, err := DevCertificate(dir); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(certFile); bytes.Equal(before, after) {
		t.Error("a certificate whose key is unreadable was kept")
	}
	old, oldKey, err := makeDevCertificate(time.Now().Add(-360 * 24 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certFile, old, 0o644)
	os.WriteFile(keyFile, oldKey, 0o600)
	if _, _, err := DevCertificate(dir); err != nil {
		t.Fatal(err)
	}
	if readCert(t, certFile).NotAfter.Before(time.Now().Add(300 * 24 * time.Hour)) {
		t.Error("a certificate expiring within a week was kept")
	}
}

// TestDevCertificateServes serves HTTPS with the development certificate and reaches it under
// every name it is made for, trusting only that certificate.
func TestDevCertificateServes(t *testing.T) {
	certFile, keyFile, err := DevCertificate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(readCert(t, certFile))
	addrs := []string{"127.0.0.1:0"}
	ipv6 := false
	if probe, err := net.Listen("tcp", "[::1]:0"); err == nil {
		probe.Close()
		addrs = append(addrs, "[::1]:0")
		ipv6 = true
	}
	s := start(t, echo(), Config{Addrs: addrs, CertFile: certFile, KeyFile: keyFile})
	v4 := port(t, s.Addrs()[0])
	urls := []string{fmt.Sprintf("https://127.0.0.1:%d/", v4)}
	resolver := map[string]string{}
	urls = append(urls, fmt.Sprintf("https://localhost:%d/", v4))
	resolver["localhost"] = "127.0.0.1"
	if ipv6 {
		urls = append(urls, fmt.Sprintf("https://[::1]:%d/", port(t, s.Addrs()[1])))
	}
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool},
		// "localhost" goes to 127.0.0.1 whatever /etc/hosts says.
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, p, _ := net.SplitHostPort(addr)
			if ip, ok := resolver[host]; ok {
				addr = net.JoinHostPort(ip, p)
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	client := &http.Client{Transport: transport}
	defer client.CloseIdleConnections()
	for _, url := range urls {
		resp, _ := get(t, client, url)
		if resp.StatusCode != http.StatusOK || resp.TLS == nil {
			t.Errorf("%s: %d", url, resp.StatusCode)
		}
	}
}
