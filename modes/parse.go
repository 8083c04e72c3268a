package modes

import "fmt"

// Parse returns the mode whose wire name is s. Names are exact and case
// sensitive ("OMNICHANNEL_INVENTORY"); anything else, the empty string
// included, is an *Error with code EINVALID.
func Parse(s string) (Mode, error) {
	for _, m := range All() {
		if m.String() == s {
			return m, nil
		}
	}
	return CommercePlatform, &Error{
		Code:    EINVALID,
		Message: fmt.Sprintf("unknown inventory mode %q: want COMMERCE_PLATFORM, OCI_CACHE_ENABLED or OMNICHANNEL_INVENTORY", s),
	}
}

// MarshalText returns the wire name, so that encoding/json writes a Mode as a
// JSON string. An invalid Mode is an error rather than a name nobody can
// parse back.
func (m Mode) MarshalText() ([]byte, error) {
	if !m.Valid() {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("cannot encode invalid inventory mode %s", m)}
	}
	return []byte(m.String()), nil
}

// UnmarshalText sets m from its wire name (see Parse). On error m is left
// unchanged.
func (m *Mode) UnmarshalText(text []byte) error {
	parsed, err := Parse(string(text))
	if err != nil {
		return err
	}
	*m = parsed
	return nil
}
