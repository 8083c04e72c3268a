package impex

import (
	"bytes"
	"errors"
	"fmt"

	"ociedge/oci"
)

// An import file has one of two layouts (reference §5.2), decided by its
// first readable line: the high-performance layout, where every record has
// its `locationId`, and the legacy layout, where location header lines
// (`{"location":"x","mode":"UPDATE"}`, or `"locationId"` as the RAML example
// writes it) precede records without a location. A line of the other
// layout fails alone, and reading goes on.
type layoutKind uint8

const (
	layoutUnknown layoutKind = iota
	layoutFlat               // high-performance: every record names its location
	layoutLegacy             // location header lines
)

// layoutState is where the reading of a file stands between two lines; it
// is part of an import's checkpoint.
type layoutState struct {
	Layout     layoutKind `json:"layout"`
	Location   string     `json:"location,omitempty"`   // legacy: the current header's location
	HeaderLine int64      `json:"headerLine,omitempty"` // legacy: the current header's line
	HeaderErr  string     `json:"headerErr,omitempty"`  // legacy: why the current header cannot be used
}

// failure is an import line that failed, as the result file lists it.
type failure struct {
	line                         int64
	recordID, location, sku, msg string
}

// reader turns the lines of a file into a batch's records and failures.
type reader struct {
	state   layoutState
	p       *lineParser
	maxLine int
	line    parsedLine // scratch
}

// add reads line number n into b.
func (rd *reader) add(b *batch, n int64, line []byte, tooLong bool) {
	if tooLong {
		b.fail(failure{line: n, msg: fmt.Sprintf("the line is longer than %d bytes", rd.maxLine)})
		return
	}
	if blank(line) {
		return
	}
	err := rd.p.parse(line, &rd.line, &b.arena)
	var syn *syntaxError
	switch {
	case errors.As(err, &syn):
		rd.unreadable(b, n, line, err)
	case rd.line.kind == kindHeader:
		rd.header(b, n, err)
	default:
		rd.record(b, n, err)
	}
}

// unreadable fails a line that is not JSON. In the legacy layout, a line
// that may have been a header makes the records after it fail too: they
// must not be applied at the previous header's location.
func (rd *reader) unreadable(b *batch, n int64, line []byte, err error) {
	r := &rd.line.rec
	b.fail(failure{line: n, recordID: r.ID, location: rd.locationOf(r), sku: r.SKU, msg: err.Error()})
	if rd.state.Layout == layoutLegacy && (bytes.Contains(line, []byte(`"mode"`)) || bytes.Contains(line, []byte(`"location"`))) {
		rd.state.HeaderLine = n
		rd.state.HeaderErr = "the line is not valid JSON and may be a location header"
	}
}

func (rd *reader) header(b *batch, n int64, err error) {
	h := &rd.line
	msg := ""
	switch {
	case rd.state.Layout == layoutFlat:
		b.fail(failure{line: n, location: h.location,
			msg: "a location header in a file of the high-performance layout (records with 'locationId'); layouts cannot be mixed"})
		return
	case err != nil:
		msg = err.Error()
	case h.mode == "":
		msg = "'mode' is required in a location header"
	case h.mode != "UPDATE":
		msg = fmt.Sprintf("mode '%s' is not supported; only UPDATE is", clip(h.mode))
	case h.location == "":
		msg = "'location' is required in a location header"
	}
	rd.state = layoutState{Layout: layoutLegacy, Location: h.location, HeaderLine: n, HeaderErr: msg}
	if msg != "" {
		b.fail(failure{line: n, location: h.location, msg: msg})
	}
}

func (rd *reader) record(b *batch, n int64, err error) {
	r := &rd.line.rec
	fail := func(msg string) {
		b.fail(failure{line: n, recordID: r.ID, location: rd.locationOf(r), sku: r.SKU, msg: msg})
	}
	switch st := &rd.state; {
	case err != nil:
		fail(err.Error())
	case st.Layout == layoutUnknown && r.Location == "":
		fail("the record has no 'locationId' and no location header precedes it")
	case st.Layout == layoutFlat && r.Location == "":
		fail("'locationId' is required: the file uses the high-performance layout")
	case st.Layout == layoutLegacy && r.Location != "":
		fail("a record with 'locationId' in a file of the legacy layout (location header lines); layouts cannot be mixed")
	case st.Layout == layoutLegacy && st.HeaderErr != "":
		fail(fmt.Sprintf("the location header on line %d cannot be used: %s", st.HeaderLine, st.HeaderErr))
	default:
		if st.Layout == layoutLegacy {
			r.Location = st.Location
		} else {
			st.Layout = layoutFlat
		}
		b.add(n, r)
	}
}

// locationOf is the location a record line is for, as far as it is known.
func (rd *reader) locationOf(r *oci.RecordUpdate) string {
	if r.Location == "" && rd.state.Layout == layoutLegacy {
		return rd.state.Location
	}
	return r.Location
}
