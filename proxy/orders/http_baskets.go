package orders

import (
	"context"
	"fmt"

	"github.com/valyala/fasthttp"
)

func (h *Handler) createBasket(r *request) {
	var in struct {
		ProductItems []itemJSON `json:"productItems"`
	}
	if err := h.decodeBody(r.ctx, &in, false); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	items, err := h.itemInputs("productItems", in.ProductItems)
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	b, err := h.s.CreateBasket(r.site, items)
	h.basketAnswer(r, b, nil, err)
}

// itemInputs converts request items, refusing more than a basket can hold.
func (h *Handler) itemInputs(field string, in []itemJSON) ([]ItemInput, error) {
	if len(in) > h.s.cfg.MaxItems {
		return nil, invalid(field, "a basket may have at most %d product items", h.s.cfg.MaxItems)
	}
	out := make([]ItemInput, len(in))
	for i := range in {
		var err error
		if out[i], err = in[i].input(fmt.Sprintf("%s[%d].", field, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (h *Handler) basketAnswer(r *request, b *Basket, removed []string, err error) {
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	writeJSON(r.ctx, fasthttp.StatusOK, h.basketJSON(b, removed))
}

func (h *Handler) getBasket(r *request) {
	b, err := h.s.Basket(r.site, r.segs[1])
	h.basketAnswer(r, b, nil, err)
}

func (h *Handler) deleteBasket(ctx context.Context, r *request) {
	if err := h.s.DeleteBasket(ctx, r.site, r.segs[1]); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	r.ctx.SetStatusCode(fasthttp.StatusNoContent)
}

func (h *Handler) addItems(r *request) {
	var in []itemJSON
	if err := h.decodeBody(r.ctx, &in, true); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	items, err := h.itemInputs("body", in)
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	b, err := h.s.AddItems(r.site, r.segs[1], items)
	h.basketAnswer(r, b, nil, err)
}

func (h *Handler) updateItems(r *request) {
	var in []itemJSON
	if err := h.decodeBody(r.ctx, &in, true); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	if len(in) > h.s.cfg.MaxItems {
		writeProblem(r.ctx, invalid("body", "at most %d product items can be updated at once", h.s.cfg.MaxItems))
		return
	}
	ups := make([]ItemUpdate, len(in))
	for i := range in {
		p := fmt.Sprintf("[%d].", i)
		if in[i].ItemID == nil {
			writeProblem(r.ctx, invalid(p+"itemId", "is required"))
			return
		}
		var err error
		if ups[i], err = in[i].update(p, *in[i].ItemID); err != nil {
			writeProblem(r.ctx, err)
			return
		}
	}
	b, err := h.s.UpdateItems(r.site, r.segs[1], ups)
	h.basketAnswer(r, b, nil, err)
}

func (h *Handler) updateItem(r *request) {
	var in itemJSON
	if err := h.decodeBody(r.ctx, &in, true); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	u, err := in.update("", r.segs[3])
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	b, err := h.s.UpdateItems(r.site, r.segs[1], []ItemUpdate{u})
	h.basketAnswer(r, b, nil, err)
}

func (h *Handler) removeItem(r *request) {
	b, err := h.s.RemoveItem(r.site, r.segs[1], r.segs[3])
	h.basketAnswer(r, b, nil, err)
}

func (h *Handler) reserveBasket(ctx context.Context, r *request) {
	var in struct {
		Minutes              wholeNumber `json:"minutes"`
		RemoveIfNotAvailable *bool       `json:"removeIfNotAvailable"`
	}
	if err := h.decodeBody(r.ctx, &in, false); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	minutes, err := in.Minutes.check("minutes", 0, true)
	if err == nil && in.Minutes.set && minutes < 1 {
		err = invalid("minutes", "must be a whole number of minutes from 1 to %d", int(h.s.ix.maxMin.Minutes()))
	}
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	opt := ReserveOptions{Minutes: int(minutes), RemoveIfNotAvailable: in.RemoveIfNotAvailable != nil && *in.RemoveIfNotAvailable}
	b, removed, err := h.s.ReserveBasket(ctx, r.site, r.segs[1], opt)
	h.basketAnswer(r, b, removed, err)
}
