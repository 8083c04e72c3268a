package inventory

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// Identifier limits. B2C allows 256 characters for list ids (XSD
// NonEmptyString.256) and product ids (OCAPI product_id maxLength 256).
const (
	maxIDLen     = 256
	maxCustom    = 100  // custom attributes per record
	maxCustomLen = 4000 // characters per custom attribute value
)

// checkID validates an identifier: 1..256 characters of valid UTF-8, no
// control characters (the key layout uses 0x00 as a separator) and no
// leading or trailing white space (the XSD pattern \S|(\S(.*)\S)).
func checkID(field, id string) error {
	n := utf8.RuneCountInString(id)
	switch {
	case n == 0:
		return invalid(field, "is required")
	case n > maxIDLen:
		return invalid(field, "is longer than %d characters", maxIDLen)
	case !utf8.ValidString(id):
		return invalid(field, "is not valid UTF-8")
	}
	for i, c := range id {
		if unicode.IsControl(c) {
			return invalid(field, "contains a control character")
		}
		if unicode.IsSpace(c) && (i == 0 || i+utf8.RuneLen(c) == len(id)) {
			return invalid(field, "has leading or trailing white space")
		}
	}
	return nil
}

// checkTime validates a date that will be stored: years 1..9999.
func checkTime(field string, t time.Time) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return invalid(field, "year %d is out of range", y)
	}
	return nil
}

func checkCustom(custom map[string][]string) error {
	if len(custom) > maxCustom {
		return invalid("custom", "has more than %d attributes", maxCustom)
	}
	for id, vals := range custom {
		if err := checkID("custom", id); err != nil {
			return err
		}
		for _, v := range vals {
			if utf8.RuneCountInString(v) > maxCustomLen || !utf8.ValidString(v) {
				return invalid("custom", "attribute %q has a value longer than %d characters or not UTF-8", id, maxCustomLen)
			}
		}
	}
	return nil
}
