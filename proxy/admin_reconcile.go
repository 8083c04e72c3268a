package proxy

import (
	"context"
	"errors"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/proxy/orders"
)

// reservationLister lists the core's reservation documents through the
// headless reservations export (oci/client does).
type reservationLister interface {
	ReservationsExport(ctx context.Context, status string, from time.Time, fn func(oci.ReservationView) error) error
}

var errNoLister = errors.New("the core client cannot list reservation documents")

// Reconcile lists the reservations the edge believes in and the core does
// not, and the reverse, and with repair fixes them (orders.Reconcile).
func (e *Edge) Reconcile(ctx context.Context, repair bool) (*orders.ReconcileReport, error) {
	lister, ok := e.core.(reservationLister)
	if !ok {
		return nil, errNoLister
	}
	open := map[string]oci.ReservationView{}
	err := lister.ReservationsExport(ctx, "open", time.Time{}, func(v oci.ReservationView) error {
		open[v.ReservationID] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return e.orders.Reconcile(ctx, open, repair)
}

// reconcileHandler serves GET /admin/api/oci/reconcile (report) and
// POST /admin/api/oci/reconcile?repair=true (report and repair).
func (e *Edge) reconcileHandler(ctx *fasthttp.RequestCtx) {
	repair := ctx.IsPost() && string(ctx.QueryArgs().Peek("repair")) == "true"
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := e.Reconcile(c, repair)
	if err != nil {
		e.scapiError(ctx, fasthttp.StatusBadGateway, "core-unavailable", "Reconciliation could not list the core's reservations: "+err.Error())
		return
	}
	writeJSONValue(ctx, fasthttp.StatusOK, rep)
}
