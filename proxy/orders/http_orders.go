package orders

import (
	"context"

	"github.com/valyala/fasthttp"
)

func (h *Handler) createOrder(ctx context.Context, r *request) {
	var in struct {
		BasketID *string `json:"basketId"`
	}
	if err := h.decodeBody(r.ctx, &in, true); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	if in.BasketID == nil || *in.BasketID == "" {
		writeProblem(r.ctx, invalid("basketId", "the basket ID is required"))
		return
	}
	o, err := h.s.CreateOrder(ctx, r.site, *in.BasketID)
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	writeJSON(r.ctx, fasthttp.StatusOK, orderJSON(o))
}

func (h *Handler) getOrder(r *request) {
	o, err := h.s.Order(r.site, r.segs[1])
	if err != nil {
		writeProblem(r.ctx, err)
		return
	}
	writeJSON(r.ctx, fasthttp.StatusOK, orderJSON(o))
}

// failOrder is Shopper Orders' fail action: created -> failed. The body's
// reasonCode and the reopenBasket parameter are accepted and ignored (the
// basket became the order and is not reopened), so the answer is 204.
func (h *Handler) failOrder(ctx context.Context, r *request) {
	var in struct {
		ReasonCode *string `json:"reasonCode"`
	}
	if err := h.decodeBody(r.ctx, &in, false); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	h.statusAnswer(ctx, r, StatusFailed)
}

// setStatus is Orders v1 PUT status. failed_with_reopen fails the order;
// the basket is not reopened, so the answer is 204 without Location.
func (h *Handler) setStatus(ctx context.Context, r *request) {
	var in struct {
		Status *string `json:"status"`
	}
	if err := h.decodeBody(r.ctx, &in, true); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	if in.Status == nil {
		writeProblem(r.ctx, invalid("status", "is required"))
		return
	}
	to := Status(*in.Status)
	if *in.Status == "failed_with_reopen" {
		to = StatusFailed
	}
	if !to.Valid() {
		writeProblem(r.ctx, invalid("status", "must be one of created, new, completed, cancelled, failed, failed_with_reopen"))
		return
	}
	h.statusAnswer(ctx, r, to)
}

func (h *Handler) statusAnswer(ctx context.Context, r *request, to Status) {
	if _, err := h.s.SetStatus(ctx, r.site, r.segs[1], to); err != nil {
		writeProblem(r.ctx, err)
		return
	}
	r.ctx.SetStatusCode(fasthttp.StatusNoContent)
}
