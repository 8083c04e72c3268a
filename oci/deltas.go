package oci

import "fmt"

// DeltaType says whether a delta record carries new values or a removal.
type DeltaType string

// Delta record types (reference §3 A3).
const (
	DeltaChange DeltaType = "Change"
	DeltaDelete DeltaType = "Delete"
)

// DeltaRecord is one changed (place, sku) with its current values.
type DeltaRecord struct {
	Type  DeltaType
	Place string
	Values
}

// Deltas is a get-deltas answer.
type Deltas struct {
	NextToken        string
	ShouldQueryAgain bool
	Records          []DeltaRecord
}

// ExportSink receives an availability export: each place in turn, then its
// records in batches. Returning an error stops the export.
type ExportSink interface {
	Place(kind PlaceType, id string) error
	Records(vs []Values) error
}

// exportChunk is how many skus are read per hold of the state lock, so an
// export of millions of records never stalls reservations for long.
const exportChunk = 4096

// Export writes the current records of the given places (all locations or
// all groups) to sink and returns a delta token positioned before the first
// value it read. Changes made while the export runs may show up both in the
// file and in the first deltas; applying them twice is harmless.
func (c *Core) Export(kind PlaceType, ids []string, sink ExportSink) (string, error) {
	if err := validateExportPlaces(kind, ids); err != nil {
		return "", err
	}
	var tok deltaToken
	var idxs []placeIdx
	var rerr error
	if err := c.read(func() { tok, idxs, rerr = c.startExport(kind, ids) }); err != nil {
		return "", err
	}
	if rerr != nil {
		return "", rerr
	}
	for i, p := range idxs {
		if err := sink.Place(kind, ids[i]); err != nil {
			return "", err
		}
		if err := c.exportPlace(kind, p, sink); err != nil {
			return "", err
		}
	}
	return c.encodeToken(tok), nil
}

func (c *Core) startExport(kind PlaceType, ids []string) (deltaToken, []placeIdx, error) {
	idxs := make([]placeIdx, len(ids))
	for i, id := range ids {
		p, err := c.graph.resolve(&c.in, Place{kind, id})
		if err != nil {
			return deltaToken{}, nil, err
		}
		idxs[i] = p
	}
	t := deltaToken{Type: locationExport, Places: ids, Seq: c.seq, Epoch: c.graph.epoch, Issued: c.now().Unix()}
	if kind == PlaceGroup {
		t.Type = groupExport
	}
	return t, idxs, nil
}

func (c *Core) exportPlace(kind PlaceType, p placeIdx, sink ExportSink) error {
	buf := make([]Values, 0, 256)
	for start := 0; ; start += exportChunk {
		buf = buf[:0]
		done := false
		err := c.read(func() {
			end := min(start+exportChunk, len(c.skus.list))
			for _, s := range c.skus.list[start:end] {
				if v, ok := c.exportValues(kind, p, s); ok {
					buf = append(buf, v)
				}
			}
			done = end == len(c.skus.list)
		})
		if err != nil {
			return err
		}
		if len(buf) > 0 {
			if err := sink.Records(buf); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
	}
}

// exportValues returns the values of s at p if s has anything there.
func (c *Core) exportValues(kind PlaceType, p placeIdx, s *skuState) (Values, bool) {
	if kind == PlaceLocation {
		if r := s.loc(p); r != nil {
			return r.values(s.name), true
		}
		return Values{}, false
	}
	if c.graph.kind[p] != PlaceGroup || (!skuAtAny(s, c.graph.members[p]) && s.groupHeld[p] == 0) {
		return Values{}, false
	}
	return groupValues(c.graph, s, p), true
}

func validateExportPlaces(kind PlaceType, ids []string) error {
	if len(ids) == 0 {
		return paramErrorf("objects", "'objects' needs 'groups' or 'locations'")
	}
	seen := map[string]bool{}
	for i, id := range ids {
		p := fmt.Sprintf("objects.%ss[%d]", kind, i)
		if err := ValidatePlaceID(p, id); err != nil {
			return err
		}
		if seen[id] {
			return paramErrorf(p, "'%s' is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// Deltas returns the changes since a delta token: the current values of
// every (exported place, sku) that changed, at most MaxDeltaRecords of them,
// with the token to ask from next. A token past its lifetime, one older than
// the change log the core still holds (e.g. issued before a crash and not
// caught up), or one naming a place that no longer exists is answered with
// ExpiredDeltaLink (410): the stream must re-export.
func (c *Core) Deltas(token string) (*Deltas, error) {
	t, err := c.decodeToken(token, c.now())
	if err != nil {
		c.m.deltaRead(map[bool]string{true: "expired", false: "invalid"}[ErrorCode(err) == ExpiredDeltaLink], 0)
		return nil, err
	}
	var out *Deltas
	var derr error
	if err := c.read(func() { out, derr = c.deltas(t) }); err != nil {
		return nil, err
	}
	if derr != nil {
		c.m.deltaRead("expired", 0)
		return nil, derr
	}
	c.m.deltaRead("ok", len(out.Records))
	return out, nil
}

func (c *Core) deltas(t deltaToken) (*Deltas, error) {
	order, err := c.tokenPlaces(t)
	if err != nil {
		return nil, err
	}
	places := make(map[placeIdx]bool, len(order))
	for _, p := range order {
		places[p] = true
	}
	if !c.changes.retains(t.Seq) || t.Seq > c.seq {
		return nil, expiredToken("The delta token is older than the changes the core still holds; run a new export.")
	}
	w := deltaWalk{c: c, kind: t.kind(), order: order, places: places, seen: map[recKey]bool{}, max: c.cfg.MaxDeltaRecords}
	next := c.seq
	evs := c.changes.since(t.Seq, c.seq)
	for i, e := range evs {
		if !w.add(e) {
			next = t.Seq + uint64(i)
			break
		}
	}
	t.Seq, t.Issued = next, c.now().Unix()
	return &Deltas{NextToken: c.encodeToken(t), ShouldQueryAgain: next < c.seq, Records: w.out}, nil
}

// tokenPlaces resolves the token's places; one that is gone expires it.
func (c *Core) tokenPlaces(t deltaToken) ([]placeIdx, error) {
	out := make([]placeIdx, 0, len(t.Places))
	for _, id := range t.Places {
		p, err := c.graph.resolve(&c.in, Place{t.kind(), id})
		if err != nil {
			return nil, expiredToken(fmt.Sprintf("'%s' is no longer in the location graph; run a new export.", id))
		}
		out = append(out, p)
	}
	return out, nil
}

// deltaWalk maps change-log events to the exported places they affect.
type deltaWalk struct {
	c      *Core
	kind   PlaceType
	order  []placeIdx // the token's places, in token order
	places map[placeIdx]bool
	seen   map[recKey]bool
	out    []DeltaRecord
	max    int
}

// add records the places e affects; false means the answer is full and e
// was not taken.
func (w *deltaWalk) add(e event) bool {
	s := w.c.skus.list[e.sku]
	targets := w.affected(e, s)
	fresh := 0
	for _, p := range targets {
		if !w.seen[recKey{s, p}] {
			fresh++
		}
	}
	if fresh > 0 && len(w.out)+fresh > w.max && len(w.out) > 0 {
		return false
	}
	for _, p := range targets {
		if k := (recKey{s, p}); !w.seen[k] {
			w.seen[k] = true
			w.out = append(w.out, w.record(p, s))
		}
	}
	return true
}

// affected returns the exported places whose values e may have changed. A
// location change affects that location and the groups it is in; when the
// sku has group promises, any change can shift them and affects every
// exported group.
func (w *deltaWalk) affected(e event, s *skuState) []placeIdx {
	gi := w.c.graph
	if w.kind == PlaceLocation {
		if gi.kind[e.place] == PlaceLocation && w.places[e.place] {
			return []placeIdx{e.place}
		}
		return nil
	}
	var out []placeIdx
	if gi.kind[e.place] == PlaceGroup || s.hasGroupHolds() {
		return w.order
	}
	for _, g := range gi.groupsOf[e.place] {
		if w.places[g] {
			out = append(out, g)
		}
	}
	return out
}

func (w *deltaWalk) record(p placeIdx, s *skuState) DeltaRecord {
	v, ok := w.c.exportValues(w.kind, p, s)
	if !ok || (!v.Exists && v.Reserved == 0) {
		return DeltaRecord{Type: DeltaDelete, Place: w.c.in.name(p), Values: Values{SKU: s.name}}
	}
	return DeltaRecord{Type: DeltaChange, Place: w.c.in.name(p), Values: v}
}
