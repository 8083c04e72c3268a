package proxy

import (
	"strconv"
	"time"
)

// storefrontCap is what SCAPI shows for an infinite (or huge) ATS or stock
// level: "If it is infinity, the return value is 999999".
const storefrontCap = 999_999_000 // thousandths

// invAnswer is one product at one inventory list in storefront terms, from
// either source (the edge's own records or the OCI cache).
type invAnswer struct {
	known         bool  // a record (or default-in-stock) stands behind the numbers
	record        bool  // a real record (not default-in-stock): the product exists
	fromStale     bool  // numbers from a cached value the latest import did not confirm
	ats, stock    int64 // thousandths; capped at storefrontCap when written
	orderable     bool
	backorderable bool
	preorderable  bool
	inStockDate   int64 // unix nanoseconds; 0 = none
}

// appendInventory appends one Inventory object. Without a record only the
// id is shown, as the SCAPI example does for a product without data.
func appendInventory(b, listID []byte, a *invAnswer) []byte {
	b = append(b, `{"id":"`...)
	b = appendEscaped(b, listID)
	b = append(b, '"')
	if !a.known && !a.fromStale {
		return append(b, '}')
	}
	b = append(b, `,"ats":`...)
	b = appendThousandths(b, min(a.ats, storefrontCap))
	b = append(b, `,"backorderable":`...)
	b = strconv.AppendBool(b, a.backorderable)
	if a.inStockDate != 0 {
		b = append(b, `,"inStockDate":"`...)
		b = time.Unix(0, a.inStockDate).UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	b = append(b, `,"orderable":`...)
	b = strconv.AppendBool(b, a.orderable)
	b = append(b, `,"preorderable":`...)
	b = strconv.AppendBool(b, a.preorderable)
	b = append(b, `,"stockLevel":`...)
	b = appendThousandths(b, min(a.stock, storefrontCap))
	return append(b, '}')
}

// appendThousandths writes an exact decimal (10.25, 7, 0.001).
func appendThousandths(b []byte, v int64) []byte {
	if v < 0 {
		v = 0
	}
	b = strconv.AppendInt(b, v/1000, 10)
	if f := v % 1000; f != 0 {
		b = append(b, '.', byte('0'+f/100))
		if f%100 != 0 {
			b = append(b, byte('0'+f/10%10))
			if f%10 != 0 {
				b = append(b, byte('0'+f%10))
			}
		}
	}
	return b
}

// appendEscaped appends s as the inside of a JSON string. Runs of bytes
// that need no escaping (all of a usual sku) are appended whole.
func appendEscaped(b, s []byte) []byte {
	start := 0
	for i, c := range s {
		if !mustEscape[c] {
			continue
		}
		b = append(b, s[start:i]...)
		start = i + 1
		if c == '"' || c == '\\' {
			b = append(b, '\\', c)
		} else { // control characters and <, >, & (as encoding/json does)
			b = append(b, `\u00`...)
			b = append(b, hexDigit[c>>4], hexDigit[c&0xf])
		}
	}
	return append(b, s[start:]...)
}

// mustEscape marks the bytes appendEscaped escapes.
var mustEscape = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	for _, c := range `"\\<>&` {
		t[c] = true
	}
	return t
}()

const hexDigit = "0123456789abcdef"
