package ocapi

import (
	"net/http"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/proxy/inventory"
)

// baseURL is scheme://host of the request, for links.
func baseURL(ctx *fasthttp.RequestCtx) string {
	scheme := "http://"
	if ctx.IsTLS() {
		scheme = "https://"
	}
	return scheme + string(ctx.Host())
}

func (h *Handler) serveCollection(ctx *fasthttp.RequestCtx, rt route) {
	if !ctx.IsGet() {
		h.fault(ctx, rt, inventory.Errorf(EMETHOD, "%s is not allowed here; use GET", ctx.Method()))
		return
	}
	p, err := parsePaging(ctx.QueryArgs())
	if err != nil {
		h.fault(ctx, rt, err)
		return
	}
	docs, total, err := h.page(rt, p, baseURL(ctx))
	if err != nil {
		h.fault(ctx, rt, err)
		return
	}
	d := collectionDoc{V: rt.version, Type: "product_inventory_records", Count: len(docs), Data: docs,
		Select: p.selectRaw, Start: p.start, Total: total}
	d.links(collectionLink(baseURL(ctx), rt), p)
	writeSelected(ctx, http.StatusOK, d, p.sel)
}

// page returns one page of documents, from the edge's records or, in OCI
// mode, from the OCI cache.
func (h *Handler) page(rt route, p paging, base string) ([]recordDoc, int, error) {
	if h.cfg.ReadsFromOCI() {
		return h.ociPage(rt, p, base)
	}
	recs, total, err := h.store.Page(rt.list, p.start, p.count)
	if err != nil {
		return nil, 0, err
	}
	docs := make([]recordDoc, len(recs))
	for i := range recs {
		docs[i] = newRecordDoc(recs[i].Document(), recordLink(base, rt, recs[i].ProductID))
	}
	return docs, total, nil
}

func (h *Handler) ociPage(rt route, p paging, base string) ([]recordDoc, int, error) {
	if _, ok := h.store.List(rt.list); !ok {
		return nil, 0, inventory.Errorf(inventory.ELISTNOTFOUND, "inventory list %q does not exist", rt.list)
	}
	var ids []string
	var total int
	if l, ok := h.cfg.OCI.(OCILister); ok {
		ids, total = l.ProductIDs(rt.list, p.start, p.count)
	} else {
		var err error
		if ids, total, err = h.store.PageIDs(rt.list, p.start, p.count); err != nil {
			return nil, 0, err
		}
	}
	docs := make([]recordDoc, 0, len(ids))
	for _, id := range ids {
		if v, ok := h.cfg.OCI.Lookup(rt.list, id); ok {
			docs = append(docs, newRecordDoc(inventory.FromOCI(rt.list, id, v), recordLink(base, rt, id)))
		}
	}
	return docs, total, nil
}

func (h *Handler) serveRecord(ctx *fasthttp.RequestCtx, rt route) {
	switch {
	case ctx.IsGet():
		h.getRecord(ctx, rt)
	case ctx.IsPut(), ctx.IsPatch():
		h.writeRecord(ctx, rt)
	case ctx.IsDelete():
		h.deleteRecord(ctx, rt)
	default:
		h.fault(ctx, rt, inventory.Errorf(EMETHOD, "%s is not allowed here", ctx.Method()))
	}
}

func (h *Handler) getRecord(ctx *fasthttp.RequestCtx, rt route) {
	d, err := h.document(rt)
	if err != nil {
		h.fault(ctx, rt, err)
		return
	}
	h.writeDoc(ctx, http.StatusOK, rt, d)
}

// document reads one record, from the OCI cache in OCI mode.
func (h *Handler) document(rt route) (inventory.Document, error) {
	if !h.cfg.ReadsFromOCI() {
		r, err := h.store.Get(rt.list, rt.product)
		return r.Document(), err
	}
	if _, ok := h.store.List(rt.list); !ok {
		return inventory.Document{}, inventory.Errorf(inventory.ELISTNOTFOUND, "inventory list %q does not exist", rt.list)
	}
	v, ok := h.cfg.OCI.Lookup(rt.list, rt.product)
	if !ok {
		return inventory.Document{}, inventory.Errorf(inventory.ERECORDNOTFOUND,
			"no inventory record for product %q in list %q", rt.product, rt.list)
	}
	return inventory.FromOCI(rt.list, rt.product, v), nil
}

func (h *Handler) writeDoc(ctx *fasthttp.RequestCtx, status int, rt route, d inventory.Document) {
	doc := newRecordDoc(d, recordLink(baseURL(ctx), rt, d.ProductID))
	doc.V = rt.version
	writeJSON(ctx, status, doc)
}

func (h *Handler) writeRecord(ctx *fasthttp.RequestCtx, rt route) {
	patch := ctx.IsPatch()
	c, err := h.decodeBody(ctx, rt, patch)
	if err == nil && patch {
		var r inventory.Record
		if r, err = h.store.UpdateRecord(rt.list, c); err == nil {
			h.writeDoc(ctx, http.StatusOK, rt, r.Document())
		}
	} else if err == nil {
		var r inventory.Record
		var created bool
		if r, created, err = h.store.PutRecord(rt.list, c); err == nil {
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			h.writeDoc(ctx, status, rt, r.Document())
		}
	}
	if err != nil {
		h.writeFailed(ctx, rt, err)
	}
}

func (h *Handler) decodeBody(ctx *fasthttp.RequestCtx, rt route, patch bool) (inventory.RecordChange, error) {
	if mt := mediaType(ctx); mt != "" && mt != "application/json" {
		return inventory.RecordChange{}, inventory.Errorf(EMEDIATYPE, "Content-Type must be application/json, not %q", mt)
	}
	body, err := readBody(ctx, h.cfg.MaxDocumentBytes)
	if err != nil {
		return inventory.RecordChange{}, err
	}
	return decodeRecord(body, rt, patch)
}

func (h *Handler) deleteRecord(ctx *fasthttp.RequestCtx, rt route) {
	if err := h.store.DeleteRecord(rt.list, rt.product); err != nil {
		h.writeFailed(ctx, rt, err)
		return
	}
	ctx.SetStatusCode(http.StatusNoContent)
}

// writeFailed answers a failed write, logging refusals in OCI mode.
func (h *Handler) writeFailed(ctx *fasthttp.RequestCtx, rt route, err error) {
	if inventory.ErrorCode(err) == inventory.EREADONLY {
		h.warn("OCAPI inventory record write refused: "+inventory.ReadOnlyMessage,
			zap.ByteString("method", ctx.Method()), zap.String("inventoryListId", rt.list))
	}
	h.fault(ctx, rt, err)
}
