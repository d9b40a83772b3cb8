package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// DefaultFile is the settings file [Load] reads when no other is named. It
// is optional: when it does not exist, Load goes on with the defaults.
const DefaultFile = "settings.toml"

// EnvPrefix starts the name of every environment variable that sets a
// setting: CANTER_DEBUG sets DEBUG.
const EnvPrefix = "CANTER_"

// FileVariable is the environment variable that names the settings file,
// for deployments that keep it outside the working directory.
const FileVariable = "CANTER_SETTINGS_FILE"

// Embedded is settings text carried by the program.
type Embedded struct {
	// Name labels the settings in problems, such as "settings.toml (embedded)".
	Name string
	// Data is TOML with Django's names, as in a settings file.
	Data []byte
}

// Options say where [Load] finds settings.
type Options struct {
	// File is the settings file. Empty means the file named by the
	// environment variable CANTER_SETTINGS_FILE, or else DefaultFile if it
	// exists. A file named here or by CANTER_SETTINGS_FILE must exist.
	File string
	// Env is the environment as os.Environ returns it ("NAME=value"). Nil
	// means no environment, which keeps tests hermetic; a program passes
	// os.Environ().
	Env []string
	// Embedded are settings in TOML, such as a settings file embedded in the
	// program with go:embed, applied after the defaults and before the file:
	// a binary carries its settings and a file on disk still overrides them.
	// The name labels problems ("settings.toml (embedded)").
	Embedded []Embedded
	// NoFile skips the settings file, for programs configured only by the
	// environment and code.
	NoFile bool
	// Defaults, when set, is the first layer instead of Defaults() — for a
	// face of Canter with defaults of its own (the Flask-style App keeps
	// sessions in a signed cookie). The file and environment still override it.
	Defaults *Settings
	// Override changes settings in code after the file and the environment,
	// in order. Validation runs after the last one.
	Override []func(*Settings)
}

// Load assembles the settings in layers, each overriding the one before:
//
//  1. [Defaults], Django's defaults;
//  2. the settings file, TOML with Django's names (DEBUG = true,
//     SESSION_COOKIE_AGE = 1209600, [DATABASES.default] ...);
//  3. environment variables CANTER_<NAME> (CANTER_SECRET_KEY=…,
//     CANTER_ALLOWED_HOSTS=example.com,.example.com, structured values as
//     JSON), so that secrets never need to be in the file;
//  4. the functions in opts.Override.
//
// Then it validates the result. A file key that is not a setting, a value
// of the wrong type, a malformed CANTER_ variable and every validation
// failure are reported together in one *[Error]; Load then returns nil
// settings. Environment variables with the prefix CANTER_ that name no
// setting (CANTER_ADDR, say) are left for others and ignored.
//
// In the environment, booleans are true/false, 1/0, yes/no or on/off;
// durations are whole seconds or Go durations ("336h"); lists are separated
// by commas, or written as a JSON array when an entry contains a comma (a
// list that starts with "[" is always read as JSON).
func Load(opts Options) (*Settings, error) {
	s := Defaults()
	if opts.Defaults != nil {
		s = opts.Defaults.Clone()
	}
	from := &provenance{origins: map[string]origin{}}
	env := prefixed(opts.Env)
	var problems []Problem
	failed := map[string]bool{} // paths already reported while decoding; validation keeps quiet about them

	file, named, namedBy := opts.File, opts.File != "", "code"
	if opts.NoFile {
		file, named = "", false
	} else if !named {
		if f := env[FileVariable]; f != "" {
			file, named, namedBy = f, true, envSource(FileVariable)
		} else {
			file = DefaultFile
		}
	}
	for _, e := range opts.Embedded {
		problems = append(problems, s.applyFile(e.Name, e.Data, from, failed)...)
	}
	data, err := os.ReadFile(file)
	if opts.NoFile {
		err = fs.ErrNotExist
	}
	switch {
	case err == nil:
		problems = append(problems, s.applyFile(file, data, from, failed)...)
	case errors.Is(err, fs.ErrNotExist):
		if named {
			problems = append(problems, Problem{
				Source:  namedBy,
				Message: fmt.Sprintf("the settings file %q does not exist", file),
				Fix:     "create it, or correct the path",
			})
		}
	default:
		problems = append(problems, Problem{
			Source:  namedBy,
			Message: fmt.Sprintf("the settings file %q cannot be read: %v", file, err),
			Fix:     "check its permissions",
		})
	}

	problems = append(problems, s.applyEnv(env, from, failed)...)

	for _, override := range opts.Override {
		override(s)
	}
	s.from = from
	for _, p := range s.check() {
		if !failedUnder(failed, p.Setting) {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		return nil, &Error{Problems: problems}
	}
	return s, nil
}

// applyFile decodes a TOML settings file over s.
func (s *Settings) applyFile(name string, data []byte, from *provenance, failed map[string]bool) []Problem {
	var raw map[string]any
	meta, err := toml.Decode(string(data), &raw)
	if err != nil {
		p := Problem{Source: name, Message: "is not valid TOML: " + err.Error(), Fix: "correct the syntax (see https://toml.io)"}
		var parseErr toml.ParseError
		if errors.As(err, &parseErr) {
			p.Source = fileSource(name, parseErr.Position.Line)
			p.Message = "invalid TOML: " + parseErr.Message
		}
		return []Problem{p}
	}
	from.file = name
	from.lines = keyLines(string(data))
	d := decoder{source: func(path string) string { return fileSource(name, lineOf(from.lines, path)) }}
	v := reflect.ValueOf(s).Elem()
	seen := map[string]bool{}
	for _, key := range meta.Keys() {
		top := key[0]
		if seen[top] {
			continue
		}
		seen[top] = true
		f, ok := lookupField(settingFields, top)
		if !ok {
			d.unknown(top, top, names(settingFields), settingHints[strings.ToUpper(top)])
			continue
		}
		if value, ok := d.decode(top, v.Field(f.index).Type(), raw[top]); ok {
			v.Field(f.index).Set(value)
			from.origins[top] = origin{file: true, value: deepCopy(value)}
		}
	}
	for _, p := range slices.Concat(d.failed, d.quiet) {
		failed[p] = true
	}
	return d.problems
}

// applyEnv sets every setting named by a CANTER_ variable in env.
func (s *Settings) applyEnv(env map[string]string, from *provenance, failed map[string]bool) []Problem {
	v := reflect.ValueOf(s).Elem()
	var problems []Problem
	for _, f := range settingFields {
		text, ok := env[EnvPrefix+f.name]
		if !ok {
			continue
		}
		source := envSource(EnvPrefix + f.name)
		d := decoder{source: func(string) string { return source }}
		if value, ok := d.fromEnv(f.name, v.Field(f.index).Type(), text); ok {
			v.Field(f.index).Set(value)
			from.origins[f.name] = origin{value: deepCopy(value)}
			for p := range failed {
				if under(p, f.name) {
					delete(failed, p) // the file's mistake no longer matters
				}
			}
		}
		for _, p := range slices.Concat(d.failed, d.quiet) {
			failed[p] = true
		}
		problems = append(problems, d.problems...)
	}
	return problems
}

// under reports whether path is prefix or lies inside it
// ("DATABASES.default.ENGINE" is under "DATABASES" and "DATABASES.default").
func under(path, prefix string) bool {
	rest, ok := strings.CutPrefix(path, prefix)
	return ok && (rest == "" || rest[0] == '.' || rest[0] == '[')
}

// failedUnder reports whether path is, or lies inside, a path that already
// had a problem while decoding.
func failedUnder(failed map[string]bool, path string) bool {
	for p := path; p != ""; p = parentPath(p) {
		if failed[p] {
			return true
		}
	}
	return false
}

// prefixed returns the variables of env that start with EnvPrefix; for a
// name given twice the last value wins, as in os/exec.
func prefixed(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(name, EnvPrefix) {
			m[name] = value
		}
	}
	return m
}

// provenance records where Load found each setting, so that problems
// found later can say "settings.toml:12" or "environment variable …".
type provenance struct {
	file    string            // the settings file, as named
	lines   map[string]int    // key paths in the file → line
	origins map[string]origin // setting name → the layer that set it last
}

// origin is the layer a loaded value came from and the value it set. If
// code later changes the setting, the value no longer matches and the
// source becomes "code".
type origin struct {
	file  bool // from the file; otherwise from the environment
	value reflect.Value
}

// sourceOf says where the value of the setting at path came from.
func (s *Settings) sourceOf(path string, defaults *Settings) string {
	name := path
	if i := strings.IndexAny(path, ".["); i >= 0 {
		name = path[:i]
	}
	f, ok := lookupField(settingFields, name)
	if !ok {
		return "code"
	}
	current := reflect.ValueOf(s).Elem().Field(f.index).Interface()
	if s.from != nil {
		if o, ok := s.from.origins[name]; ok && reflect.DeepEqual(o.value.Interface(), current) {
			if o.file {
				return fileSource(s.from.file, lineOf(s.from.lines, path))
			}
			return envSource(EnvPrefix + name)
		}
	}
	if reflect.DeepEqual(current, reflect.ValueOf(defaults).Elem().Field(f.index).Interface()) {
		return "default"
	}
	return "code"
}

func fileSource(name string, line int) string {
	if line <= 0 {
		return name
	}
	return name + ":" + strconv.Itoa(line)
}

func envSource(variable string) string { return "environment variable " + variable }
