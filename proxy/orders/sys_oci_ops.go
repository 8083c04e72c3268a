package orders

import (
	"context"
	"errors"
	"slices"

	"ociedge/oci"
)

// errFresh says a document cannot be used (gone, or the change needs too
// many lines): start a fresh one.
var errFresh = errors.New("use a fresh reservation document")

// maxRemoveRounds bounds how often a basket reservation with
// removeIfNotAvailable drops what is short and tries again.
const maxRemoveRounds = 3

func (x *ociSystem) reserveBasket(ctx context.Context, op *basketOp) error {
	if op.b.Res != nil {
		err := x.patchBasket(ctx, op)
		if !errors.Is(err, errFresh) {
			return err
		}
		op.b.Res = nil
	}
	return x.putBasket(ctx, op)
}

// patchBasket replaces the basket document's lines in one atomic PATCH.
func (x *ociSystem) patchBasket(ctx context.Context, op *basketOp) error {
	res := op.b.Res
	if err := x.settlePut(ctx, op.b.ID, res); err != nil {
		return err
	}
	res.Touched = unionLines(res.Touched, op.lines)
	if err := op.save(); err != nil {
		return err
	}
	for round := 0; ; round++ {
		set := append(slices.Clone(op.lines), zeroLines(res.Touched, op.lines)...)
		if len(op.lines) == 0 || len(set) > x.s.cfg.CoreMaxLines {
			if err := x.core.cancel(ctx, res.DocID); err != nil {
				return err
			}
			return errFresh
		}
		u := &oci.ReservationUpdate{SetExpiration: true, ExpirationSeconds: &op.secs}
		u.Locations, u.Groups = placeLines(set)
		r, err := x.core.update(ctx, res.DocID, u)
		switch {
		case gone(err):
			return errFresh
		case err != nil:
			return coreAnswer(err)
		case r.Success:
			res.Lines, res.Touched, res.Expires = op.lines, op.lines, op.expires
			return nil
		}
		bad := failedLines(set, r)
		if !op.remove || round+1 >= maxRemoveRounds {
			return unavailable(skusOf(bad))
		}
		removeLines(op, bad)
	}
}

// settlePut replays a basket document's PUT whose answer was lost.
func (x *ociSystem) settlePut(ctx context.Context, basketID string, res *BasketRes) error {
	if res.PendingPut == nil {
		return nil
	}
	_, err := x.core.reserve(ctx, res.DocID, putRequest(basketID, res.PendingPut.Lines, res.PendingPut.Secs))
	if ErrorCode(err) == EUNREACHABLE {
		return err
	}
	res.PendingPut = nil
	return nil
}

// putBasket reserves the basket's lines in a fresh document.
func (x *ociSystem) putBasket(ctx context.Context, op *basketOp) error {
	if len(op.lines) == 0 {
		return nil
	}
	op.b.Gens++
	res := &BasketRes{System: SystemOCI, DocID: x.s.basketDocID(op.b.ID, op.b.Gens), Touched: op.lines,
		Expires: op.expires, PendingPut: &putIntent{Lines: op.lines, Secs: op.secs}}
	op.b.Res = res
	if err := op.save(); err != nil {
		return err
	}
	r, err := x.core.reserve(ctx, res.DocID, putRequest(op.b.ID, op.lines, op.secs))
	if ErrorCode(err) == EUNREACHABLE {
		return err // PendingPut stays: replayed before the document is used again
	}
	res.PendingPut = nil
	switch {
	case err != nil:
		op.b.Res = nil // a refused request creates no document
		return coreAnswer(err)
	case r.Success:
		res.Lines = op.lines
		return nil
	}
	bad := failedLines(op.lines, r)
	if op.remove {
		removeLines(op, bad) // a line is reserved in full or not at all
		res.Lines = op.lines
		if len(op.lines) > 0 {
			return nil
		}
	}
	if err := x.core.cancel(ctx, res.DocID); err != nil {
		res.Lines = minusLines(op.lines, bad) // what the document may still hold
		if op.remove {
			return nil
		}
		return unavailable(skusOf(bad))
	}
	op.b.Res = nil
	if op.remove {
		return nil
	}
	return unavailable(skusOf(bad))
}

func removeLines(op *basketOp, bad []Line) {
	for _, list := range listsOf(bad) {
		op.removeProducts(list, skusOf(linesOfList(bad, list)))
	}
}

// minusLines returns the lines of a whose key is not in b.
func minusLines(a, b []Line) []Line {
	in := make(map[string]bool, len(b))
	for _, l := range b {
		in[l.key()] = true
	}
	var out []Line
	for _, l := range a {
		if !in[l.key()] {
			out = append(out, l)
		}
	}
	return out
}

func (x *ociSystem) prepareOrder(op *orderOp) {
	o := op.o
	o.Res.System = SystemOCI
	if p := op.prev; p != nil && p.System == SystemOCI && p.PendingPut == nil {
		zero := zeroLines(p.Touched, o.Res.Lines)
		if len(o.Res.Lines)+len(zero) <= x.s.cfg.CoreMaxLines {
			o.Res.DocID, o.Res.FromBasket, o.Res.Zero = p.DocID, true, zero
			return
		}
	}
	o.Res.DocID = x.s.orderDocID(o.No, o.Res.Gen)
}

func (x *ociSystem) reserveOrder(ctx context.Context, op *orderOp) error {
	o := op.o
	if o.Res.FromBasket {
		err := x.convert(ctx, o)
		if !errors.Is(err, errFresh) {
			return err
		}
		o.Res.FromBasket, o.Res.Zero, o.Res.DocID = false, nil, x.s.orderDocID(o.No, o.Res.Gen)
		if err := op.save(); err != nil {
			return err
		}
	}
	r, err := x.core.reserve(ctx, o.Res.DocID, putRequest(o.No, o.Res.Lines, 0))
	switch {
	case err != nil:
		return coreAnswer(err)
	case r.Success:
		return nil
	}
	bad := failedLines(o.Res.Lines, r)
	if err := x.core.cancel(ctx, o.Res.DocID); err != nil {
		op.dirty = true
	}
	return unavailable(skusOf(bad))
}

// convert turns the basket's document into the order's in one atomic
// PATCH: the order's external reference, no expiry, the order's lines, 0
// for the basket's other lines. A refusal leaves the document unchanged.
func (x *ociSystem) convert(ctx context.Context, o *Order) error {
	u := &oci.ReservationUpdate{ExternalRefID: &o.No, SetExpiration: true}
	u.Locations, u.Groups = placeLines(append(slices.Clone(o.Res.Lines), o.Res.Zero...))
	r, err := x.core.update(ctx, o.Res.DocID, u)
	switch {
	case gone(err):
		return errFresh
	case err != nil:
		return coreAnswer(err)
	case r.Success:
		return nil
	}
	return unavailable(skusOf(failedLines(o.Res.Lines, r)))
}
