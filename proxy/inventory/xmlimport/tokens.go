package xmlimport

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxText bounds the text of one simple element.
const maxText = 64 << 10

// next returns the next token, turning decoder failures into fatal errors
// with a line, and tracking the depth.
func (r *run) next() (xml.Token, error) {
	tok, err := r.d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, r.fatal(se.Line, se.Msg)
		}
		return nil, r.fatalCause(r.line(), err.Error(), err)
	}
	switch tok.(type) {
	case xml.StartElement:
		if r.depth++; r.depth > r.im.cfg.MaxDepth {
			return nil, r.fatal(r.line(), fmt.Sprintf("elements are nested more than %d deep", r.im.cfg.MaxDepth))
		}
	case xml.EndElement:
		r.depth--
	}
	return tok, nil
}

// child returns the next child element of the element being read, or nil at
// its end. Text other than white space between child elements is reported
// through stray (element-only content).
func (r *run) child(stray func(line int)) (*xml.StartElement, error) {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil, r.fatal(r.line(), "unexpected end of file")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			return nil, nil
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 && stray != nil {
				stray(r.line())
			}
		}
	}
}

// skip consumes the rest of the element just started.
func (r *run) skip() error {
	for base := r.depth; r.depth >= base; {
		if _, err := r.next(); err != nil {
			if err == io.EOF {
				return r.fatal(r.line(), "unexpected end of file")
			}
			return err
		}
	}
	return nil
}

// text reads the content of a simple element up to its end. problem is set
// when the element holds child elements or too much text; the element is
// consumed either way.
func (r *run) text() (s, problem string, err error) {
	var b strings.Builder
	for {
		tok, err := r.next()
		if err == io.EOF {
			return "", "", r.fatal(r.line(), "unexpected end of file")
		}
		if err != nil {
			return "", "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxText {
				problem = fmt.Sprintf("text longer than %d bytes", maxText)
				continue
			}
			b.Write(t)
		case xml.StartElement:
			if problem == "" {
				problem = fmt.Sprintf("unexpected element <%s>", t.Name.Local)
			}
			if err := r.skip(); err != nil {
				return "", "", err
			}
		case xml.EndElement:
			return b.String(), problem, nil
		}
	}
}

// attr returns the value of an unqualified attribute.
func attr(e *xml.StartElement, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Space == "" && a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func inNS(e *xml.StartElement, local string) bool {
	return e.Name.Space == Namespace && e.Name.Local == local
}
