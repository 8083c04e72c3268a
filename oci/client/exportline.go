package client

import (
	"errors"

	"ociedge/oci"
)

// lineKind is what a line of an availability export file is (reference
// oci-api.md §5.3 I-E3).
type lineKind uint8

const (
	lineBlank    lineKind = iota // only white space
	lineRecord                   // {"sku",…}: the record of the current place
	lineGroup                    // {"groupId":"x"}: the records of group x follow
	lineLocation                 // {"locationId":"x"}: the records of location x follow
	lineToken                    // {"deltaToken":"…"}: the last line
)

var errMixedLine = errors.New("a line is a place header, a record or the delta token, not several")

// exportLine parses one line of an export file. A record goes to v (which
// it overwrites); a header returns its place id, the token line the token.
// Record members it does not know are skipped; Exists is true unless the
// line says otherwise (the export lists only records that exist).
func (p *recordParser) exportLine(line []byte, v *oci.Values) (lineKind, string, error) {
	p.s.reset(line)
	if p.s.atEnd() {
		return lineBlank, "", nil
	}
	*v = oci.Values{}
	f := fields{v: v}
	if err := p.object(&f); err != nil {
		return 0, "", err
	}
	if !p.s.atEnd() {
		return 0, "", p.s.fail("data after the object")
	}
	return classify(&f)
}

func classify(f *fields) (lineKind, string, error) {
	headers := f.has & (hasGroupID | hasLocationID | hasDeltaToken)
	switch {
	case f.has&hasSKU != 0:
		if headers != 0 {
			return 0, "", errMixedLine
		}
		if f.v.SKU == "" {
			return 0, "", errNotRecord
		}
		if f.has&hasExists == 0 {
			f.v.Exists = true
		}
		return lineRecord, "", nil
	case headers == hasGroupID:
		return lineGroup, f.place, placeIDError(f.place)
	case headers == hasLocationID:
		return lineLocation, f.place, placeIDError(f.place)
	case headers == hasDeltaToken:
		if f.token == "" {
			return 0, "", errors.New("the delta token is empty")
		}
		return lineToken, f.token, nil
	case headers != 0:
		return 0, "", errMixedLine
	}
	return 0, "", errors.New("a line must be a place header, a record or the delta token")
}

func placeIDError(id string) error {
	if id == "" {
		return errors.New("a place header needs a non-empty id")
	}
	return nil
}
