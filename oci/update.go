package oci

import (
	"fmt"
	"time"
)

// Field is an optional value in an update: Set false leaves the stored
// value alone; Set with the zero V clears it.
type Field[T any] struct {
	Set bool
	V   T
}

// Value returns a set field.
func Value[T any](v T) Field[T] { return Field[T]{Set: true, V: v} }

// RecordUpdate is a write to the availability record of one sku at one
// location. Which fields are Set decides the semantics: batch-update and
// imports set what the request included (an included empty value clears
// it), a single-record PUT sets everything (replace), PATCH only what is
// non-null.
type RecordUpdate struct {
	ID            string // idempotency id: batch `id`, `requestId`, import `recordId`
	ExternalRefID string
	Location      string
	SKU           string
	OnHand        Field[Qty]
	SafetyStock   Field[Qty]
	EffectiveDate Field[time.Time]
	Futures       Field[[]Future]
}

// MaxFutures bounds the futures of one record.
const MaxFutures = 100

// validate checks the record's own fields. Futures need a positive quantity
// and an expectedDate after now.
func (u *RecordUpdate) validate(p string, now time.Time) error {
	if err := ValidatePlaceID(p+"location", u.Location); err != nil {
		return err
	}
	if err := ValidateSKU(p+"sku", u.SKU); err != nil {
		return err
	}
	if err := ValidateNonNegative(p+"onHand", u.OnHand.V); err != nil {
		return err
	}
	if err := ValidateNonNegative(p+"safetyStockCount", u.SafetyStock.V); err != nil {
		return err
	}
	if u.EffectiveDate.Set && !u.EffectiveDate.V.IsZero() {
		if err := ValidateTime(p+"effectiveDate", u.EffectiveDate.V); err != nil {
			return err
		}
	}
	if len(u.Futures.V) > MaxFutures {
		return paramErrorf(p+"futures", "a record may have at most %d futures", MaxFutures)
	}
	for i, f := range u.Futures.V {
		fp := fmt.Sprintf("%sfutures[%d]", p, i)
		if err := ValidateQty(fp+".quantity", f.Quantity); err != nil {
			return err
		}
		if f.ExpectedDate.IsZero() {
			return &Error{Code: MissingParameter, Parameter: fp + ".expectedDate", Message: fmt.Sprintf("'%s.expectedDate' is required", fp)}
		}
		if err := ValidateTime(fp+".expectedDate", f.ExpectedDate); err != nil {
			return err
		}
		if !f.ExpectedDate.After(now) {
			return paramErrorf(fp+".expectedDate", "'%s.expectedDate' %s must be in the future", fp, f.ExpectedDate.Format(time.RFC3339))
		}
	}
	return nil
}

func (u *RecordUpdate) hash() uint64 {
	return contentHash(struct {
		L, S, X string
		O, SS   Field[Qty]
		E       Field[time.Time]
		F       Field[[]Future]
	}{u.Location, u.SKU, u.ExternalRefID, u.OnHand, u.SafetyStock, u.EffectiveDate, u.Futures})
}

// applyUpdate writes u into the record at location l. It returns false,
// changing nothing, when u's effectiveDate is older than the stored one: an
// update never overwrites newer data.
func (c *Core) applyUpdate(tx *txn, l placeIdx, u *RecordUpdate) bool {
	s := c.skus.getOrCreate(u.SKU)
	r := s.locOrCreate(l)
	if u.EffectiveDate.Set && r.exists && r.effective != 0 && u.EffectiveDate.V.UnixNano() < r.effective {
		s.dropEmpty(l)
		return false
	}
	r.exists = true
	if u.OnHand.Set {
		r.onHand = u.OnHand.V
	}
	if u.SafetyStock.Set {
		r.safety = u.SafetyStock.V
	}
	if u.EffectiveDate.Set {
		r.effective = 0
		if !u.EffectiveDate.V.IsZero() {
			r.effective = u.EffectiveDate.V.UnixNano()
		}
	}
	if u.Futures.Set {
		r.futures = append([]Future(nil), u.Futures.V...)
		sortFutures(r.futures)
	}
	tx.touchRecord(s, l)
	return true
}

// BatchUpdate applies up to 100 record updates (reference §3 A2). Invalid
// records or unknown locations fail the whole request and nothing is
// applied; a record whose (id, sku) was applied before is replayed, or
// reported EntityAlreadyExists when its content differs.
func (c *Core) BatchUpdate(us []RecordUpdate) ([]RecordError, error) {
	if err := c.validateBatch(us); err != nil {
		c.m.recordUpdates("invalid", len(us))
		return nil, err
	}
	var errs []RecordError
	err := c.write(func(tx *txn) error {
		locs := make([]placeIdx, len(us))
		for i := range us {
			l, err := c.graph.resolve(&c.in, Loc(us[i].Location))
			if err != nil {
				err.(*Error).Parameter = fmt.Sprintf("records[%d].location", i)
				return err
			}
			locs[i] = l
		}
		for i := range us {
			if code := c.updateOne(tx, "update", locs[i], &us[i]); code != "" {
				errs = append(errs, recordError(i, code))
			}
		}
		return nil
	})
	c.m.recordUpdates("applied", len(us)-len(errs))
	c.m.recordUpdates("conflict", len(errs))
	return errs, err
}

func (c *Core) updateOne(tx *txn, op string, l placeIdx, u *RecordUpdate) Code {
	h := u.hash()
	if replay, code, conflict := c.idempotent(op, u.ID, u.SKU, h); conflict {
		return EntityAlreadyExists
	} else if replay {
		return code
	}
	c.applyUpdate(tx, l, u)
	c.remember(tx, op, u.ID, u.SKU, h, "")
	return ""
}

func (c *Core) validateBatch(us []RecordUpdate) error {
	if err := validateRecordCount(len(us)); err != nil {
		return err
	}
	now := c.now()
	seen := map[string]bool{}
	for i := range us {
		p := fmt.Sprintf("records[%d].", i)
		if us[i].ID == "" || len(us[i].ID) > 256 {
			return &Error{Code: MissingParameter, Parameter: p + "id", Message: fmt.Sprintf("'%sid' is required (1 to 256 characters)", p)}
		}
		if err := us[i].validate(p, now); err != nil {
			return err
		}
		k := us[i].ID + "\x00" + us[i].SKU
		if seen[k] {
			return paramErrorf(p+"id", "record id '%s' with sku '%s' appears twice in the request", clip(us[i].ID), clip(us[i].SKU))
		}
		seen[k] = true
	}
	return nil
}

// SingleOp is a single location-sku write (reference §3 A4–A6).
type SingleOp int

// The single-record operations.
const (
	SinglePut    SingleOp = iota + 1 // replace: every field not given becomes zero
	SinglePatch                      // only the given fields change; the record must exist
	SingleDelete                     // reset the record and drop it from group views
)

// WriteRecord applies a single-record PUT, PATCH or DELETE identified by
// its requestId. A repeated requestId with the same content is a no-op; with
// different content it is EntityAlreadyExists (409).
func (c *Core) WriteRecord(op SingleOp, u *RecordUpdate) error {
	if err := c.validateSingle(op, u); err != nil {
		return err
	}
	if op == SinglePut {
		u.OnHand.Set, u.SafetyStock.Set, u.EffectiveDate.Set, u.Futures.Set = true, true, true, true
	}
	opName := fmt.Sprintf("single%d", op)
	err := c.write(func(tx *txn) error {
		l, err := c.graph.resolve(&c.in, Loc(u.Location))
		if err != nil {
			return err
		}
		h := u.hash()
		if replay, code, conflict := c.idempotent(opName, u.ID, u.SKU, h); conflict {
			return errorf(EntityAlreadyExists, "requestId %s was already used for a different update", clip(u.ID))
		} else if replay {
			if code != "" {
				return errorf(code, "replayed request %s", clip(u.ID))
			}
			return nil
		}
		err = c.applySingle(tx, op, l, u)
		c.remember(tx, opName, u.ID, u.SKU, h, ErrorCode(err))
		return err
	})
	c.m.recordUpdates(map[bool]string{true: "applied", false: "failed"}[err == nil], 1)
	return err
}

func (c *Core) applySingle(tx *txn, op SingleOp, l placeIdx, u *RecordUpdate) error {
	s := c.skus.get(u.SKU)
	var r *locRecord
	if s != nil {
		r = s.loc(l)
	}
	exists := r != nil && r.exists
	if op != SinglePut && !exists {
		return errorf(EntityNotFound, "The Location SKU provided was not found in the system.")
	}
	if op == SingleDelete {
		*r = locRecord{place: r.place, reserved: r.reserved}
		tx.touchRecord(s, l)
		s.dropEmpty(l)
		return nil
	}
	c.applyUpdate(tx, l, u)
	return nil
}

func (c *Core) validateSingle(op SingleOp, u *RecordUpdate) error {
	if u.ID == "" || len(u.ID) > 256 {
		return &Error{Code: MissingParameter, Parameter: "requestId", Message: "'requestId' is required (1 to 256 characters)"}
	}
	if op == SingleDelete {
		if err := ValidatePlaceID("locationId", u.Location); err != nil {
			return err
		}
		return ValidateSKU("sku", u.SKU)
	}
	return u.validate("", c.now())
}
