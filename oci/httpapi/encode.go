package httpapi

import (
	"strconv"
	"time"
	"unicode/utf8"

	"ociedge/oci"
)

// appendValues appends one availability record as the API shows it; group
// records also carry groupReserved and sharedGroupReserved.
func appendValues(b []byte, v *oci.Values, group bool) []byte {
	b = append(b, `{"sku":`...)
	b = appendString(b, v.SKU)
	b = appendQty(b, `,"atf":`, v.ATF)
	b = appendQty(b, `,"ato":`, v.ATO)
	b = appendQty(b, `,"onHand":`, v.OnHand)
	b = appendQty(b, `,"reserved":`, v.Reserved)
	b = appendQty(b, `,"safetyStockCount":`, v.SafetyStock)
	if group {
		b = appendQty(b, `,"groupReserved":`, v.GroupReserved)
		b = appendQty(b, `,"sharedGroupReserved":`, v.SharedReserved)
	}
	if !v.EffectiveDate.IsZero() {
		b = appendTime(b, `,"effectiveDate":`, v.EffectiveDate)
	}
	b = appendFutures(b, v.Futures)
	b = append(b, `,"exists":`...)
	b = strconv.AppendBool(b, v.Exists)
	return append(b, '}')
}

// appendString appends s as a JSON string (valid UTF-8 passes through,
// control characters and invalid bytes are escaped as JSON requires).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

func appendFutures(b []byte, fs []oci.Future) []byte {
	b = append(b, `,"futures":[`...)
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendTime(b, `{"expectedDate":`, f.ExpectedDate)
		b = appendQty(b, `,"quantity":`, f.Quantity)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendQty(b []byte, key string, q oci.Qty) []byte {
	return q.AppendJSON(append(b, key...))
}

func appendTime(b []byte, key string, t time.Time) []byte {
	b = append(b, key...)
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendPlaces appends `"key":[{"id":…,"records":[…]}, …]`.
func appendPlaces(b []byte, key string, ps []oci.PlaceValues, group bool) []byte {
	b = append(b, '"')
	b = append(b, key...)
	b = append(b, `":[`...)
	for i := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, ps[i].ID)
		b = append(b, `,"records":[`...)
		for j := range ps[i].Records {
			if j > 0 {
				b = append(b, ',')
			}
			b = appendValues(b, &ps[i].Records[j], group)
		}
		b = append(b, "]}"...)
	}
	return append(b, ']')
}
