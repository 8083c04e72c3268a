package impex

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// The lexer of import lines. It is a parser of hostile input, so it is
// strict: it accepts exactly RFC 8259 JSON (invalid UTF-8 in strings, raw
// control characters, bad escapes and nesting deeper than maxDepth are
// refused), indexes only within bounds and never panics (FuzzParseLine).
// It works on the line's bytes in place; a string is copied out only when a
// field needs it.

// maxDepth bounds the nesting of ignored values.
const maxDepth = 64

// syntaxError is a JSON syntax error at a byte offset of the line.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.off+1, e.msg)
}

func synErr(off int, msg string) error { return &syntaxError{off, msg} }

// Byte classes inside a string: 0 plain ASCII, then the bytes that end the
// fast loop.
const (
	strPlain uint8 = iota
	strQuote
	strEscape
	strControl
	strHigh
)

var strClass = func() (t [256]uint8) {
	for c := range 0x20 {
		t[c] = strControl
	}
	t['"'], t['\\'] = strQuote, strEscape
	for c := 0x80; c < 0x100; c++ {
		t[c] = strHigh
	}
	return t
}()

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// scanString reads the string whose opening quote is b[i]. It returns the
// raw content between the quotes, the index after the closing quote, and
// whether the content holds escapes (then it must be unquoted).
func scanString(b []byte, i int) (raw []byte, next int, escaped bool, err error) {
	start, high := i+1, false
	for j := start; j < len(b); {
		switch strClass[b[j]] {
		case strPlain:
			j++
		case strQuote:
			if high && !utf8.Valid(b[start:j]) {
				return nil, 0, false, synErr(start, "invalid UTF-8 in a string")
			}
			return b[start:j], j + 1, escaped, nil
		case strEscape:
			n := escapeLen(b, j)
			if n == 0 {
				return nil, 0, false, synErr(j, "invalid escape in a string")
			}
			escaped, j = true, j+n
		case strControl:
			return nil, 0, false, synErr(j, "control character in a string")
		default:
			high, j = true, j+1
		}
	}
	return nil, 0, false, synErr(len(b), "unterminated string")
}

// escapeLen returns the length of the valid escape at b[j] == '\\', or 0.
func escapeLen(b []byte, j int) int {
	if j+1 >= len(b) {
		return 0
	}
	switch b[j+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if j+6 > len(b) {
			return 0
		}
		for _, c := range b[j+2 : j+6] {
			if !isHex(c) {
				return 0
			}
		}
		return 6
	}
	return 0
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// unquote decodes an escaped string's content exactly as encoding/json does
// (surrogate pairs, lone surrogates become U+FFFD). The slow path: escapes
// are rare in import files.
func unquote(raw []byte) (string, bool) {
	q := make([]byte, 0, len(raw)+2)
	q = append(append(append(q, '"'), raw...), '"')
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return "", false
	}
	return s, true
}

// stringAt reads a string value at b[i] and returns it unquoted.
func stringAt(b []byte, i int) (s string, next int, err error) {
	raw, next, esc, err := scanString(b, i)
	if err != nil {
		return "", 0, err
	}
	if !esc {
		return string(raw), next, nil
	}
	s, ok := unquote(raw)
	if !ok {
		return "", 0, synErr(i, "invalid string")
	}
	return s, next, nil
}

// numberEnd returns the end of the number-like token at b[i]; whether the
// token is a valid JSON number is for the caller (oci.ParseQty or
// validNumber) to decide.
func numberEnd(b []byte, i int) int {
	for i < len(b) {
		switch c := b[i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			i++
		default:
			return i
		}
	}
	return i
}

// validNumber reports whether tok is a JSON number.
func validNumber(tok []byte) bool {
	i := 0
	if i < len(tok) && tok[i] == '-' {
		i++
	}
	switch {
	case i < len(tok) && tok[i] == '0':
		i++
	case i < len(tok) && tok[i] >= '1' && tok[i] <= '9':
		i = digitsEnd(tok, i)
	default:
		return false
	}
	if i < len(tok) && tok[i] == '.' {
		j := digitsEnd(tok, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(tok) && (tok[i] == 'e' || tok[i] == 'E') {
		i++
		if i < len(tok) && (tok[i] == '+' || tok[i] == '-') {
			i++
		}
		j := digitsEnd(tok, i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(tok)
}

func digitsEnd(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// literalAt checks the literal lit (true, false, null) at b[i].
func literalAt(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, synErr(i, "invalid literal")
	}
	return i + len(lit), nil
}

// skipValue validates the value at b[i] (after whitespace) and returns the
// index after it.
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, synErr(i, "a value is missing")
	}
	switch c := b[i]; {
	case c == '"':
		_, next, _, err := scanString(b, i)
		return next, err
	case c == '{' || c == '[':
		if depth >= maxDepth {
			return 0, synErr(i, "nested too deeply")
		}
		if c == '{' {
			return skipObject(b, i, depth+1)
		}
		return skipArray(b, i, depth+1)
	case c == 't':
		return literalAt(b, i, "true")
	case c == 'f':
		return literalAt(b, i, "false")
	case c == 'n':
		return literalAt(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		end := numberEnd(b, i)
		if !validNumber(b[i:end]) {
			return 0, synErr(i, "invalid number")
		}
		return end, nil
	}
	return 0, synErr(i, "unexpected character")
}

func skipObject(b []byte, i, depth int) (int, error) {
	return eachMember(b, i, func(_ []byte, _ bool, j int) (int, error) {
		return skipValue(b, j, depth)
	})
}

func skipArray(b []byte, i, depth int) (int, error) {
	return eachElement(b, i, func(j int) (int, error) { return skipValue(b, j, depth) })
}

// eachMember walks the object whose '{' is b[i], calling fn with each key's
// raw content (escaped says it must be unquoted) and the index of its value
// (after whitespace, always within b); fn returns the index after the value. eachMember
// returns the index after the closing '}'.
func eachMember(b []byte, i int, fn func(key []byte, escaped bool, at int) (int, error)) (int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, synErr(i, "a field name is expected")
		}
		key, next, esc, err := scanString(b, i)
		if err != nil {
			return 0, err
		}
		i = skipWS(b, next)
		if i >= len(b) || b[i] != ':' {
			return 0, synErr(i, "':' is expected after a field name")
		}
		if i = skipWS(b, i+1); i >= len(b) {
			return 0, synErr(i, "a value is missing")
		}
		if i, err = fn(key, esc, i); err != nil {
			return 0, err
		}
		if i = skipWS(b, i); i >= len(b) {
			return 0, synErr(i, "unterminated object")
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, synErr(i, "',' or '}' is expected")
		}
	}
}

// eachElement walks the array whose '[' is b[i], calling fn with the index
// of each element (after whitespace, always within b); it returns the index after ']'.
func eachElement(b []byte, i int, fn func(at int) (int, error)) (int, error) {
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		if i >= len(b) {
			return 0, synErr(i, "unterminated array")
		}
		var err error
		if i, err = fn(i); err != nil {
			return 0, err
		}
		if i = skipWS(b, i); i >= len(b) {
			return 0, synErr(i, "unterminated array")
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return 0, synErr(i, "',' or ']' is expected")
		}
	}
}
