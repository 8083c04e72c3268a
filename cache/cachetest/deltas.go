package cachetest

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"ociedge/oci"
)

// token is what a fake delta token encodes.
type token struct {
	kind   oci.PlaceType
	seq    int
	issued time.Time
	places []string
}

func (t token) String() string {
	return strings.Join([]string{strconv.Itoa(int(t.kind)), strconv.Itoa(t.seq),
		strconv.FormatInt(t.issued.UnixNano(), 10), strings.Join(t.places, ",")}, "|")
}

func parseToken(s string) (token, bool) {
	f := strings.Split(s, "|")
	if len(f) != 4 {
		return token{}, false
	}
	kind, err1 := strconv.Atoi(f[0])
	seq, err2 := strconv.Atoi(f[1])
	ns, err3 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return token{}, false
	}
	return token{oci.PlaceType(kind), seq, time.Unix(0, ns), strings.Split(f[3], ",")}, true
}

func (c *Core) ttl() time.Duration {
	if c.TokenTTL > 0 {
		return c.TokenTTL
	}
	return 23*time.Hour + 30*time.Minute
}

// Export implements cache.Core: a snapshot of the places' records taken
// when it starts, in sku order, then the token positioned at that moment.
func (c *Core) Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(string, []oci.Values) error) (string, error) {
	if err := c.enter(ctx, MethodExport); err != nil {
		return "", err
	}
	snap, tok, err := c.snapshot(kind, ids)
	if err != nil {
		return "", err
	}
	batch := c.ExportBatch
	if batch <= 0 {
		batch = 4096
	}
	for i, id := range ids {
		for start := 0; start < len(snap[i]); start += batch {
			if err := fn(id, snap[i][start:min(start+batch, len(snap[i]))]); err != nil {
				return "", err
			}
		}
	}
	return tok.String(), nil
}

func (c *Core) snapshot(kind oci.PlaceType, ids []string) ([][]oci.Values, token, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([][]oci.Values, len(ids))
	for i, id := range ids {
		if c.kinds[id] != kind {
			return nil, token{}, noPlace(kind, id)
		}
		for _, sku := range slices.Sorted(maps.Keys(c.recs[id])) {
			out[i] = append(out[i], c.recs[id][sku])
		}
	}
	return out, token{kind: kind, seq: len(c.log), issued: c.now(), places: slices.Clone(ids)}, nil
}

// Deltas implements cache.Core: the current values of every (place, sku)
// of the token's places changed since the token, at most MaxDeltaRecords.
func (c *Core) Deltas(ctx context.Context, s string) (*oci.Deltas, error) {
	if err := c.enter(ctx, MethodDeltas); err != nil {
		return nil, err
	}
	t, ok := parseToken(s)
	if !ok {
		return nil, &oci.Error{Code: oci.InvalidRequestParameter, Parameter: "deltaToken", Message: "'deltaToken' is not a valid delta token"}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.now().Sub(t.issued) > c.ttl() {
		return nil, &oci.Error{Code: oci.ExpiredDeltaLink, Parameter: "Delta Link", Message: "The delta token provided has expired."}
	}
	for _, id := range t.places {
		if c.kinds[id] != t.kind {
			return nil, &oci.Error{Code: oci.ExpiredDeltaLink, Parameter: "Delta Link", Message: "'" + id + "' is no longer in the location graph; run a new export."}
		}
	}
	return c.deltasLocked(t), nil
}

func (c *Core) deltasLocked(t token) *oci.Deltas {
	maxRecs := c.MaxDeltaRecords
	if maxRecs <= 0 {
		maxRecs = 1000
	}
	out := &oci.Deltas{}
	seen := map[change]bool{}
	seq := t.seq
	for ; seq < len(c.log) && len(out.Records) < maxRecs; seq++ {
		ch := c.log[seq]
		if seen[ch] || !slices.Contains(t.places, ch.place) {
			continue
		}
		seen[ch] = true
		out.Records = append(out.Records, c.recordLocked(ch))
	}
	t.seq, t.issued = seq, c.now()
	out.NextToken, out.ShouldQueryAgain = t.String(), seq < len(c.log)
	return out
}

func (c *Core) recordLocked(ch change) oci.DeltaRecord {
	if v, ok := c.recs[ch.place][ch.sku]; ok {
		return oci.DeltaRecord{Type: oci.DeltaChange, Place: ch.place, Values: v}
	}
	return oci.DeltaRecord{Type: oci.DeltaDelete, Place: ch.place, Values: oci.Values{SKU: ch.sku}}
}
