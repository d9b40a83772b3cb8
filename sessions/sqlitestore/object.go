package sqlitestore

import (
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// maxDepth is the deepest nesting decodeObject accepts, as encoding/json.
const maxDepth = 10000

var errNotObject = errors.New("session data is not a JSON object")

// decodeObject splits the JSON object data into its members, as json.Unmarshal into a
// map[string]json.RawMessage does, with one scan and one copy of data that the values share
// (each capped, so appending to one cannot change another). data itself is not kept.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	i := skipSpace(data, 0)
	if i+4 <= len(data) && string(data[i:i+4]) == "null" && skipSpace(data, i+4) == len(data) {
		return make(map[string]json.RawMessage), nil
	}
	if i == len(data) || data[i] != '{' {
		return nil, errNotObject
	}
	buf := append([]byte(nil), data...)
	values := make(map[string]json.RawMessage, 8)
	i = skipSpace(buf, i+1)
	if i < len(buf) && buf[i] == '}' {
		return values, trailing(buf, i+1)
	}
	for {
		if i == len(buf) || buf[i] != '"' {
			return nil, syntaxError(buf, i, "a member name")
		}
		end, plain, err := scanString(buf, i)
		if err != nil {
			return nil, err
		}
		var key string
		if plain {
			key = string(buf[i+1 : end-1])
		} else if err := json.Unmarshal(buf[i:end], &key); err != nil {
			return nil, err
		}
		i = skipSpace(buf, end)
		if i == len(buf) || buf[i] != ':' {
			return nil, syntaxError(buf, i, `":"`)
		}
		i = skipSpace(buf, i+1)
		start := i
		if i, err = scanValue(buf, i, 1); err != nil {
			return nil, err
		}
		values[key] = json.RawMessage(buf[start:i:i])
		i = skipSpace(buf, i)
		if i == len(buf) {
			return nil, syntaxError(buf, i, `"," or "}"`)
		}
		switch buf[i] {
		case ',':
			i = skipSpace(buf, i+1)
		case '}':
			return values, trailing(buf, i+1)
		default:
			return nil, syntaxError(buf, i, `"," or "}"`)
		}
	}
}

func trailing(data []byte, i int) error {
	if i = skipSpace(data, i); i != len(data) {
		return syntaxError(data, i, "the end")
	}
	return nil
}

func syntaxError(data []byte, i int, want string) error {
	if i >= len(data) {
		return fmt.Errorf("session data: unexpected end of JSON, want %s", want)
	}
	return fmt.Errorf("session data: invalid character %q at offset %d, want %s", data[i], i, want)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString checks the JSON string that starts at data[i] (a quote) and returns the index
// after its closing quote. plain reports that it has no escapes and is valid UTF-8, so its
// bytes are its value.
func scanString(data []byte, i int) (end int, plain bool, err error) {
	plain = true
	ascii := true
	for i++; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '"':
			if !ascii && plain {
				plain = utf8.Valid(data[:i])
			}
			return i + 1, plain, nil
		case c == '\\':
			plain = false
			i++
			if i == len(data) {
				return 0, false, syntaxError(data, i, "an escape")
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(data) {
					return 0, false, syntaxError(data, len(data), "4 hexadecimal digits")
				}
				for _, h := range data[i+1 : i+5] {
					if !isHex(h) {
						return 0, false, syntaxError(data, i, "4 hexadecimal digits")
					}
				}
				i += 4
			default:
				return 0, false, syntaxError(data, i, "an escape")
			}
		case c < 0x20:
			return 0, false, syntaxError(data, i, "a character of a string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return 0, false, syntaxError(data, i, `a closing '"'`)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanValue checks the JSON value that starts at data[i] and returns the index after it.
func scanValue(data []byte, i, depth int) (int, error) {
	if i == len(data) {
		return 0, syntaxError(data, i, "a value")
	}
	switch c := data[i]; {
	case c == '"':
		end, _, err := scanString(data, i)
		return end, err
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return 0, errors.New("session data: JSON nested too deeply")
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == closing {
			return i + 1, nil
		}
		for {
			if c == '{' {
				if i == len(data) || data[i] != '"' {
					return 0, syntaxError(data, i, "a member name")
				}
				end, _, err := scanString(data, i)
				if err != nil {
					return 0, err
				}
				i = skipSpace(data, end)
				if i == len(data) || data[i] != ':' {
					return 0, syntaxError(data, i, `":"`)
				}
				i = skipSpace(data, i+1)
			}
			var err error
			if i, err = scanValue(data, i, depth+1); err != nil {
				return 0, err
			}
			i = skipSpace(data, i)
			if i == len(data) {
				return 0, syntaxError(data, i, "a separator")
			}
			if data[i] == closing {
				return i + 1, nil
			}
			if data[i] != ',' {
				return 0, syntaxError(data, i, "a separator")
			}
			i = skipSpace(data, i+1)
		}
	case c == '-' || '0' <= c && c <= '9':
		return scanNumber(data, i)
	case c == 't':
		return literal(data, i, "true")
	case c == 'f':
		return literal(data, i, "false")
	case c == 'n':
		return literal(data, i, "null")
	}
	return 0, syntaxError(data, i, "a value")
}

func literal(data []byte, i int, word string) (int, error) {
	if len(data)-i < len(word) || string(data[i:i+len(word)]) != word {
		return 0, syntaxError(data, i, word)
	}
	return i + len(word), nil
}

// scanNumber checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at data[i].
func scanNumber(data []byte, i int) (int, error) {
	if data[i] == '-' {
		i++
	}
	digits := func() bool {
		start := i
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
		}
		return i > start
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case !digits():
		return 0, syntaxError(data, i, "a digit")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !digits() {
			return 0, syntaxError(data, i, "a digit")
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !digits() {
			return 0, syntaxError(data, i, "a digit")
		}
	}
	return i, nil
}
