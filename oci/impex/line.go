package impex

import (
	"errors"
	"fmt"
	"time"

	"ociedge/oci"
)

// lineKind says what an import line is: an availability record, or a
// location header of the legacy layout (`{"location":"x","mode":"UPDATE"}`).
type lineKind uint8

const (
	kindRecord lineKind = iota + 1
	kindHeader
)

// parsedLine is one decoded import line.
type parsedLine struct {
	kind lineKind
	// rec is a record line's update; Location is its `locationId`, ""
	// when the line has none (legacy layout: the header gives it).
	rec oci.RecordUpdate
	// location and mode are a header line's fields.
	location, mode string
}

// The fields a line may have; each may appear once.
const (
	fRecordID uint16 = 1 << iota
	fLocationID
	fLocation
	fSKU
	fOnHand
	fSafety
	fEffective
	fFutures
	fMode
)

// maxInterned bounds the location ids a lineParser keeps.
const maxInterned = 4096

// lineParser decodes import lines. Location ids repeat on every line of a
// file, so they are interned. A lineParser is not safe for concurrent use.
type lineParser struct {
	locs map[string]string
}

func newLineParser() *lineParser { return &lineParser{locs: make(map[string]string)} }

// parse decodes one line into out. Futures are cut from *arena, which must
// stay untouched while out is in use. Record semantics follow the import
// rules: a field present is Set, a field present as null (or [] for
// futures) is Set to its zero value, an absent field is not Set; unknown
// fields are ignored. A JSON syntax error stops the decoding; a field error
// (wrong type, bad number or date, a field twice) is reported after the
// rest of the line is read, so that out still names the record.
func (p *lineParser) parse(line []byte, out *parsedLine, arena *[]oci.Future) error {
	*out = parsedLine{}
	d := lineDecoder{p: p, b: line, out: out, arena: arena}
	i := skipWS(line, 0)
	if i >= len(line) || line[i] != '{' {
		return synErr(i, "a line must be one JSON object")
	}
	i, err := eachMember(line, i, d.member)
	if err != nil {
		return err
	}
	if i = skipWS(line, i); i != len(line) {
		return synErr(i, "unexpected data after the object")
	}
	d.classify()
	return d.err
}

// lineDecoder is the state of decoding one line.
type lineDecoder struct {
	p     *lineParser
	b     []byte
	out   *parsedLine
	arena *[]oci.Future
	seen  uint16
	err   error // the first field error
}

func (d *lineDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
}

func (d *lineDecoder) mark(bit uint16, name string) {
	if d.seen&bit != 0 {
		d.fail("'%s' appears twice", name)
	}
	d.seen |= bit
}

func (d *lineDecoder) member(key []byte, escaped bool, i int) (int, error) {
	if escaped {
		k, ok := unquote(key)
		if !ok {
			return 0, synErr(i, "invalid field name")
		}
		key = []byte(k)
	}
	rec := &d.out.rec
	switch string(key) {
	case "recordId":
		return d.str(i, fRecordID, "recordId", &rec.ID, false)
	case "sku":
		return d.str(i, fSKU, "sku", &rec.SKU, false)
	case "locationId":
		return d.str(i, fLocationID, "locationId", &rec.Location, true)
	case "location":
		return d.str(i, fLocation, "location", &d.out.location, true)
	case "mode":
		return d.str(i, fMode, "mode", &d.out.mode, false)
	case "onHand":
		return d.qtyField(i, fOnHand, "onHand", &rec.OnHand)
	case "safetyStockCount":
		return d.qtyField(i, fSafety, "safetyStockCount", &rec.SafetyStock)
	case "effectiveDate":
		d.mark(fEffective, "effectiveDate")
		return d.dateField(i, "effectiveDate", &rec.EffectiveDate)
	case "futures":
		return d.futures(i)
	}
	return skipValue(d.b, i, 1)
}

// classify decides between a record and a header: a line with `mode` or
// `location` is a header.
func (d *lineDecoder) classify() {
	out := d.out
	if d.seen&(fMode|fLocation) == 0 {
		out.kind = kindRecord
		return
	}
	out.kind = kindHeader
	if d.seen&fLocation == 0 {
		out.location = out.rec.Location
	} else if d.seen&fLocationID != 0 && out.rec.Location != out.location {
		d.fail("'location' and 'locationId' name different locations")
	}
}

// str reads a string field; null reads as "".
func (d *lineDecoder) str(i int, bit uint16, name string, dst *string, intern bool) (int, error) {
	d.mark(bit, name)
	switch d.b[i] {
	case '"':
		if intern {
			return d.internedAt(i, dst)
		}
		s, next, err := stringAt(d.b, i)
		*dst = s
		return next, err
	case 'n':
		*dst = ""
		return literalAt(d.b, i, "null")
	}
	d.fail("'%s' must be a string", name)
	return skipValue(d.b, i, 1)
}

func (d *lineDecoder) internedAt(i int, dst *string) (int, error) {
	raw, next, esc, err := scanString(d.b, i)
	if err != nil || esc {
		s, next, err := stringAt(d.b, i)
		*dst = s
		return next, err
	}
	if s, ok := d.p.locs[string(raw)]; ok {
		*dst = s
		return next, nil
	}
	*dst = string(raw)
	if len(d.p.locs) < maxInterned {
		d.p.locs[*dst] = *dst
	}
	return next, nil
}

func (d *lineDecoder) qtyField(i int, bit uint16, name string, dst *oci.Field[oci.Qty]) (int, error) {
	d.mark(bit, name)
	q, next, problem, err := qtyAt(d.b, i)
	if problem != "" {
		d.fail("'%s' %s", name, problem)
	}
	*dst = oci.Value(q)
	return next, err
}

// qtyAt reads a quantity: a JSON number with at most 3 decimals, or null
// (zero). problem describes a value of the wrong type or precision; err is
// a syntax error.
func qtyAt(b []byte, i int) (q oci.Qty, next int, problem string, err error) {
	switch c := b[i]; {
	case c == 'n':
		next, err = literalAt(b, i, "null")
		return 0, next, "", err
	case c == '-' || c >= '0' && c <= '9':
		end := numberEnd(b, i)
		q, perr := oci.ParseQty(b[i:end])
		if perr != nil {
			return 0, end, string(clipBytes(b[i:end])) + " " + perr.Error(), nil
		}
		return q, end, "", nil
	}
	next, err = skipValue(b, i, 1)
	return 0, next, "must be a number", err
}

func (d *lineDecoder) dateField(i int, name string, dst *oci.Field[time.Time]) (int, error) {
	t, next, problem, err := dateAt(d.b, i)
	if problem != "" {
		d.fail("'%s' %s", name, problem)
	}
	*dst = oci.Value(t)
	return next, err
}

// dateAt reads an RFC 3339 date-time string, or null (the zero time).
func dateAt(b []byte, i int) (t time.Time, next int, problem string, err error) {
	switch b[i] {
	case 'n':
		next, err = literalAt(b, i, "null")
		return time.Time{}, next, "", err
	case '"':
		raw, next, esc, err := scanString(b, i)
		if err != nil {
			return time.Time{}, 0, "", err
		}
		if esc { // no valid date has escapes, but "\u0032020-…" spells one
			s, _ := unquote(raw)
			raw = []byte(s)
		}
		d, e := parseDate(raw)
		switch e {
		case dateSyntax:
			return d, next, fmt.Sprintf("%q is not an RFC 3339 date-time", clipBytes(raw)), nil
		case dateRange:
			return d, next, fmt.Sprintf("%s is outside the years %d to %d", clipBytes(raw), minYear, maxYear), nil
		}
		return d, next, "", nil
	}
	next, err = skipValue(b, i, 1)
	return time.Time{}, next, "must be an RFC 3339 date-time string", err
}

// futures reads `futures`: an array of {quantity, expectedDate}, or null.
func (d *lineDecoder) futures(i int) (int, error) {
	d.mark(fFutures, "futures")
	switch d.b[i] {
	case 'n':
		d.out.rec.Futures = oci.Value([]oci.Future(nil))
		return literalAt(d.b, i, "null")
	case '[':
	default:
		d.fail("'futures' must be an array")
		return skipValue(d.b, i, 1)
	}
	start, n := len(*d.arena), 0
	next, err := eachElement(d.b, i, func(j int) (int, error) {
		n++
		return d.future(j, n-1)
	})
	fs := (*d.arena)[start:len(*d.arena):len(*d.arena)]
	d.out.rec.Futures = oci.Value(fs)
	return next, err
}

func (d *lineDecoder) future(j, idx int) (int, error) {
	if d.b[j] != '{' {
		d.fail("'futures[%d]' must be an object", idx)
		return skipValue(d.b, j, 1)
	}
	var f oci.Future
	var seen uint8
	next, err := eachMember(d.b, j, func(key []byte, esc bool, at int) (int, error) {
		if esc {
			k, _ := unquote(key)
			key = []byte(k)
		}
		return d.futureMember(string(key), at, idx, &f, &seen)
	})
	*d.arena = append(*d.arena, f)
	return next, err
}

func (d *lineDecoder) futureMember(key string, at, idx int, f *oci.Future, seen *uint8) (int, error) {
	var bit uint8
	switch key {
	case "quantity":
		bit = 1
	case "expectedDate":
		bit = 2
	default:
		return skipValue(d.b, at, 2)
	}
	if *seen&bit != 0 {
		d.fail("'futures[%d].%s' appears twice", idx, key)
	}
	*seen |= bit
	var next int
	var problem string
	var err error
	if bit == 1 {
		f.Quantity, next, problem, err = qtyAt(d.b, at)
	} else {
		f.ExpectedDate, next, problem, err = dateAt(d.b, at)
	}
	if problem != "" {
		d.fail("'futures[%d].%s' %s", idx, key, problem)
	}
	return next, err
}

func clipBytes(b []byte) []byte {
	if len(b) > 64 {
		return append(b[:64:64], "…"...)
	}
	return b
}

// errLineTooLong is reported for a line beyond Config.MaxLineBytes.
var errLineTooLong = errors.New("line too long")
