package client

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

func reserveAt(place string, group bool, sku, qty string) *oci.ReserveRequest {
	pl := []oci.PlaceLines{{ID: place, Lines: []oci.Line{{SKU: sku, Quantity: q(qty)}}}}
	if group {
		return &oci.ReserveRequest{Groups: pl}
	}
	return &oci.ReserveRequest{Locations: pl}
}

func reservedAt(t *testing.T, c *Client, q *oci.AvailabilityQuery) oci.Qty {
	t.Helper()
	a, err := c.GetAvailability(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Groups) > 0 {
		return a.Groups[0].Records[0].Reserved
	}
	return a.Locations[0].Records[0].Reserved
}

var skuAtOnline = &oci.AvailabilityQuery{SKUs: []string{"sku-1"}, Groups: []string{"online"}}

func TestReservationLifecycle(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	res, err := c.Reserve(ctx, "r-1", reserveAt("online", true, "sku-1", "2.5"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Success || len(res.Groups) != 1 || res.Groups[0].Details[0].Quantity != q("2.5") {
		t.Fatalf("reserve %+v", res)
	}
	if got := reservedAt(t, c, skuAtOnline); got != q("2.5") {
		t.Fatalf("online reserved %v", got)
	}
	ref, secs := "order-1", 600
	up, err := c.UpdateReservation(ctx, "r-1", &oci.ReservationUpdate{ExternalRefID: &ref, SetExpiration: true, ExpirationSeconds: &secs,
		Groups: []oci.PlaceLines{{ID: "online", Lines: []oci.Line{{SKU: "sku-1", Quantity: q("3.75")}}}}})
	if err != nil || !up.Success || up.ExpirationTime == nil || !up.ExpirationTime.Equal(k.clock.Now().Add(10*time.Minute)) {
		t.Fatalf("update %+v %v", up, err)
	}
	v, err := c.Reservation(ctx, "r-1")
	if err != nil || v.State != oci.StateOpen || v.ExternalRefID != "order-1" || v.Groups[0].Items[0].Quantity != q("3.75") {
		t.Fatalf("view %+v %v", v, err)
	}
	if _, err := c.UpdateReservation(ctx, "r-1", &oci.ReservationUpdate{SetExpiration: true}); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Reservation(ctx, "r-1"); v.ExpirationTime != nil {
		t.Fatalf("expiration %v after null: want none", v.ExpirationTime)
	}
	if err := c.CancelReservation(ctx, "r-1"); err != nil {
		t.Fatal(err)
	}
	if v, _ := c.Reservation(ctx, "r-1"); v.State != oci.StateCancelled || reservedAt(t, c, skuAtOnline) != 0 {
		t.Fatalf("after cancel: %+v", v)
	}
	err = c.CancelReservation(ctx, "r-1")
	if ae := (*APIError)(nil); !errors.As(err, &ae) || ae.Status != 409 || oci.ErrorCode(err) != oci.ReservationCancelled {
		t.Fatalf("second cancel: %v, want 409 ReservationCancelled", err)
	}
}

func TestReservationErrors(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	if _, err := c.Reserve(ctx, "r-1", reserveAt("wh-a", false, "sku-1", "1")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		call   func() error
		status int
		code   oci.Code
	}{
		{"same id, other body", func() error {
			_, err := c.Reserve(ctx, "r-1", reserveAt("wh-a", false, "sku-1", "2"))
			return err
		}, 409, oci.EntityExists},
		{"unknown group", func() error {
			_, err := c.Reserve(ctx, "r-2", reserveAt("nope", true, "sku-1", "1"))
			return err
		}, 400, oci.GroupDoesNotExist},
		{"missing document", func() error {
			_, err := c.Reservation(ctx, "missing")
			return err
		}, 404, oci.EntityNotFound},
		{"cancel a missing document", func() error { return c.CancelReservation(ctx, "missing") }, 404, oci.EntityNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != tc.status || oci.ErrorCode(err) != tc.code || Retryable(err) {
				t.Fatalf("err %v: want %d %s", err, tc.status, tc.code)
			}
		})
	}
}

func TestReleaseReportsRefusedRecords(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	if _, err := c.Reserve(ctx, "r-1", reserveAt("wh-a", false, "sku-1", "4")); err != nil {
		t.Fatal(err)
	}
	errs, err := c.Release(ctx, []ReleaseRecord{
		{ID: "rel-1", Place: oci.Loc("wh-a"), SKU: "sku-1", Quantity: q("1.5")},
		{ID: "rel-2", Place: oci.Loc("wh-b"), SKU: "sku-1", Quantity: q("1")}, // nothing held there
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Index != 1 || errs[0].Code != oci.InsufficientQuantity {
		t.Fatalf("record errors %+v", errs)
	}
	if got := reservedAt(t, c, skuAtWhA); got != q("2.5") {
		t.Fatalf("wh-a reserved %v, want 2.5", got)
	}
}

// lossyProxy forwards every request to the core but, for the first
// reservation PUT, lets the core commit and then resets the connection
// instead of answering.
func lossyProxy(t *testing.T, core string) (url string, puts *atomic.Int64) {
	hc := &fasthttp.HostClient{Addr: strings.TrimPrefix(core, "http://")}
	t.Cleanup(hc.CloseIdleConnections)
	puts = new(atomic.Int64)
	url = serve(t, func(ctx *fasthttp.RequestCtx) {
		if err := hc.Do(&ctx.Request, &ctx.Response); err != nil {
			ctx.Error(err.Error(), 502)
			return
		}
		if string(ctx.Method()) == "PUT" && has(string(ctx.Path()), "/reservation-documents/") && puts.Add(1) == 1 {
			resetConn(ctx)
		}
	}, make(chan struct{}))
	return url, puts
}

func TestRetryAfterALostAnswerDoesNotReserveTwice(t *testing.T) {
	k := startCore(t)
	direct := k.client(t)
	setup(t, k, direct)
	url, puts := lossyProxy(t, k.n.URL())
	c := mustClient(t, url, func(cfg *Config) { cfg.Now, cfg.After = k.clock.Now, k.clock.After })
	res, err := c.Reserve(context.Background(), "r-lost", reserveAt("wh-a", false, "sku-1", "3"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Success || res.Locations[0].Details[0].Quantity != q("3") {
		t.Fatalf("reserve %+v", res)
	}
	if puts.Load() != 2 || c.Stats().Retries != 1 {
		t.Fatalf("%d PUTs, stats %+v: want the lost one retried once", puts.Load(), c.Stats())
	}
	if got := reservedAt(t, direct, skuAtWhA); got != q("3") {
		t.Fatalf("wh-a reserved %v after a retried reservation of 3: reserved twice?", got)
	}
	if v, err := c.Reservation(context.Background(), "r-lost"); err != nil || v.Locations[0].Items[0].Quantity != q("3") {
		t.Fatalf("document %+v %v", v, err)
	}
}

func TestCancelRetriedAfterALostAnswerSucceeds(t *testing.T) {
	var patches atomic.Int64
	f := newFake(t, func(_ *fake, ctx *fasthttp.RequestCtx) {
		if patches.Add(1) == 1 {
			resetConn(ctx) // the core cancelled, the answer was lost
			return
		}
		problem(ctx, 409, "ReservationCancelled", "Reservation r-1 is cancelled.")
	})
	c := mustClient(t, f.url, func(cfg *Config) { cfg.After = newClock().After })
	if err := c.CancelReservation(context.Background(), "r-1"); err != nil {
		t.Fatalf("cancel: %v, want success: the lost attempt cancelled it", err)
	}
	if patches.Load() != 2 {
		t.Fatalf("%d PATCHes, want 2", patches.Load())
	}
}
