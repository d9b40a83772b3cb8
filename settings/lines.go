package settings

import (
	"strconv"
	"strings"
)

// keyLines maps every key path defined in a TOML document to the line
// (counting from 1) where it first appears, so that problems can point at
// "settings.toml:12". Paths use the notation of [Problem.Setting]: "DEBUG",
// "DATABASES.default.ENGINE", "TEMPLATES[0].BACKEND"; a table header also
// records its parents ("[DATABASES.default]" records "DATABASES").
//
// The TOML decoder does not expose key positions, so this is a light scan
// of its own, used for positions only: values always come from the decoder.
// Keys inside inline tables are attributed to the enclosing key.
func keyLines(src string) map[string]int {
	sc := lineScanner{lines: map[string]int{}, arrays: map[string]int{}}
	for i, line := range strings.Split(src, "\n") {
		sc.line(i+1, line)
	}
	return sc.lines
}

// lineOf finds the line of path, or of its nearest recorded parent; zero
// means unknown.
func lineOf(lines map[string]int, path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if n, ok := lines[p]; ok {
			return n
		}
	}
	return 0
}

// parentPath strips the last ".key" or "[i]" from path.
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

type lineScanner struct {
	lines     map[string]int
	arrays    map[string]int // how many [[path]] headers have been seen
	prefix    string         // the current table's path
	depth     int            // arrays and inline tables still open
	multiline string         // the delimiter of an open multi-line string
}

func (sc *lineScanner) line(n int, line string) {
	if sc.multiline != "" {
		end := strings.Index(line, sc.multiline)
		if end < 0 {
			return
		}
		line = line[end+len(sc.multiline):]
		sc.multiline = ""
		sc.skipValue(line)
		return
	}
	if sc.depth > 0 {
		sc.skipValue(line)
		return
	}
	t := strings.TrimSpace(line)
	switch {
	case t == "" || t[0] == '#':
	case strings.HasPrefix(t, "[["):
		keys, _ := splitKeys(t[2:], ']')
		path := sc.tablePath(keys, true)
		sc.prefix = path
		sc.record(n, path)
	case t[0] == '[':
		keys, _ := splitKeys(t[1:], ']')
		sc.prefix = sc.tablePath(keys, false)
		sc.record(n, sc.prefix)
	default:
		keys, rest := splitKeys(t, '=')
		if len(keys) == 0 {
			return
		}
		path := joinPath(sc.prefix, keys)
		sc.record(n, path)
		sc.skipValue(rest)
	}
}

// tablePath resolves a table header to a path, giving each array of tables
// on the way its current index. A [[header]] starts a new element.
func (sc *lineScanner) tablePath(keys []string, newElement bool) string {
	path := ""
	for i, k := range keys {
		path = joinPath(path, []string{k})
		if i == len(keys)-1 && newElement {
			count := sc.arrays[path]
			sc.arrays[path] = count + 1
			path += "[" + strconv.Itoa(count) + "]"
		} else if count := sc.arrays[path]; count > 0 {
			path += "[" + strconv.Itoa(count-1) + "]"
		}
	}
	return path
}

// record notes line n for path and for every parent not seen before.
func (sc *lineScanner) record(n int, path string) {
	for p := path; p != ""; p = parentPath(p) {
		if _, ok := sc.lines[p]; !ok {
			sc.lines[p] = n
		}
	}
}

// skipValue follows strings, comments and brackets through a value so that
// the next line is read in the right state.
func (sc *lineScanner) skipValue(s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '#':
			return
		case '[', '{':
			sc.depth++
		case ']', '}':
			if sc.depth > 0 {
				sc.depth--
			}
		case '"', '\'':
			delim := string(c)
			if strings.HasPrefix(s[i:], strings.Repeat(delim, 3)) {
				delim = strings.Repeat(delim, 3)
			}
			end := closingQuote(s[i+len(delim):], delim)
			if end < 0 {
				if len(delim) == 3 {
					sc.multiline = delim
				}
				return
			}
			i += len(delim) + end + len(delim) - 1
		}
	}
}

// closingQuote finds delim in s, skipping backslash escapes in basic strings.
func closingQuote(s, delim string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && delim[0] == '"' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], delim) {
			return i
		}
	}
	return -1
}

// splitKeys reads a dotted key up to stop (outside quotes) and returns its
// parts, unquoted, and the text after stop. It returns no keys when stop is
// missing.
func splitKeys(s string, stop byte) (keys []string, rest string) {
	var part strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case stop:
			keys = append(keys, strings.TrimSpace(part.String()))
			return keys, s[i+1:]
		case '.':
			keys = append(keys, strings.TrimSpace(part.String()))
			part.Reset()
		case '"', '\'':
			end := closingQuote(s[i+1:], string(c))
			if end < 0 {
				return nil, ""
			}
			quoted := s[i : i+1+end+1]
			if c == '"' {
				if u, err := strconv.Unquote(quoted); err == nil {
					quoted = u
				}
			} else {
				quoted = quoted[1 : len(quoted)-1]
			}
			part.WriteString(quoted)
			i += end + 1
		default:
			part.WriteByte(c)
		}
	}
	return nil, ""
}

// joinPath appends dotted keys to a path.
func joinPath(prefix string, keys []string) string {
	for _, k := range keys {
		if prefix == "" {
			prefix = k
		} else {
			prefix += "." + k
		}
	}
	return prefix
}
