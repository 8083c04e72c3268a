package client

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"ociedge/oci"
)

// ErrTruncated is wrapped by the error of an export file that ended before
// its final {"deltaToken":…} line: a truncated download is never taken as
// complete.
var ErrTruncated = errors.New("the export file ended before its deltaToken line")

// exportReader turns the lines of an export file into batches of records
// per place. It holds one batch and one line at a time, never the file.
type exportReader struct {
	kind    oci.PlaceType
	fn      func(place string, vs []oci.Values) error
	p       recordParser
	batch   []oci.Values // reused: fn must not keep it
	place   string       // the current place, "" before the first header
	called  bool         // fn has been called for place
	token   string       // set by the last line
	line    int
	records int
}

// readExport reads an export file of places of kind from r and calls fn with
// up to batch records at a time, at least once per place (with no records
// when the place has none). It returns the delta token of the last line.
func readExport(r io.Reader, kind oci.PlaceType, batch, maxLine int, fn func(string, []oci.Values) error) (string, int, error) {
	e := &exportReader{kind: kind, fn: fn, batch: make([]oci.Values, 0, batch)}
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte
	for {
		b, rerr := readLine(br, &long, maxLine)
		e.line++
		if len(b) > 0 {
			if err := e.handle(b); err != nil {
				return "", e.records, fmt.Errorf("client: export line %d: %w", e.line, err)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return "", e.records, fmt.Errorf("client: export line %d: %w", e.line, rerr)
		}
	}
	if e.token == "" {
		return "", e.records, fmt.Errorf("client: export after %d lines: %w", e.line, ErrTruncated)
	}
	return e.token, e.records, nil
}

// readLine returns the next line without its newline; the bytes are valid
// until the next call. A line longer than max is an error.
func readLine(br *bufio.Reader, long *[]byte, max int) ([]byte, error) {
	b, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		*long = append((*long)[:0], b...)
		for err == bufio.ErrBufferFull && len(*long) <= max {
			b, err = br.ReadSlice('\n')
			*long = append(*long, b...)
		}
		b = *long
	}
	if b = trimNewline(b); len(b) > max {
		return nil, fmt.Errorf("a line is longer than %d bytes", max)
	}
	return b, err
}

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	return b
}

// handle takes one line.
func (e *exportReader) handle(b []byte) error {
	n := len(e.batch)
	e.batch = e.batch[:n+1]
	kind, id, err := e.p.exportLine(b, &e.batch[n])
	if kind != lineRecord || err != nil {
		e.batch = e.batch[:n]
	}
	switch {
	case err != nil:
		return err
	case kind == lineBlank:
		return nil
	case e.token != "":
		return errors.New("data after the deltaToken line")
	case kind == lineRecord:
		return e.record()
	case kind == lineToken:
		e.token = id
		return e.endPlace()
	}
	return e.header(kind, id)
}

func (e *exportReader) record() error {
	if e.place == "" {
		return errors.New("a record before any place header")
	}
	e.records++
	if len(e.batch) == cap(e.batch) {
		return e.flush()
	}
	return nil
}

func (e *exportReader) header(kind lineKind, id string) error {
	if (kind == lineGroup) != (e.kind == oci.PlaceGroup) {
		return fmt.Errorf("a %s header in an export of %ss", map[bool]string{true: "groupId", false: "locationId"}[kind == lineGroup], e.kind)
	}
	if err := e.endPlace(); err != nil {
		return err
	}
	e.place, e.called = id, false
	return nil
}

// endPlace hands over the current place's last batch, or announces a place
// that had no records.
func (e *exportReader) endPlace() error {
	if len(e.batch) == 0 && (e.called || e.place == "") {
		return nil
	}
	return e.flush()
}

func (e *exportReader) flush() error {
	err := e.fn(e.place, e.batch)
	e.batch, e.called = e.batch[:0], true
	return err
}
