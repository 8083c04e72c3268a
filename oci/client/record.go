package client

import (
	"errors"
	"fmt"
	"time"

	"ociedge/oci"
)

// The keys of a record object the parser saw.
const (
	hasSKU uint16 = 1 << iota
	hasGroupID
	hasLocationID
	hasDeltaToken
	hasID
	hasDeltaType
	hasExists
)

// fields is what one object of an export line, a delta or an availability
// answer held: the values go to v, the other members here.
type fields struct {
	v         *oci.Values
	has       uint16
	place     string // groupId or locationId
	id        string // id: a delta's place
	token     string // deltaToken
	deltaType string
}

// recordParser parses record objects with the hand-written scanner: an
// export line is parsed ~5× faster than with encoding/json, and quantities
// go straight to exact oci.Qty. It remembers the last dates it parsed, since
// an export repeats them. Not safe for concurrent use; reuse one per stream.
type recordParser struct {
	s       scanner
	lastEff dateMemo
	lastExp dateMemo
}

type dateMemo struct {
	text string
	t    time.Time
}

// object parses the object at the scanner into f.
func (p *recordParser) object(f *fields) error {
	s := &p.s
	if err := s.expect('{'); err != nil {
		return err
	}
	for more, err := s.more('}', true); more || err != nil; more, err = s.more('}', false) {
		if err != nil {
			return err
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		if err := p.member(key, f); err != nil {
			return err
		}
	}
	return nil
}

// member parses the value of one member.
func (p *recordParser) member(key []byte, f *fields) error {
	v := f.v
	switch string(key) {
	case "sku":
		f.has |= hasSKU
		return p.text(&v.SKU)
	case "onHand":
		return p.qty(&v.OnHand)
	case "reserved":
		return p.qty(&v.Reserved)
	case "atf":
		return p.qty(&v.ATF)
	case "ato":
		return p.qty(&v.ATO)
	case "safetyStockCount":
		return p.qty(&v.SafetyStock)
	case "groupReserved":
		return p.qty(&v.GroupReserved)
	case "sharedGroupReserved":
		return p.qty(&v.SharedReserved)
	case "effectiveDate":
		return p.date(&v.EffectiveDate, &p.lastEff)
	case "futures", "futureStock":
		return p.futures(&v.Futures)
	case "exists":
		f.has |= hasExists
		return p.flag(&v.Exists)
	}
	return p.other(key, f)
}

// other parses the members that are not values.
func (p *recordParser) other(key []byte, f *fields) error {
	switch string(key) {
	case "groupId":
		f.has |= hasGroupID
		return p.text(&f.place)
	case "locationId":
		f.has |= hasLocationID
		return p.text(&f.place)
	case "id":
		f.has |= hasID
		return p.text(&f.id)
	case "deltaToken":
		f.has |= hasDeltaToken
		return p.text(&f.token)
	case "deltaType":
		f.has |= hasDeltaType
		return p.text(&f.deltaType)
	}
	return p.s.skip(0)
}

func (p *recordParser) text(dst *string) error {
	b, err := p.s.str()
	if err != nil {
		return err
	}
	*dst = string(b)
	return nil
}

func (p *recordParser) flag(dst *bool) error {
	if p.s.null() {
		*dst = false
		return nil
	}
	b, err := p.s.boolean()
	*dst = b
	return err
}

// qty parses a quantity; null is 0 ("if there is not a value … it will be
// 0, empty or null").
func (p *recordParser) qty(dst *oci.Qty) error {
	if p.s.null() {
		*dst = 0
		return nil
	}
	start := p.s.i
	b, err := p.s.num()
	if err != nil {
		return err
	}
	q, err := parseQty(b)
	if err != nil {
		return &syntaxError{off: start, msg: "quantity " + string(b) + ": " + err.Error()}
	}
	*dst = q
	return nil
}

// parseQty is oci.ParseQty with a fast path for the plain decimals the core
// writes (27, 10.25, 0.001).
func parseQty(b []byte) (oci.Qty, error) {
	i := digits(b, 0)
	if i == 0 || i > 13 || (b[0] == '0' && i > 1) {
		return oci.ParseQty(b)
	}
	var n int64
	for _, c := range b[:i] {
		n = n*10 + int64(c-'0')
	}
	n *= 1000
	if i < len(b) {
		f := digits(b, i+1)
		if b[i] != '.' || f == 0 || f > 3 || i+1+f != len(b) {
			return oci.ParseQty(b)
		}
		scale := int64(100)
		for _, c := range b[i+1 : i+1+f] {
			n += int64(c-'0') * scale
			scale /= 10
		}
	}
	if oci.Qty(n) > oci.MaxQty {
		return oci.ParseQty(b)
	}
	return oci.Qty(n), nil
}

// date parses an RFC 3339 date-time (null: zero), remembering the last one.
func (p *recordParser) date(dst *time.Time, memo *dateMemo) error {
	if p.s.null() {
		*dst = time.Time{}
		return nil
	}
	start := p.s.i
	b, err := p.s.str()
	if err != nil {
		return err
	}
	if string(b) == memo.text && memo.text != "" {
		*dst = memo.t
		return nil
	}
	t, err := time.Parse(time.RFC3339, string(b))
	if err != nil {
		return &syntaxError{off: start, msg: fmt.Sprintf("%q is not an RFC 3339 date-time", b)}
	}
	memo.text, memo.t = string(b), t.UTC()
	*dst = memo.t
	return nil
}

// futures parses [{"expectedDate","quantity"}…] (null: none).
func (p *recordParser) futures(dst *[]oci.Future) error {
	s := &p.s
	*dst = nil
	if s.null() {
		return nil
	}
	if err := s.expect('['); err != nil {
		return err
	}
	for more, err := s.more(']', true); more || err != nil; more, err = s.more(']', false) {
		if err != nil {
			return err
		}
		var f oci.Future
		if err := p.future(&f); err != nil {
			return err
		}
		*dst = append(*dst, f)
	}
	return nil
}

func (p *recordParser) future(f *oci.Future) error {
	s := &p.s
	if err := s.expect('{'); err != nil {
		return err
	}
	for more, err := s.more('}', true); more || err != nil; more, err = s.more('}', false) {
		if err != nil {
			return err
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		switch string(key) {
		case "quantity":
			err = p.qty(&f.Quantity)
		case "expectedDate":
			err = p.date(&f.ExpectedDate, &p.lastExp)
		default:
			err = s.skip(0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// errNotRecord is a record object without a sku.
var errNotRecord = errors.New("a record needs a non-empty sku")
