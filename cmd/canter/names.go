package main

import (
	"fmt"
	"regexp"
	"strings"
)

// namePattern is what a project or app name may look like: a lowercase Go identifier, so that
// it works as a package name, a module path element, a directory and an app label alike.
var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

const stdReason = "is the name of a standard library package"

// reservedNames are names a project or app may not take, with the reason. Django refuses names
// that clash with an importable module; in Go the clashes are with the language, the standard
// library, the go command and Canter's own packages.
var reservedNames = func() map[string]string {
	m := map[string]string{}
	add := func(reason string, names string) {
		for _, n := range strings.Fields(names) {
			m[n] = reason
		}
	}
	add("is a Go keyword", `break case chan const continue default defer else fallthrough for
		func go goto if import interface map package range return select struct switch type var`)
	add("is a predeclared Go identifier", `any bool byte comparable complex64 complex128 error
		float32 float64 int int8 int16 int32 int64 rune string uint uint8 uint16 uint32 uint64
		uintptr true false iota nil append cap clear close complex copy delete imag len make max
		min new panic print println real recover`)
	// The last element of every standard library package path that a program may import
	// (go list std, without internal and vendor packages).
	add(stdReason, `adler32 aes ascii85 asn1 ast atomic
		base32 base64 big binary bits bufio build buildinfo bytes bzip2 cgi cgo cipher cmp cmplx
		color comment constant constraint context cookiejar coverage crc32 crc64 crypto
		cryptotest csv debug des doc draw driver dsa dwarf ecdh ecdsa ed25519 elf elliptic embed
		encoding errors exec expvar fcgi filepath fips140 flag flate fmt fnv format fs fstest gif
		gob gosym gzip hash heap hex hkdf hmac hpke html http httptest httptrace httputil image
		importer io iotest ioutil iter jpeg json jsonrpc list log lzw macho mail maphash maps
		math md5 metrics mime mlkem mlkemtest multipart net netip os palette parse parser path
		pbkdf2 pe pem pkix plan9obj plugin png pprof printer quick quotedprintable race rand rc4
		reflect regexp ring rpc rsa runtime scanner sha1 sha256 sha3 sha512 signal slices slog
		slogtest smtp sort sql strconv strings structs subtle suffixarray sync synctest syntax
		syscall syslog tabwriter tar template testing textproto time tls token trace types
		tzdata unicode unique unsafe url user utf16 utf8 version weak x509 xml zip zlib`)
	add("has a meaning for the go command", `main test testdata vendor internal cmd std all tool`)
	add("is the name of one of Canter's packages", `canter apps cantertest checks csrf handler
		management messages micro middleware server sessions settings signing staticfiles
		templates urls web`)
	return m
}()

// mainNames are the names the main package of a new project declares: an app of that name
// could not be imported there.
var mainNames = map[string]bool{"project": true, "urlpatterns": true, "home": true}

// validateName checks a project or app name (kind is "project" or "app") and says what is
// wrong and what would do instead.
func validateName(kind, name string) error {
	if name == "" {
		return fmt.Errorf("the %s name is empty; give a name such as %q", kind, example(kind))
	}
	if kind == "app" && mainNames[name] {
		return fmt.Errorf("%q is not a valid app name: the project's main package declares %s, so urls.go could not import the app by that name; choose another name", name, name)
	}
	if reason, ok := reservedNames[name]; ok {
		return fmt.Errorf("%q is not a valid %s name: it %s; choose another name, such as %q",
			name, kind, reason, "my"+name)
	}
	if strings.HasSuffix(name, "_test") {
		return fmt.Errorf("%q is not a valid %s name: Go reserves the suffix _test for test packages; choose another name", name, kind)
	}
	if !namePattern.MatchString(name) {
		msg := fmt.Sprintf("%q is not a valid %s name: use lowercase letters, digits and underscores, starting with a letter, as Go package names do", name, kind)
		if fixed := suggestName(name); fixed != "" && fixed != name {
			msg += fmt.Sprintf(" (such as %q)", fixed)
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

func example(kind string) string {
	if kind == "app" {
		return "polls"
	}
	return "mysite"
}

// suggestName turns a name into a valid one when that is easy: lowercase, with dashes, dots
// and spaces as underscores. It returns "" when the result would still be invalid.
func suggestName(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		case r == '-' || r == '.' || r == ' ':
			return '_'
		}
		return r
	}, name)
	if !namePattern.MatchString(s) || reservedNames[s] != "" || strings.HasSuffix(s, "_test") {
		return ""
	}
	return s
}

// modulePattern is a conservative module path: slash-separated elements of letters, digits
// and ._~- (what go.mod accepts without quoting), the first without a leading dot.
var modulePattern = regexp.MustCompile(`^[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9._~-]+)*$`)

// validateModule checks a module path given with --module.
func validateModule(path string) error {
	if !modulePattern.MatchString(path) {
		return fmt.Errorf("--module %q is not a valid module path: use slash-separated elements of letters, digits, dots, dashes and underscores, such as \"example.com/mysite\"", path)
	}
	for _, elem := range strings.Split(path, "/") {
		if elem == "." || elem == ".." || strings.HasSuffix(elem, ".") {
			return fmt.Errorf("--module %q is not a valid module path: the element %q is not allowed", path, elem)
		}
	}
	first, _, _ := strings.Cut(path, "/")
	if reservedNames[first] == stdReason || first == "std" || first == "cmd" {
		return fmt.Errorf("--module %q would clash with the standard library package %q; start it with a domain, such as \"example.com/%s\"", path, first, path)
	}
	return nil
}
