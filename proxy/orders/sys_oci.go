package orders

import (
	"context"
	"fmt"

	"ociedge/oci"
)

// ociSystem reserves at the OCI core: one reservation document per basket
// reservation and per order reservation.
type ociSystem struct {
	s    *Service
	core *coreCaller
}

var _ system = (*ociSystem)(nil)

func (x *ociSystem) name() System { return SystemOCI }

func (x *ociSystem) ready() error {
	if x.core.core == nil {
		return unreachable(SystemOCI, errNoCore)
	}
	return nil
}

func (x *ociSystem) lines(site siteInfo, items []Item) ([]Line, error) {
	return buildLines(site.list, items, func(list string) (Line, error) {
		if x.s.cfg.Place == nil {
			return Line{}, unreachable(SystemOCI, fmt.Errorf("the edge cannot map inventory lists to the core's graph"))
		}
		p, ok := x.s.cfg.Place(list)
		if !ok {
			return Line{}, unreachable(SystemOCI, fmt.Errorf("inventory list %q is not (yet) a location or group of the core's graph", list))
		}
		return Line{PlaceType: p.Type.String(), PlaceID: p.ID}, nil
	})
}

// placeLines groups lines by place for a request.
func placeLines(ls []Line) (locs, groups []oci.PlaceLines) {
	at := map[oci.Place]int{}
	for _, l := range ls {
		p := l.place()
		list := &locs
		if p.Type == oci.PlaceGroup {
			list = &groups
		}
		i, ok := at[p]
		if !ok {
			i = len(*list)
			at[p] = i
			*list = append(*list, oci.PlaceLines{ID: p.ID})
		}
		(*list)[i].Lines = append((*list)[i].Lines, oci.Line{SKU: l.SKU, Quantity: oci.Qty(l.Quantity) * oci.Unit})
	}
	return locs, groups
}

// putRequest is the document PUT for lines: all or nothing per line, never
// partial, expiring after secs (0: never).
func putRequest(ref string, ls []Line, secs int) *oci.ReserveRequest {
	no := false
	req := &oci.ReserveRequest{ExternalRefID: ref, AllowPartial: &no}
	if secs > 0 {
		req.ExpirationSeconds = &secs
	}
	req.Locations, req.Groups = placeLines(ls)
	return req
}

// failedLines returns the lines a result reports as not reserved.
func failedLines(ls []Line, res *oci.ReserveResult) []Line {
	bad := map[string]bool{}
	for _, ps := range [][]oci.PlaceResult{res.Locations, res.Groups} {
		for _, p := range ps {
			for _, e := range p.Errors {
				bad[p.ID+"\x00"+e.SKU] = true
			}
		}
	}
	var out []Line
	for _, l := range ls {
		if bad[l.PlaceID+"\x00"+l.SKU] {
			out = append(out, l)
		}
	}
	if len(out) == 0 && !res.Success {
		out = ls // a refusal without per-line errors: blame every line
	}
	return out
}

func skusOf(ls []Line) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.SKU
	}
	return out
}

// coreAnswer maps an answer that is an OCI error (not a missed call) to
// the service's errors: a bad request is the edge's bug or bad data.
func coreAnswer(err error) error {
	if err == nil || ErrorCode(err) == EUNREACHABLE {
		return err
	}
	switch oci.ErrorCode(err) {
	case oci.InsufficientQuantity:
		return &Error{Code: EUNAVAILABLE, Message: "product item is not available", Err: err}
	case oci.LocationDoesNotExist, oci.GroupDoesNotExist:
		return &Error{Code: EUNREACHABLE, Message: "an inventory list's place is unknown to the core (graph changing?)", Err: err}
	}
	return &Error{Code: EINVALID, Message: "the core refused the reservation", Err: err}
}

func (x *ociSystem) releaseBasket(ctx context.Context, basketID string, res *BasketRes) error {
	if res.PendingPut != nil {
		if _, err := x.core.reserve(ctx, res.DocID, putRequest(basketID, res.PendingPut.Lines, res.PendingPut.Secs)); err != nil && !gone(err) && ErrorCode(err) == EUNREACHABLE {
			return err
		}
	}
	return x.core.cancel(ctx, res.DocID)
}

func (x *ociSystem) releaseOrder(ctx context.Context, o *Order) error {
	return x.core.cancel(ctx, o.Res.DocID)
}

func (x *ociSystem) rollbackOrder(ctx context.Context, o *Order) error {
	if !o.Res.FromBasket {
		// Replay the PUT so that one still in flight replays instead of
		// creating the document after the cancel.
		_, err := x.core.reserve(ctx, o.Res.DocID, putRequest(o.No, o.Res.Lines, 0))
		if ErrorCode(err) == EUNREACHABLE {
			return err
		}
	}
	return x.core.cancel(ctx, o.Res.DocID)
}
