package xmlimport

import (
	"bytes"
	"fmt"
	"io"
)

// guardReader fails when a run of bytes without '<' or '>' — one text node,
// one tag with its attributes, one comment — exceeds max, so that a single
// giant token cannot make the decoder hold unbounded memory while the file
// as a whole streams.
type guardReader struct {
	r   io.Reader
	max int
	run int
}

func (g *guardReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	over := false
	if first := bytes.IndexAny(p[:n], "<>"); first >= 0 {
		over = g.run+first > g.max
		g.run = n - bytes.LastIndexAny(p[:n], "<>") - 1
	} else {
		g.run += n
	}
	if over || g.run > g.max {
		return n, fmt.Errorf("an XML token is longer than %d bytes", g.max)
	}
	return n, err
}
