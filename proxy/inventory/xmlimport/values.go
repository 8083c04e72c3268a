package xmlimport

import (
	"fmt"
	"strings"
	"time"

	"ociedge/proxy/inventory"
)

// XSD simple values. Leading and trailing white space is collapsed away, as
// the XSD types here (boolean, decimal, date, dateTime, enumerations) do.

func parseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (true, false, 1 or 0)", s)
}

func parseDecimal(s string) (inventory.Quantity, error) {
	q, err := inventory.ParseQuantity(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q %v", s, err)
	}
	return q, nil
}

// zoneLayouts are the accepted time zone suffixes; no suffix means UTC.
var zoneLayouts = []string{"Z07:00", ""}

// parseDateTime parses xsd:dateTime: 2026-03-01T10:00:00[.fff][Z|±hh:mm].
func parseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, z := range zoneLayouts {
		if t, err := time.Parse("2006-01-02T15:04:05.999999999"+z, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time such as 2026-03-01T10:00:00Z", s)
}

// parseDate parses xsd:date: 2026-03-01[Z|±hh:mm], as midnight.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, z := range zoneLayouts {
		if t, err := time.Parse("2006-01-02"+z, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date such as 2026-03-01", s)
}
