package staticfiles

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// ManifestVersion is the version of the manifests collectstatic writes: Django's current
// format, with the "hash" key. Version "1.0" manifests (written by Django before 4.2) are
// read too.
const ManifestVersion = "1.1"

// Manifest maps static names to their content-hashed names: the staticfiles.json that Django's
// ManifestStaticFilesStorage writes into STATIC_ROOT and reads to name files in production.
type Manifest struct {
	// Paths maps each static name ("css/site.css") to its hashed name
	// ("css/site.3f2a1b9c0d4e.css").
	Paths map[string]string
	// Version is the format version, "1.1" or "1.0".
	Version string
	// Hash identifies the whole set of files: the first 12 hex digits of the MD5 of the sorted
	// paths as Python's json.dumps writes them (Django's manifest_hash). Empty in a version 1.0
	// manifest.
	Hash string

	hashedOnce sync.Once
	hashed     map[string]struct{} // the values of Paths
}

// NewManifest returns the manifest of the given paths, with its hash computed as Django does.
func NewManifest(paths map[string]string) *Manifest {
	m := &Manifest{Paths: paths, Version: ManifestVersion}
	m.Hash = manifestHash(paths)
	return m
}

// ParseManifest reads a staticfiles.json, in Django's version 1.0 or 1.1 format.
func ParseManifest(data []byte) (*Manifest, error) {
	var raw struct {
		Paths   map[string]string `json:"paths"`
		Version string            `json:"version"`
		Hash    string            `json:"hash"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("staticfiles: couldn't load manifest %q: %v; run collectstatic to write it again", ManifestName, err)
	}
	if raw.Version != "1.0" && raw.Version != "1.1" {
		return nil, fmt.Errorf("staticfiles: couldn't load manifest %q (version %q; this program reads versions 1.0 and 1.1); run collectstatic to write it again", ManifestName, raw.Version)
	}
	if raw.Paths == nil {
		raw.Paths = map[string]string{}
	}
	return &Manifest{Paths: raw.Paths, Version: raw.Version, Hash: raw.Hash}, nil
}

// Lookup returns the hashed name of a static name.
func (m *Manifest) Lookup(name string) (string, bool) {
	h, ok := m.Paths[name]
	return h, ok
}

// IsHashed reports whether name is one of the hashed names of the manifest: a file whose name
// changes whenever its content does, which can therefore be cached forever.
func (m *Manifest) IsHashed(name string) bool {
	m.hashedOnce.Do(func() {
		m.hashed = make(map[string]struct{}, len(m.Paths))
		for _, h := range m.Paths {
			m.hashed[h] = struct{}{}
		}
	})
	_, ok := m.hashed[name]
	return ok
}

// MarshalJSON writes the manifest byte for byte as Django's json.dumps does:
// {"paths": {...}, "version": "1.1", "hash": "..."} with ", " and ": " separators and
// non-ASCII characters escaped, the paths sorted by name.
func (m *Manifest) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteString(`{"paths": {`)
	for i, k := range sortedKeys(m.Paths) {
		if i > 0 {
			b.WriteString(", ")
		}
		writePyString(&b, k)
		b.WriteString(": ")
		writePyString(&b, m.Paths[k])
	}
	b.WriteString(`}, "version": `)
	version := m.Version
	if version == "" {
		version = ManifestVersion
	}
	writePyString(&b, version)
	if version != "1.0" {
		b.WriteString(`, "hash": `)
		writePyString(&b, m.Hash)
	}
	b.WriteString("}")
	return []byte(b.String()), nil
}

// manifestHash is Django's manifest_hash: md5(json.dumps(sorted(paths.items())))[:12].
func manifestHash(paths map[string]string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, k := range sortedKeys(paths) {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('[')
		writePyString(&b, k)
		b.WriteString(", ")
		writePyString(&b, paths[k])
		b.WriteByte(']')
	}
	b.WriteByte(']')
	sum := md5.Sum([]byte(b.String()))
	return hex.EncodeToString(sum[:])[:12]
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // byte order of UTF-8 is code point order, as Python sorts str
	return keys
}

// writePyString writes s as a JSON string the way Python's json.dumps does with its default
// ensure_ascii: short escapes for \" \\ \n \r \t \b \f, \u00XX for other control characters
// and \uXXXX (surrogate pairs beyond the BMP) for every non-ASCII character.
func writePyString(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	u4 := func(r rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(hexDigits[(r>>shift)&0xf])
		}
	}
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			u4(r)
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r > 0xffff:
			r -= 0x10000
			u4(0xd800 + (r>>10)&0x3ff)
			u4(0xdc00 + r&0x3ff)
		default:
			u4(r)
		}
	}
	b.WriteByte('"')
}

// Manifest returns the manifest of the collected files: read from Config.Collected when set,
// else from STATIC_ROOT, once; until it exists, every call looks again, so that a manifest
// written by collectstatic after the program started is found.
func (f *Files) Manifest() (*Manifest, error) {
	if m := f.manifest.Load(); m != nil {
		return m, nil
	}
	f.manifestMu.Lock()
	defer f.manifestMu.Unlock()
	if m := f.manifest.Load(); m != nil {
		return m, nil
	}
	fsys, where, err := f.collected()
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, ManifestName)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("staticfiles: there is no manifest %s in %s; run collectstatic to collect the static files and write it (with DEBUG on, static files are served unhashed and need no manifest): %w", ManifestName, where, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("staticfiles: reading the manifest %s in %s: %w", ManifestName, where, err)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, err
	}
	f.manifest.Store(m)
	return m, nil
}

// collected returns the collected files: Config.Collected, or STATIC_ROOT opened as an
// os.Root (kept once it opens), and a description for messages.
func (f *Files) collected() (fs.FS, string, error) {
	if f.cfg.Collected != nil {
		return f.cfg.Collected, "the collected files compiled into the program", nil
	}
	if f.cfg.Root == "" {
		return nil, "", fmt.Errorf("staticfiles: %w: production serves and names static files from the collected files; set STATIC_ROOT and run collectstatic, or give the collected files in code (Config.Collected)", ErrNoRoot)
	}
	where := "STATIC_ROOT (" + f.cfg.Root + ")"
	f.rootMu.Lock()
	defer f.rootMu.Unlock()
	if f.root != nil {
		return f.root, where, nil
	}
	r, err := os.OpenRoot(f.cfg.Root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("staticfiles: %s does not exist; run collectstatic to collect the static files there: %w", where, fs.ErrNotExist)
		}
		return nil, "", fmt.Errorf("staticfiles: opening %s: %w", where, err)
	}
	f.root = r.FS()
	return f.root, where, nil
}

// URL returns the URL of a static file, as Django's static template tag does: STATIC_URL
// followed by the name with DEBUG on, and by the file's hashed name from the manifest
// otherwise. A query or fragment is kept ("fonts/x.eot?#iefix"). In production a name the
// manifest lacks is an error that names it (Django's "Missing staticfiles manifest entry"),
// since a page linking to it would break.
func (f *Files) URL(name string) (string, error) {
	p, suffix := splitSuffix(name)
	if strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("staticfiles: static file names are relative to STATIC_URL: write %q, not %q", strings.TrimLeft(p, "/")+suffix, name)
	}
	if f.cfg.Debug || strings.HasSuffix(p, "/") || p == "" {
		return f.cfg.URL + escapePath(p) + suffix, nil
	}
	m, err := f.Manifest()
	if err != nil {
		return "", err
	}
	hashed, ok := m.Lookup(p)
	if !ok {
		return "", fmt.Errorf("staticfiles: Missing staticfiles manifest entry for '%s': no static file of that name was collected; check the name, or add the file to an app's static files or STATICFILES_DIRS and run collectstatic again", p)
	}
	return f.cfg.URL + escapePath(hashed) + suffix, nil
}

// splitSuffix splits a name into its path and its query and fragment ("?…", "#…").
func splitSuffix(name string) (p, suffix string) {
	if i := strings.IndexAny(name, "?#"); i >= 0 {
		return name[:i], name[i:]
	}
	return name, ""
}

// escapePath percent-encodes what a URL path cannot hold as is, leaving "/" and the characters
// Django's filepath_to_uri leaves (~ ! * ( ) ').
func escapePath(p string) string {
	const safe = "-_.~!*()'/"
	needs := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !isAlnum(c) && !strings.ContainsRune(safe, rune(c)) {
			needs = true
			break
		}
	}
	if !needs {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isAlnum(c) || strings.ContainsRune(safe, rune(c)) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(c)>>4, 16)))
		b.WriteString(strings.ToUpper(strconv.FormatUint(uint64(c)&0xf, 16)))
	}
	return b.String()
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
