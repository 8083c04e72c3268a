package inventory

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Quantity is an inventory amount in thousandths of a unit: B2C and OCI
// quantities are decimals with at most three places. Arithmetic on it is
// integer arithmetic; ParseQuantity and String convert exactly.
type Quantity int64

const (
	// Unit is one item.
	Unit Quantity = 1000
	// MaxQuantity bounds every stored amount: 999,999,999,999.999 units.
	// Sums of a few bounded amounts cannot overflow an int64.
	MaxQuantity Quantity = 999_999_999_999_999
	// Infinite is the ATS and stock level of a perpetual record.
	Infinite Quantity = math.MaxInt64
	// StorefrontCap is what the storefront shows for an infinite quantity.
	StorefrontCap Quantity = 999_999 * Unit
)

// Units returns n whole units.
func Units(n int64) Quantity { return Quantity(n) * Unit }

var (
	errNotDecimal  = errors.New("must be a decimal number such as 12 or 12.5")
	errTooPrecise  = errors.New("has more than three decimal places")
	errOutOfBounds = errors.New("is out of range (at most 999999999999.999 in magnitude)")
)

// ParseQuantity parses a plain decimal ("12", "-3", "0.125", ".5", "5.")
// exactly. More than three decimal places are accepted only when the extra
// digits are zeros; exponents are not plain decimals (see ParseJSONQuantity).
func ParseQuantity(s string) (Quantity, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) || (!hasDot && frac != "") {
		return 0, errNotDecimal
	}
	if len(frac) > 3 {
		if strings.Trim(frac[3:], "0") != "" {
			return 0, errTooPrecise
		}
		frac = frac[:3]
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 12 {
		return 0, errOutOfBounds
	}
	var v int64
	for _, c := range intPart + (frac + "000")[:3] {
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return Quantity(v), nil
}

// ParseJSONQuantity parses a JSON number literal, including exponent forms
// such as 1e3 or 2.5E-1, exactly.
func ParseJSONQuantity(s string) (Quantity, error) {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return ParseQuantity(s)
	}
	exp, err := strconv.Atoi(s[i+1:])
	if err != nil || exp > 30 || exp < -30 {
		return 0, errNotDecimal
	}
	return ParseQuantity(shiftPoint(s[:i], exp))
}

// shiftPoint moves the decimal point of a plain decimal m by exp places.
func shiftPoint(m string, exp int) string {
	sign := ""
	if m != "" && (m[0] == '-' || m[0] == '+') {
		sign, m = m[:1], m[1:]
	}
	intPart, frac, _ := strings.Cut(m, ".")
	if !allDigits(intPart) || !allDigits(frac) || intPart+frac == "" {
		return "x" // not a number; ParseQuantity rejects it
	}
	digits, point := intPart+frac, len(intPart)+exp
	if point <= 0 {
		return sign + "0." + strings.Repeat("0", -point) + digits
	}
	if point >= len(digits) {
		return sign + digits + strings.Repeat("0", point-len(digits))
	}
	return sign + digits[:point] + "." + digits[point:]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String formats q as a plain decimal without trailing zeros: 12, 12.5,
// -0.125. Infinite formats as "Infinity".
func (q Quantity) String() string {
	return string(q.AppendTo(nil))
}

// AppendTo appends the String form of q to b.
func (q Quantity) AppendTo(b []byte) []byte {
	if q == Infinite {
		return append(b, "Infinity"...)
	}
	u := uint64(q)
	if q < 0 {
		b = append(b, '-')
		u = uint64(-q)
	}
	b = strconv.AppendUint(b, u/1000, 10)
	frac := u % 1000
	if frac == 0 {
		return b
	}
	var d [4]byte
	d[0] = '.'
	d[1], d[2], d[3] = byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10)
	n := 4
	for d[n-1] == '0' {
		n--
	}
	return append(b, d[:n]...)
}

// MarshalJSON writes q as a JSON number. Infinite has no JSON form: callers
// cap it first (Cap); it is written as StorefrontCap to keep JSON valid.
func (q Quantity) MarshalJSON() ([]byte, error) {
	return q.Cap(StorefrontCap).AppendTo(nil), nil
}

// UnmarshalJSON reads a JSON number exactly.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	v, err := ParseJSONQuantity(string(b))
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// Cap returns limit when q is Infinite, else q.
func (q Quantity) Cap(limit Quantity) Quantity {
	if q == Infinite {
		return limit
	}
	return q
}

// inBounds reports whether |q| <= MaxQuantity.
func (q Quantity) inBounds() bool { return q >= -MaxQuantity && q <= MaxQuantity }

// clamp0 returns max(0, q).
func clamp0(q Quantity) Quantity { return max(q, 0) }
