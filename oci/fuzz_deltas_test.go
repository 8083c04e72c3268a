package oci

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"
	"time"

	"ociedge/internal/kv"
)

// fuzzTokenCore is a small core with exported places and some changes, on
// an in-memory store, and a real token of each kind.
func fuzzTokenCore(f *testing.F) (*Core, []string) {
	clock := newClock()
	c, err := Open(Config{Store: kv.NewMem(), Now: clock.Now, SweepInterval: time.Hour, MaxDeltaRecords: 2})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { c.Close() })
	if err := c.ReplaceGraph(shared); err != nil {
		f.Fatal(err)
	}
	var tokens []string
	for _, e := range []struct {
		kind PlaceType
		ids  []string
	}{{PlaceLocation, []string{"L1", "L2"}}, {PlaceGroup, []string{"GA"}}} {
		tok, err := c.Export(e.kind, e.ids, discardSink{})
		if err != nil {
			f.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	for i, sku := range []string{"s0", "s1", "s2"} {
		u := RecordUpdate{ID: "u" + sku, Location: "L1", SKU: sku, OnHand: Value(Qty(1000 * (i + 1)))}
		if _, err := c.BatchUpdate([]RecordUpdate{u}); err != nil {
			f.Fatal(err)
		}
	}
	return c, tokens
}

type discardSink struct{}

func (discardSink) Place(PlaceType, string) error { return nil }
func (discardSink) Records([]Values) error        { return nil }

// sign makes body a token the core accepts as its own: the fuzzer cannot
// forge the MAC, so this is how it reaches what lies behind it.
func (c *Core) signForFuzz(body []byte) string {
	mac := hmac.New(sha256.New, c.tokenKey)
	mac.Write(body)
	return base64.RawURLEncoding.EncodeToString(append(body, mac.Sum(nil)[:16]...))
}

// FuzzDeltaToken: get-deltas with any token string, and with any token body
// signed by the core itself (a token from another version, a position past
// the log, places gone from the graph), answers the changes or
// InvalidRequestParameter or ExpiredDeltaLink — never a panic, never
// another error.
func FuzzDeltaToken(f *testing.F) {
	c, tokens := fuzzTokenCore(f)
	for _, tok := range tokens {
		f.Add(tok, false)
		f.Add(tok[:len(tok)-2], false)
	}
	for _, body := range []string{
		`{"type":"LOCATION_EXPORT","places":["L1"],"seq":1,"epoch":1,"issued":1772366400}`,
		`{"type":"GROUP_EXPORT","places":["GA","GB"],"seq":18446744073709551615,"epoch":0,"issued":1772366400}`,
		`{"type":"GROUP_EXPORT","places":["nope"],"seq":0,"epoch":9,"issued":-9223372036854775808}`,
		`{"type":"LOCATION_EXPORT","places":null,"seq":2,"issued":9223372036854775807}`,
		`{"type":"X"}`, `[]`, ``, `{"places":[1]}`,
	} {
		f.Add(body, true)
	}
	f.Add("", false)
	f.Add("!!!", false)
	f.Fuzz(func(t *testing.T, s string, signed bool) {
		tok := s
		if signed {
			tok = c.signForFuzz([]byte(s))
		}
		d, err := c.Deltas(tok)
		switch code := ErrorCode(err); {
		case err == nil:
			if d == nil || d.NextToken == "" {
				t.Fatalf("Deltas(%q) answered no next token", s)
			}
		case code != InvalidRequestParameter && code != ExpiredDeltaLink:
			t.Fatalf("Deltas(%q) = %v; want InvalidRequestParameter or ExpiredDeltaLink", s, err)
		}
	})
}
