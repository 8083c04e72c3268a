// Package adminstyle holds the style sheet both admin pages share (the
// core's /admin and the edge's OCI Integration page): one look, written
// once. Each page serves it followed by its own rules.
package adminstyle

import _ "embed"

// Base is the shared style sheet.
//
//go:embed base.css
var Base []byte

// With returns the shared style sheet followed by the page's own rules.
func With(own []byte) []byte {
	out := make([]byte, 0, len(Base)+1+len(own))
	out = append(out, Base...)
	out = append(out, '\n')
	return append(out, own...)
}
