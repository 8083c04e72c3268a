package oci

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"
)

// deltaToken is what a delta token encodes: the exported places, the
// change-log position, the graph epoch and when it was issued. Tokens are
// base64url JSON with an HMAC so that a client cannot forge a position.
type deltaToken struct {
	Type   string   `json:"type"` // GROUP_EXPORT or LOCATION_EXPORT, as OCI's own tokens say
	Places []string `json:"places"`
	Seq    uint64   `json:"seq"`
	Epoch  uint64   `json:"epoch"`
	Issued int64    `json:"issued"` // unix seconds
}

const (
	groupExport    = "GROUP_EXPORT"
	locationExport = "LOCATION_EXPORT"
)

func (t *deltaToken) kind() PlaceType {
	if t.Type == groupExport {
		return PlaceGroup
	}
	return PlaceLocation
}

func (c *Core) encodeToken(t deltaToken) string {
	body, _ := json.Marshal(t)
	mac := hmac.New(sha256.New, c.tokenKey)
	mac.Write(body)
	sum := mac.Sum(nil)[:16]
	return base64.RawURLEncoding.EncodeToString(append(body, sum...))
}

// decodeToken checks the signature and the age of a token.
func (c *Core) decodeToken(s string, now time.Time) (deltaToken, error) {
	var t deltaToken
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < 17 || len(s) > 1<<16 {
		return t, badToken()
	}
	body, sum := raw[:len(raw)-16], raw[len(raw)-16:]
	mac := hmac.New(sha256.New, c.tokenKey)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil)[:16], sum) {
		return t, badToken()
	}
	if err := json.Unmarshal(body, &t); err != nil || (t.Type != groupExport && t.Type != locationExport) {
		return t, badToken()
	}
	if now.Sub(time.Unix(t.Issued, 0)) > c.cfg.DeltaTokenTTL {
		return t, expiredToken("The delta token provided has expired.")
	}
	return t, nil
}

func badToken() error {
	return &Error{Code: InvalidRequestParameter, Parameter: "deltaToken", Message: "'deltaToken' is not a valid delta token"}
}

func expiredToken(msg string) error {
	return &Error{Code: ExpiredDeltaLink, Parameter: "Delta Link", Message: msg}
}
