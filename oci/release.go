package oci

import (
	"fmt"
	"time"
)

// ReleaseRecord takes reserved quantity off a place without the reservation
// document's details (reference §4 R4). The net effect is that of
// cancelling that much of the reservation.
type ReleaseRecord struct {
	ID            string `json:"id"`
	ExternalRefID string `json:"externalRefId,omitempty"`
	Place         Place  `json:"place"`
	SKU           string `json:"sku"`
	Quantity      Qty    `json:"quantity"`
	// ReservationID, if set, releases only that document's hold.
	ReservationID string `json:"reservationId,omitempty"`
}

// Release unreserves quantities. A record asking for more than is held
// fails with InsufficientQuantity and releases nothing; the oldest holds are
// released first. Documents left holding nothing are CLOSED.
func (c *Core) Release(recs []ReleaseRecord) ([]RecordError, error) {
	if err := validateReleases(recs); err != nil {
		return nil, err
	}
	var errs []RecordError
	err := c.write(func(tx *txn) error {
		places := make([]resolved, len(recs))
		for i, r := range recs {
			idx, err := c.graph.resolve(&c.in, r.Place)
			if err != nil {
				return err
			}
			places[i] = resolved{r.Place.Type, idx}
		}
		for i := range recs {
			if code := c.releaseOne(tx, &recs[i], places[i]); code != "" {
				errs = append(errs, recordError(i, code))
			}
		}
		return nil
	})
	c.m.reservationOp("release", "ok", len(recs)-len(errs))
	c.m.reservationOp("release", "failed", len(errs))
	return errs, err
}

func (c *Core) releaseOne(tx *txn, r *ReleaseRecord, p resolved) Code {
	hash := contentHash(r)
	if replay, code, conflict := c.idempotent("release", r.ID, r.SKU, hash); conflict {
		return EntityAlreadyExists
	} else if replay {
		return code
	}
	code := c.applyRelease(tx, r, p)
	c.remember(tx, "release", r.ID, r.SKU, hash, code)
	return code
}

func (c *Core) applyRelease(tx *txn, r *ReleaseRecord, p resolved) Code {
	var doc *reservation
	if r.ReservationID != "" {
		if doc = c.docs[r.ReservationID]; doc == nil || doc.state != StateOpen {
			return EntityNotFound
		}
	}
	s := c.skus.get(r.SKU)
	if s == nil || heldBy(s, p.kind, p.idx, doc) < r.Quantity {
		return InsufficientQuantity
	}
	c.closeEmptied(tx, c.takeHolds(tx, s, p.kind, p.idx, r.Quantity, doc))
	return ""
}

func validateReleases(recs []ReleaseRecord) error {
	if err := validateRecordCount(len(recs)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, r := range recs {
		p := fmt.Sprintf("records[%d]", i)
		if err := validateRecordKey(p, r.ID, r.SKU, r.Quantity, seen); err != nil {
			return err
		}
		if r.Place.Type == 0 {
			return errorf(InvalidRequest, "The format of the message is incorrect: %s needs a location or a group", p)
		}
		if err := ValidatePlaceID(p+"."+r.Place.Type.String(), r.Place.ID); err != nil {
			return err
		}
	}
	return nil
}

// FulfillRecord ships reserved quantity from a location: reserved and
// onHand go down together (reference §4 R5).
type FulfillRecord struct {
	ID              string     `json:"id"`
	ExternalRefID   string     `json:"externalRefId,omitempty"`
	Location        string     `json:"location"`
	SKU             string     `json:"sku"`
	Quantity        Qty        `json:"quantity"`
	FulfillmentTime *time.Time `json:"fulfillmentTime,omitempty"`
	// ReservationID, if set, fulfills only that document's hold.
	ReservationID string `json:"reservationId,omitempty"`
}

// Fulfill decrements reserved and onHand atomically per record. When the
// fulfillment time is before the record's effectiveDate, onHand is left
// alone: the import that set it already counted the shipment.
func (c *Core) Fulfill(recs []FulfillRecord) ([]RecordError, error) {
	if err := validateFulfillments(recs); err != nil {
		return nil, err
	}
	var errs []RecordError
	err := c.write(func(tx *txn) error {
		for _, r := range recs {
			if d := r.ReservationID; d != "" && c.docs[d] == nil {
				return &Error{Code: InvalidRequestParameter, Parameter: "reservationId", Message: "ID does not exist."}
			}
		}
		for i := range recs {
			if code := c.fulfillOne(tx, &recs[i]); code != "" {
				errs = append(errs, RecordError{Index: i, Code: code, Message: fulfillMessage(code)})
			}
		}
		return nil
	})
	c.m.reservationOp("fulfill", "ok", len(recs)-len(errs))
	c.m.reservationOp("fulfill", "failed", len(errs))
	return errs, err
}

func fulfillMessage(code Code) string {
	if code == LocationDoesNotExist {
		return "Failed to fulfill, invalid location provided."
	}
	return codeMessages[code]
}

func (c *Core) fulfillOne(tx *txn, r *FulfillRecord) Code {
	hash := contentHash(r)
	if replay, code, conflict := c.idempotent("fulfill", r.ID, r.SKU, hash); conflict {
		return EntityAlreadyExists
	} else if replay {
		return code
	}
	code := c.applyFulfill(tx, r)
	c.remember(tx, "fulfill", r.ID, r.SKU, hash, code)
	return code
}

func (c *Core) applyFulfill(tx *txn, r *FulfillRecord) Code {
	l, err := c.graph.resolve(&c.in, Loc(r.Location))
	if err != nil {
		return LocationDoesNotExist
	}
	var doc *reservation
	if r.ReservationID != "" {
		if doc = c.docs[r.ReservationID]; doc.state != StateOpen {
			return EntityNotFound
		}
	}
	s := c.skus.get(r.SKU)
	if s == nil || heldBy(s, PlaceLocation, l, doc) < r.Quantity {
		return InsufficientQuantity
	}
	ts := c.takeHolds(tx, s, PlaceLocation, l, r.Quantity, doc)
	if rec := s.loc(l); rec != nil && rec.exists && !fulfilledBeforeEffective(r, rec) {
		rec.onHand = maxQty(0, rec.onHand-r.Quantity)
		tx.touchRecord(s, l)
	}
	c.closeEmptied(tx, ts)
	return ""
}

func fulfilledBeforeEffective(r *FulfillRecord, rec *locRecord) bool {
	return r.FulfillmentTime != nil && rec.effective != 0 && r.FulfillmentTime.UnixNano() < rec.effective
}

func validateFulfillments(recs []FulfillRecord) error {
	if err := validateRecordCount(len(recs)); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, r := range recs {
		p := fmt.Sprintf("records[%d]", i)
		if r.Quantity == 0 {
			return &Error{Code: MissingParameter, Parameter: p + ".quantity",
				Message: "The field 'quantity' is missing from the request body."}
		}
		if err := validateRecordKey(p, r.ID, r.SKU, r.Quantity, seen); err != nil {
			return err
		}
		if r.Location == "" {
			return &Error{Code: MissingParameter, Parameter: p + ".location",
				Message: "The field 'location' is missing from the request body."}
		}
		if t := r.FulfillmentTime; t != nil {
			if err := ValidateTime(p+".fulfillmentTime", *t); err != nil {
				return err
			}
		}
	}
	return nil
}
