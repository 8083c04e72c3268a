package config

// Secret is a credential read from the file or the environment. It prints,
// formats and marshals as "[redacted]" so that logging a Config never leaks
// it; convert it with string(s) where the value is needed. The zero value is
// the empty (unset) secret.
type Secret string

const redacted = "[redacted]"

// String returns "[redacted]", or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString keeps %#v from printing the secret.
func (s Secret) GoString() string { return `config.Secret("` + s.String() + `")` }

// MarshalText writes "[redacted]" (or ""), never the secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
