package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Minutes is a duration that the file writes in B2C's unit, minutes, as a
// bare number ("30"), or as a Go duration ("30m", "15s") so that tests can
// make it short. Absent, null or "" is 0. The zero value is 0 and Minutes
// is a plain value, safe to copy.
type Minutes time.Duration

// Duration returns m as a time.Duration.
func (m Minutes) Duration() time.Duration { return time.Duration(m) }

// String returns m in Go duration syntax, such as "30m0s".
func (m Minutes) String() string { return time.Duration(m).String() }

// MarshalText writes m in Go duration syntax, which ParseMinutes reads back.
func (m Minutes) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalYAML reads a scalar with ParseMinutes. Its errors are
// *yaml.TypeError with the line, so that decoding goes on and reports the
// rest of the file's problems too.
func (m *Minutes) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return typeError(n, "want a number of minutes or a Go duration")
	}
	if n.ShortTag() == "!!null" {
		*m = 0
		return nil
	}
	v, err := ParseMinutes(n.Value)
	if err != nil {
		return typeError(n, err.Error())
	}
	*m = v
	return nil
}

// ParseMinutes reads a bare whole number of minutes ("30"), a Go duration
// ("30m", "15s"), or "" (0). Surrounding spaces are ignored.
func ParseMinutes(s string) (Minutes, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > math.MaxInt64/int64(time.Minute) || n < math.MinInt64/int64(time.Minute) {
			return 0, fmt.Errorf("%q minutes is too long", s)
		}
		return Minutes(time.Duration(n) * time.Minute), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is neither a whole number of minutes nor a Go duration such as 30m or 15s", s)
	}
	return Minutes(d), nil
}

// typeError reports a bad value at n's line the way yaml reports its own.
func typeError(n *yaml.Node, msg string) error {
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %s", n.Line, msg)}}
}
