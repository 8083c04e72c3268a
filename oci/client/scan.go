package client

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner reads one JSON text in place. It is a parser of input from the
// network, so it is strict: exactly RFC 8259 JSON (no raw control
// characters or invalid UTF-8 in strings, no bad escapes or numbers),
// nesting of skipped values bounded by maxDepth, and it never indexes out
// of bounds (FuzzParseExportLine). Strings are returned as views of the
// input, or of a scratch buffer when they hold escapes; either is valid
// only until the next string is read.
type scanner struct {
	b   []byte
	i   int
	esc []byte // scratch for unescaped strings, reused
}

const maxDepth = 64

// syntaxError is a JSON error at a byte offset of the text.
type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.off+1, e.msg)
}

func (s *scanner) fail(msg string) error { return &syntaxError{off: s.i, msg: msg} }

func (s *scanner) reset(b []byte) { s.b, s.i = b, 0 }

// ws skips white space.
func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// atEnd reports whether only white space is left.
func (s *scanner) atEnd() bool { return s.peek() == 0 && s.i == len(s.b) }

func (s *scanner) expect(c byte) error {
	if s.peek() != c || s.i == len(s.b) {
		return s.fail(fmt.Sprintf("want %q", c))
	}
	s.i++
	return nil
}

// more is the loop condition of an object or array whose opening byte was
// read: it reads the ',' between members or the closing byte.
func (s *scanner) more(end byte, first bool) (bool, error) {
	c := s.peek()
	switch {
	case c == end && s.i < len(s.b):
		s.i++
		return false, nil
	case first:
		return true, nil
	case c == ',':
		s.i++
		return true, nil
	}
	return false, s.fail(fmt.Sprintf("want ',' or %q", end))
}

// key reads a member name and its ':'.
func (s *scanner) key() ([]byte, error) {
	k, err := s.str()
	if err != nil {
		return nil, err
	}
	return k, s.expect(':')
}

// null consumes a null literal if one is next.
func (s *scanner) null() bool {
	if s.peek() == 'n' && s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// str reads a string.
func (s *scanner) str() ([]byte, error) {
	if s.peek() != '"' {
		return nil, s.fail("want a string")
	}
	start := s.i + 1
	high := false
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '"':
			s.i = j + 1
			if high && !utf8.Valid(s.b[start:j]) {
				return nil, &syntaxError{off: start, msg: "invalid UTF-8 in a string"}
			}
			return s.b[start:j], nil
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			return nil, &syntaxError{off: j, msg: "control character in a string"}
		case c >= 0x80:
			high = true
		}
	}
	return nil, s.fail("unterminated string")
}

// escaped reads the rest of a string that holds escapes into s.esc.
func (s *scanner) escaped(start int) ([]byte, error) {
	out := s.esc[:0]
	j := start
	for j < len(s.b) {
		c := s.b[j]
		switch {
		case c == '"':
			s.i, s.esc = j+1, out
			if !utf8.Valid(out) {
				return nil, &syntaxError{off: start, msg: "invalid UTF-8 in a string"}
			}
			return out, nil
		case c < 0x20:
			return nil, &syntaxError{off: j, msg: "control character in a string"}
		case c != '\\':
			out = append(out, c)
			j++
			continue
		}
		var err error
		if out, j, err = s.escape(out, j); err != nil {
			return nil, err
		}
	}
	s.i = j
	return nil, s.fail("unterminated string")
}

// escape appends the escape sequence at j (a backslash) and returns the
// index after it.
func (s *scanner) escape(out []byte, j int) ([]byte, int, error) {
	if j+1 >= len(s.b) {
		return nil, j, &syntaxError{off: j, msg: "unterminated escape"}
	}
	switch c := s.b[j+1]; c {
	case '"', '\\', '/':
		return append(out, c), j + 2, nil
	case 'b':
		return append(out, '\b'), j + 2, nil
	case 'f':
		return append(out, '\f'), j + 2, nil
	case 'n':
		return append(out, '\n'), j + 2, nil
	case 'r':
		return append(out, '\r'), j + 2, nil
	case 't':
		return append(out, '\t'), j + 2, nil
	case 'u':
		return s.unicode(out, j)
	}
	return nil, j, &syntaxError{off: j, msg: "bad escape"}
}

// unicode appends a \uXXXX escape (and its low surrogate, if paired).
func (s *scanner) unicode(out []byte, j int) ([]byte, int, error) {
	r, ok := hex4(s.b, j+2)
	if !ok {
		return nil, j, &syntaxError{off: j, msg: "bad \\u escape"}
	}
	j += 6
	if utf16.IsSurrogate(r) {
		if r2, ok := hex4(s.b, j+2); ok && j+1 < len(s.b) && s.b[j] == '\\' && s.b[j+1] == 'u' {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return utf8.AppendRune(out, d), j + 6, nil
			}
		}
		r = utf8.RuneError // a lone surrogate, as encoding/json decodes it
	}
	return utf8.AppendRune(out, r), j, nil
}

func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// num reads a number and returns its text.
func (s *scanner) num() ([]byte, error) {
	s.ws()
	start, j := s.i, s.i
	if j < len(s.b) && s.b[j] == '-' {
		j++
	}
	d := digits(s.b, j)
	if d == 0 || (d > 1 && s.b[j] == '0') {
		return nil, s.fail("want a number")
	}
	j += d
	if j < len(s.b) && s.b[j] == '.' {
		if d = digits(s.b, j+1); d == 0 {
			return nil, &syntaxError{off: j, msg: "bad fraction"}
		}
		j += 1 + d
	}
	if j < len(s.b) && (s.b[j] == 'e' || s.b[j] == 'E') {
		j++
		if j < len(s.b) && (s.b[j] == '+' || s.b[j] == '-') {
			j++
		}
		if d = digits(s.b, j); d == 0 {
			return nil, &syntaxError{off: j, msg: "bad exponent"}
		}
		j += d
	}
	s.i = j
	return s.b[start:j], nil
}

func digits(b []byte, i int) int {
	n := 0
	for i+n < len(b) && b[i+n] >= '0' && b[i+n] <= '9' {
		n++
	}
	return n
}

// boolean reads true or false.
func (s *scanner) boolean() (bool, error) {
	switch {
	case s.lit("true"):
		return true, nil
	case s.lit("false"):
		return false, nil
	}
	return false, s.fail("want true or false")
}

func (s *scanner) lit(w string) bool {
	if s.peek() != w[0] || s.i+len(w) > len(s.b) || string(s.b[s.i:s.i+len(w)]) != w {
		return false
	}
	s.i += len(w)
	return true
}

// skip reads and drops one value of any type.
func (s *scanner) skip(depth int) error {
	if depth > maxDepth {
		return s.fail("nested too deeply")
	}
	switch c := s.peek(); {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{' || c == '[':
		return s.skipAll(depth, c)
	case c == 't' || c == 'f':
		_, err := s.boolean()
		return err
	case c == 'n':
		if s.null() {
			return nil
		}
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := s.num()
		return err
	}
	return s.fail("want a value")
}

// skipAll drops an object or an array.
func (s *scanner) skipAll(depth int, open byte) error {
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	s.i++
	for more, err := s.more(end, true); more || err != nil; more, err = s.more(end, false) {
		if err != nil {
			return err
		}
		if open == '{' {
			if _, err := s.key(); err != nil {
				return err
			}
		}
		if err := s.skip(depth + 1); err != nil {
			return err
		}
	}
	return nil
}
