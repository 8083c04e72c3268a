package oci

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// PlaceType says whether a place is a location or a location group.
type PlaceType uint8

// The two kinds of place.
const (
	PlaceLocation PlaceType = iota + 1
	PlaceGroup
)

func (t PlaceType) String() string {
	switch t {
	case PlaceLocation:
		return "location"
	case PlaceGroup:
		return "group"
	}
	return "unknown"
}

// Place names a location or a group by its External Reference.
type Place struct {
	Type PlaceType
	ID   string
}

func (p Place) String() string { return p.Type.String() + " " + p.ID }

// Loc and Grp build places.
func Loc(id string) Place { return Place{PlaceLocation, id} }

// Grp builds a group place.
func Grp(id string) Place { return Place{PlaceGroup, id} }

// validateToken checks an identifier of min..max characters of
// A–Z a–z 0–9 _ - (the RAML pattern ^[a-zA-Z0-9-_]*$).
func validateToken(param, id string, min, max int) error {
	if len(id) < min || len(id) > max {
		return paramErrorf(param, "'%s' %q must be %d to %d characters long", param, clip(id), min, max)
	}
	for i := 0; i < len(id); i++ {
		if !isIDChar(id[i]) {
			return paramErrorf(param, "'%s' %q may contain only A-Z a-z 0-9 _ -", param, clip(id))
		}
	}
	return nil
}

// ValidatePlaceID checks an External Reference: 2–128 characters of
// A–Z a–z 0–9 _ - (RAML LocationId / GroupId).
func ValidatePlaceID(param, id string) error { return validateToken(param, id, 2, 128) }

func isIDChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_' || c == '-'
}

// ValidateSKU checks a SkuId: 1–250 characters of valid UTF-8, none of
// \ < > ; % / whitespace or control characters (RAML pattern
// ^[^\\<>;%/\s]*$; control characters are refused too, since no JSON
// client could read them back).
func ValidateSKU(param, sku string) error {
	if len(sku) < 1 || len(sku) > 250 {
		return paramErrorf(param, "'%s' must be 1 to 250 characters long", param)
	}
	if !utf8.ValidString(sku) {
		return paramErrorf(param, "'%s' must be valid UTF-8", param)
	}
	for i := 0; i < len(sku); i++ {
		switch c := sku[i]; {
		case c < 0x20 || c == 0x7f, c == '\\', c == '<', c == '>', c == ';', c == '%', c == '/', c == ' ':
			return paramErrorf(param, "'%s' %q must not contain \\ < > ; %% / whitespace or control characters", param, clip(sku))
		}
	}
	return nil
}

// ValidateQty checks that q is strictly positive (RAML minimum 0.001).
func ValidateQty(param string, q Qty) error {
	if q <= 0 {
		return &Error{Code: PositiveQuantityRequired, Parameter: param,
			Message: fmt.Sprintf("'%s' quantity must be a positive value", param)}
	}
	return nil
}

// ValidateNonNegative checks a quantity that may be zero (onHand, safety stock).
func ValidateNonNegative(param string, q Qty) error {
	if q < 0 {
		return paramErrorf(param, "'%s' must not be negative", param)
	}
	return nil
}

// clip shortens hostile input before it goes into an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// ParseTime parses an RFC 3339 date-time (with any offset and fraction).
func ParseTime(param, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, paramErrorf(param, "'%s' %q is not an RFC 3339 date-time", param, clip(s))
	}
	return t, ValidateTime(param, t)
}

// ValidateTime bounds a date to the years 1900–2200: the core keeps dates
// as Unix nanoseconds, which cannot hold years before 1678 or after 2262.
func ValidateTime(param string, t time.Time) error {
	if y := t.Year(); y < 1900 || y > 2200 {
		return paramErrorf(param, "'%s' year %d is outside 1900 to 2200", param, y)
	}
	return nil
}
