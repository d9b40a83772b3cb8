package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Names of the files DevCertificate keeps in its directory.
const (
	DevCertFile = "dev-cert.pem"
	DevKeyFile  = "dev-key.pem"
)

// devCertLifetime is how long a development certificate is valid; it is made anew when less
// than devCertMargin is left.
const (
	devCertLifetime = 365 * 24 * time.Hour
	devCertMargin   = 7 * 24 * time.Hour
)

// devNames returns the names a development certificate is valid for.
func devNames() (dnsNames []string, ips []net.IP) {
	return []string{"localhost"}, []net.IP{net.IPv4(127, 0, 0, 1).To4(), net.IPv6loopback}
}

// DevCertificate returns the paths of a self-signed certificate and its key for serving HTTPS
// in development, valid for localhost, 127.0.0.1 and ::1 (ECDSA P-256, one year). It makes them
// in dir (created with mode 0700) on the first call and reuses them afterwards, so a browser
// exception or a trust-store entry made once keeps working across restarts; it makes new ones
// when they are unreadable, expire within a week, or miss one of those names.
//
// It is Flask's ssl_context="adhoc" made durable. Browsers warn about the certificate until it
// is trusted; never use it in production (use Config.ACME or a real certificate there).
func DevCertificate(dir string) (certFile, keyFile string, err error) {
	certFile = filepath.Join(dir, DevCertFile)
	keyFile = filepath.Join(dir, DevKeyFile)
	if devCertUsable(certFile, keyFile, time.Now()) {
		return certFile, keyFile, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("server: cannot make the directory for the development certificate: %w", err)
	}
	certPEM, keyPEM, err := makeDevCertificate(time.Now())
	if err != nil {
		return "", "", fmt.Errorf("server: cannot make a development certificate: %w", err)
	}
	// Key first: a reader that finds the new certificate finds its key too.
	if err := writeFileAtomic(keyFile, keyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("server: cannot write the development key: %w", err)
	}
	if err := writeFileAtomic(certFile, certPEM, 0o644); err != nil {
		return "", "", fmt.Errorf("server: cannot write the development certificate: %w", err)
	}
	return certFile, keyFile, nil
}

// devCertUsable reports whether the pair on disk loads, matches, covers every development
// name and stays valid for at least devCertMargin.
func devCertUsable(certFile, keyFile string, now time.Time) bool {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return false
	}
	cert := pair.Leaf
	if cert == nil {
		return false
	}
	if now.Before(cert.NotBefore) || now.Add(devCertMargin).After(cert.NotAfter) {
		return false
	}
	dnsNames, ips := devNames()
	for _, name := range dnsNames {
		if !slices.Contains(cert.DNSNames, name) {
			return false
		}
	}
	for _, ip := range ips {
		if !slices.ContainsFunc(cert.IPAddresses, ip.Equal) {
			return false
		}
	}
	return true
}

// makeDevCertificate makes a self-signed ECDSA P-256 certificate for the development names.
func makeDevCertificate(now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	host, _ := os.Hostname()
	dnsNames, ips := devNames()
	template := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			Organization:       []string{"Canter development certificate"},
			OrganizationalUnit: []string{host},
			CommonName:         "localhost",
		},
		NotBefore:             now.Add(-time.Hour), // tolerate a clock a little behind
		NotAfter:              now.Add(devCertLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              dnsNames,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames it into place, so
// that a server starting meanwhile never reads half a file.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr, os.Chmod(name, mode)); err != nil {
		os.Remove(name)
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return nil
}
