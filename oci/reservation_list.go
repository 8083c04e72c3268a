package oci

import (
	"cmp"
	"slices"
	"time"
)

// ReservationFilter selects reservation documents for Reservations. The zero
// value selects every document.
type ReservationFilter struct {
	// States keeps the documents in one of these states; empty keeps all.
	States []ReservationState
	// From and To bound the documents' reservationTime: From ≤ t < To.
	// A zero bound is no bound.
	From, To time.Time
}

func (f *ReservationFilter) match(r *reservation) bool {
	if len(f.States) > 0 && !slices.Contains(f.States, r.state) {
		return false
	}
	if !f.From.IsZero() && r.reserved.Before(f.From) {
		return false
	}
	return f.To.IsZero() || r.reserved.Before(f.To)
}

// reservationChunk is how many documents are copied per hold of the state
// lock, so that listing millions of documents never stalls reservations.
const reservationChunk = 1024

// Reservations calls fn with a copy of every reservation document that
// matches the filter, oldest first (in creation order). An OPEN document
// shows what it holds now, per place; a document that left OPEN holds
// nothing any more and shows what its reservation request reserved.
//
// It is a read: it changes nothing. The set of documents is taken when it
// starts; documents created later are not listed, and documents purged or
// changed meanwhile are skipped or shown as they are when their chunk is
// read (each is re-checked against the filter then). fn runs without the
// state lock; an error from it stops the listing and is returned.
func (c *Core) Reservations(f ReservationFilter, fn func(ReservationView) error) error {
	var es []docEntry
	if err := c.read(func() { es = c.matchingDocsLocked(&f) }); err != nil {
		return err
	}
	docs := inCreationOrder(es)
	views := make([]ReservationView, 0, min(len(docs), reservationChunk))
	for start := 0; start < len(docs); start += reservationChunk {
		chunk := docs[start:min(start+reservationChunk, len(docs))]
		views = views[:0]
		err := c.read(func() {
			for _, r := range chunk {
				if c.docs[r.id] == r && f.match(r) {
					views = append(views, c.listView(r))
				}
			}
		})
		if err != nil {
			return err
		}
		for _, v := range views {
			if err := fn(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// docEntry is a document and its creation number, copied under the lock so
// that sorting can happen without it.
type docEntry struct {
	seq uint64
	r   *reservation
}

// matchingDocsLocked returns the documents that match f. The caller holds
// the state lock.
func (c *Core) matchingDocsLocked(f *ReservationFilter) []docEntry {
	var es []docEntry
	for _, r := range c.docs {
		if f.match(r) {
			es = append(es, docEntry{r.seq, r})
		}
	}
	return es
}

// inCreationOrder sorts es by creation and returns the documents.
func inCreationOrder(es []docEntry) []*reservation {
	slices.SortFunc(es, func(a, b docEntry) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]*reservation, len(es))
	for i, e := range es {
		out[i] = e.r
	}
	return out
}

// listView copies r for Reservations. The caller holds the state lock.
func (c *Core) listView(r *reservation) ReservationView {
	v, _ := c.viewDoc(r.id)
	if r.state == StateOpen || r.result == nil {
		return v
	}
	for _, p := range r.result.Groups {
		v.Groups = addReserved(v.Groups, p)
	}
	for _, p := range r.result.Locations {
		v.Locations = addReserved(v.Locations, p)
	}
	return v
}

// addReserved adds the positive lines a reservation request reserved at one
// place.
func addReserved(list []PlaceHolding, p PlaceResult) []PlaceHolding {
	for _, l := range p.Details {
		if l.Quantity > 0 {
			list = addHolding(list, p.ID, l)
		}
	}
	return list
}
