package oci

import "fmt"

// TransferRecord moves reserved quantity between places without changing
// physical quantities (reference §4 R3).
type TransferRecord struct {
	ID                      string `json:"id"`
	ExternalRefID           string `json:"externalRefId,omitempty"`
	From                    Place  `json:"from"`
	To                      Place  `json:"to"`
	SKU                     string `json:"sku"`
	Quantity                Qty    `json:"quantity"`
	IgnoreAvailabilityCheck bool   `json:"ignoreAvailabilityCheck,omitempty"`
	// ReservationID, if set, moves only that document's hold (an extension
	// the Connect API has since 58.0); otherwise the oldest holds move first.
	ReservationID string `json:"reservationId,omitempty"`
}

// TransferRequest is a POST /transfers body.
type TransferRequest struct {
	AllOrNothingTransferID string
	Records                []TransferRecord
}

// MaxBatchRecords bounds the records of batch-update, transfers, releases
// and fulfillments (documented: 100).
const MaxBatchRecords = 100

// Transfer moves reserved quantities. Group to group is refused; with an
// all-or-nothing id only group to location moves are allowed and either all
// records apply or none; ignoreAvailabilityCheck moves even when the
// destination has no capacity, except into a group. Per-record failures are
// returned; a request-level error means nothing was applied.
func (c *Core) Transfer(req *TransferRequest) ([]RecordError, error) {
	if err := validateTransfer(req); err != nil {
		return nil, err
	}
	var errs []RecordError
	err := c.write(func(tx *txn) error {
		from, to, err := c.resolveTransfers(req.Records)
		if err != nil {
			return err
		}
		sp := tx.save()
		for i := range req.Records {
			if code := c.transferOne(tx, &req.Records[i], from[i], to[i]); code != "" {
				errs = append(errs, recordError(i, code))
			}
		}
		if req.AllOrNothingTransferID != "" && len(errs) > 0 {
			tx.rollback(sp)
			errs = atomicFailure(errs, len(req.Records))
		}
		c.rememberTransfers(tx, req, errs)
		return nil
	})
	c.m.reservationOp("transfer", "ok", len(req.Records)-len(errs))
	c.m.reservationOp("transfer", "failed", len(errs))
	return errs, err
}

// atomicFailure reports every record of a failed all-or-nothing request:
// the failed ones with their own code, the rest as not applied.
func atomicFailure(errs []RecordError, n int) []RecordError {
	byIndex := map[int]RecordError{}
	for _, e := range errs {
		byIndex[e.Index] = e
	}
	out := make([]RecordError, 0, n)
	for i := range n {
		if e, ok := byIndex[i]; ok {
			out = append(out, e)
		} else {
			out = append(out, recordError(i, NotAppliedDueToAtomicFailure))
		}
	}
	return out
}

func (c *Core) rememberTransfers(tx *txn, req *TransferRequest, errs []RecordError) {
	codes := map[int]Code{}
	for _, e := range errs {
		codes[e.Index] = e.Code
	}
	for i, r := range req.Records {
		if codes[i] == EntityAlreadyExists {
			continue
		}
		if replay, _, _ := c.idempotent("transfer", r.ID, r.SKU, contentHash(r)); !replay {
			c.remember(tx, "transfer", r.ID, r.SKU, contentHash(r), codes[i])
		}
	}
}

type resolved struct {
	kind PlaceType
	idx  placeIdx
}

func (c *Core) resolveTransfers(recs []TransferRecord) (from, to []resolved, err error) {
	for _, r := range recs {
		f, err := c.graph.resolve(&c.in, r.From)
		if err != nil {
			return nil, nil, err
		}
		t, err := c.graph.resolve(&c.in, r.To)
		if err != nil {
			return nil, nil, err
		}
		from = append(from, resolved{r.From.Type, f})
		to = append(to, resolved{r.To.Type, t})
	}
	return from, to, nil
}

// transferOne applies one record and returns its error code ("" = moved).
func (c *Core) transferOne(tx *txn, r *TransferRecord, from, to resolved) Code {
	hash := contentHash(r)
	if replay, code, conflict := c.idempotent("transfer", r.ID, r.SKU, hash); conflict {
		return EntityAlreadyExists
	} else if replay {
		return code
	}
	if !c.sameGroupFamily(from, to) {
		return LocationNotInGroup
	}
	var doc *reservation
	if r.ReservationID != "" {
		if doc = c.docs[r.ReservationID]; doc == nil || doc.state != StateOpen {
			return EntityNotFound
		}
	}
	s := c.skus.get(r.SKU)
	if s == nil || heldBy(s, from.kind, from.idx, doc) < r.Quantity {
		return InsufficientQuantity
	}
	sp := tx.save()
	ts := c.takeHolds(tx, s, from.kind, from.idx, r.Quantity, doc)
	if !r.IgnoreAvailabilityCheck && extraAt(c.graph, s, to.kind, to.idx, false) < r.Quantity {
		tx.rollback(sp)
		return InsufficientQuantity
	}
	for _, t := range ts {
		c.addHold(tx, t.doc, to.kind, to.idx, s, t.qty)
	}
	return ""
}

// sameGroupFamily checks group membership for group<->location moves.
func (c *Core) sameGroupFamily(from, to resolved) bool {
	switch {
	case from.kind == PlaceGroup && to.kind == PlaceLocation:
		return containsPlace(c.graph.members[from.idx], to.idx)
	case from.kind == PlaceLocation && to.kind == PlaceGroup:
		return containsPlace(c.graph.members[to.idx], from.idx)
	}
	return true
}

func validateTransfer(req *TransferRequest) error {
	if err := validateRecordCount(len(req.Records)); err != nil {
		return err
	}
	if id := req.AllOrNothingTransferID; id != "" {
		if err := validateToken("allOrNothingTransferId", id, 1, 128); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for i, r := range req.Records {
		p := fmt.Sprintf("records[%d]", i)
		if err := validateRecordKey(p, r.ID, r.SKU, r.Quantity, seen); err != nil {
			return err
		}
		if err := validateTransferKind(p, req.AllOrNothingTransferID != "", r); err != nil {
			return err
		}
	}
	return nil
}

func validateTransferKind(p string, aon bool, r TransferRecord) error {
	for _, pl := range []struct {
		name string
		pl   Place
	}{{".from", r.From}, {".to", r.To}} {
		if pl.pl.Type == 0 {
			return paramErrorf(p+pl.name, "'%s' must name a location or a group", pl.name[1:])
		}
		if err := ValidatePlaceID(p+pl.name, pl.pl.ID); err != nil {
			return err
		}
	}
	switch {
	case r.From == r.To:
		return paramErrorf(p, "a transfer's 'from' and 'to' must differ")
	case r.From.Type == PlaceGroup && r.To.Type == PlaceGroup:
		return paramErrorf(p, "Group to Group Transfers are not permitted.")
	case r.IgnoreAvailabilityCheck && r.From.Type == PlaceLocation && r.To.Type == PlaceGroup:
		return paramErrorf(p, "Forcing a reservation cannot be done from a location to a group")
	case aon && !(r.From.Type == PlaceGroup && r.To.Type == PlaceLocation):
		return paramErrorf(p, "All or nothing transfers are only allowed from Group to Location transfer types")
	}
	return nil
}

func validateRecordCount(n int) error {
	if n == 0 {
		return paramErrorf("records", "'records' must not be empty")
	}
	if n > MaxBatchRecords {
		return paramErrorf("records", "'records' may have at most %d entries, not %d", MaxBatchRecords, n)
	}
	return nil
}

// validateRecordKey checks a record's id, sku and quantity and that (id,
// sku) is not repeated within the request.
func validateRecordKey(p, id, sku string, q Qty, seen map[string]bool) error {
	if id == "" || len(id) > 256 {
		return &Error{Code: MissingParameter, Parameter: p + ".id", Message: fmt.Sprintf("'%s.id' is required (1 to 256 characters)", p)}
	}
	if err := ValidateSKU(p+".sku", sku); err != nil {
		return err
	}
	if err := ValidateQty(p+".quantity", q); err != nil {
		return err
	}
	k := id + "\x00" + sku
	if seen[k] {
		return paramErrorf(p+".id", "record id '%s' with sku '%s' appears twice in the request", clip(id), clip(sku))
	}
	seen[k] = true
	return nil
}
