package impex

import "time"

// Dates in import lines are parsed here rather than with time.Parse: the
// common case costs no allocation (time.Parse allocates a zone for every
// "-07:00" offset) and the accepted form is the strict RFC 3339 one that
// time.Parse's own fast path accepts: YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)
// with 1 to 9 fraction digits. Every date accepted here is accepted by
// oci.ParseTime as the same instant (FuzzParseLine checks it).

// The years a date may have: the core keeps dates as Unix nanoseconds,
// which cover 1678–2262 only.
const (
	minYear = 1900
	maxYear = 2200
)

type dateErr uint8

const (
	dateOK dateErr = iota
	dateSyntax
	dateRange
)

// parseDate parses an RFC 3339 date-time into UTC.
func parseDate(s []byte) (time.Time, dateErr) {
	if len(s) < len("2006-01-02T15:04:05Z") ||
		s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, dateSyntax
	}
	year, month, day := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	hour, minute, sec := digits(s[11:13]), digits(s[14:16]), digits(s[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, dateSyntax
	}
	nsec, rest := fraction(s[19:])
	if nsec < 0 {
		return time.Time{}, dateSyntax
	}
	offset, ok := zoneOffset(rest)
	if !ok {
		return time.Time{}, dateSyntax
	}
	if year < minYear || year > maxYear {
		return time.Time{}, dateRange
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), dateOK
}

// digits parses 2 or 4 ASCII digits, or returns -1.
func digits(s []byte) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// fraction parses an optional ".d{1,9}" and returns nanoseconds (-1 when
// malformed) and what follows it.
func fraction(s []byte) (int, []byte) {
	if len(s) == 0 || s[0] != '.' {
		return 0, s
	}
	n := 1
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 1 || n > 10 {
		return -1, nil
	}
	ns := digits(s[1:n])
	for range 10 - n {
		ns *= 10
	}
	return ns, s[n:]
}

// zoneOffset parses "Z" or "±hh:mm" into seconds east of UTC.
func zoneOffset(s []byte) (int, bool) {
	if len(s) == 1 && s[0] == 'Z' {
		return 0, true
	}
	if len(s) != len("-07:00") || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, false
	}
	h, m := digits(s[1:3]), digits(s[4:6])
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, false
	}
	off := (h*60 + m) * 60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
