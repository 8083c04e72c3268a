package oci

import (
	"errors"
	"strconv"
)

// Qty is an inventory quantity in thousandths of a unit. OCI quantities are
// decimals with at most three places (RAML `multipleOf: 0.001`); holding them
// as integers makes every API value round-trip exactly and keeps float
// arithmetic out of the ledger. The zero value is 0.
type Qty int64

// Unit is one whole unit.
const Unit Qty = 1000

// MaxQty bounds every quantity: one trillion units. It keeps sums of many
// quantities far from int64 overflow.
const MaxQty Qty = 1_000_000_000_000 * Unit

var (
	errQtySyntax     = errors.New("is not a number")
	errQtyPrecision  = errors.New("has more than 3 decimal places")
	errQtyRange      = errors.New("is too large")
	errQtyNotAllowed = errors.New("must not be negative")
)

// ParseQty parses a JSON number literal (optionally signed, with fraction and
// exponent) into an exact Qty. It refuses values that are not a multiple of
// 0.001 and values beyond ±MaxQty.
func ParseQty(b []byte) (Qty, error) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	intPart, frac, exp, err := splitNumber(b)
	if err != nil {
		return 0, err
	}
	// value = digits(intPart+frac) * 10^(exp - len(frac)); we need thousandths.
	digits := append(append(make([]byte, 0, 24), intPart...), frac...)
	scale := exp - len(frac) + 3
	v, err := scaleDigits(digits, scale)
	if err != nil {
		return 0, err
	}
	if neg {
		v = -v
	}
	return v, nil
}

// splitNumber checks JSON number syntax (without the sign) and returns the
// integer digits, the fraction digits and the decimal exponent.
func splitNumber(b []byte) (intPart, frac []byte, exp int, err error) {
	i := 0
	for i < len(b) && isDigit(b[i]) {
		i++
	}
	if i == 0 || (i > 1 && b[0] == '0') {
		return nil, nil, 0, errQtySyntax
	}
	intPart = b[:i]
	if i < len(b) && b[i] == '.' {
		j := i + 1
		for j < len(b) && isDigit(b[j]) {
			j++
		}
		if j == i+1 {
			return nil, nil, 0, errQtySyntax
		}
		frac, i = b[i+1:j], j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		e, n, err := parseExp(b[i+1:])
		if err != nil {
			return nil, nil, 0, err
		}
		exp, i = e, i+1+n
	}
	if i != len(b) {
		return nil, nil, 0, errQtySyntax
	}
	return intPart, frac, exp, nil
}

func parseExp(b []byte) (exp, n int, err error) {
	neg := false
	if n < len(b) && (b[n] == '+' || b[n] == '-') {
		neg = b[n] == '-'
		n++
	}
	start := n
	for n < len(b) && isDigit(b[n]) {
		if exp > 1000 {
			return 0, 0, errQtyRange
		}
		exp = exp*10 + int(b[n]-'0')
		n++
	}
	if n == start {
		return 0, 0, errQtySyntax
	}
	if neg {
		exp = -exp
	}
	return exp, n, nil
}

// scaleDigits returns digits × 10^scale as a Qty, refusing a non-integer
// result (precision) and a result beyond MaxQty.
func scaleDigits(digits []byte, scale int) (Qty, error) {
	for scale < 0 {
		if digits[len(digits)-1] != '0' {
			if allZero(digits) {
				return 0, nil
			}
			return 0, errQtyPrecision
		}
		digits = digits[:len(digits)-1]
		scale++
		if len(digits) == 0 {
			return 0, nil
		}
	}
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	if allZero(digits) {
		return 0, nil
	}
	if len(digits)+scale > 19 {
		return 0, errQtyRange
	}
	var v int64
	for _, d := range digits {
		v = v*10 + int64(d-'0')
	}
	for range scale {
		v *= 10
	}
	if Qty(v) > MaxQty {
		return 0, errQtyRange
	}
	return Qty(v), nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// AppendJSON appends q as a JSON number with no trailing fraction zeros
// (27, 10.25, 0.001).
func (q Qty) AppendJSON(b []byte) []byte {
	v := int64(q)
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/1000, 10)
	frac := v % 1000
	if frac == 0 {
		return b
	}
	d := []byte{byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	for d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	return append(append(b, '.'), d...)
}

// String formats q as AppendJSON does.
func (q Qty) String() string { return string(q.AppendJSON(nil)) }

// MarshalJSON implements json.Marshaler.
func (q Qty) MarshalJSON() ([]byte, error) { return q.AppendJSON(nil), nil }

// UnmarshalJSON implements json.Unmarshaler. It accepts only JSON numbers.
func (q *Qty) UnmarshalJSON(b []byte) error {
	v, err := ParseQty(b)
	if err != nil {
		return &Error{Code: InvalidRequestParameter, Message: "quantity " + string(b) + " " + err.Error()}
	}
	*q = v
	return nil
}

// Units returns q as a float64 number of units, for display and metrics
// only; never compute with it.
func (q Qty) Units() float64 { return float64(q) / 1000 }

func maxQty(a, b Qty) Qty {
	if a > b {
		return a
	}
	return b
}

func minQty(a, b Qty) Qty {
	if a < b {
		return a
	}
	return b
}
