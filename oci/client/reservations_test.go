package client

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
)

// listReservations runs a reservations export and returns what it listed.
func listReservations(t *testing.T, c *Client, status string, from time.Time) []oci.ReservationView {
	t.Helper()
	var out []oci.ReservationView
	err := c.ReservationsExport(context.Background(), status, from, func(v oci.ReservationView) error {
		out = append(out, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// summary is "id state place:sku=qty …" for each document.
func summary(vs []oci.ReservationView) string {
	s := ""
	for _, v := range vs {
		s += fmt.Sprintf("[%s %s %s", v.ReservationID, v.State, v.ExternalRefID)
		for _, ps := range [][]oci.PlaceHolding{v.Groups, v.Locations} {
			for _, p := range ps {
				for _, it := range p.Items {
					s += fmt.Sprintf(" %s:%s=%s", p.ID, it.SKU, it.Quantity)
				}
			}
		}
		s += "]"
	}
	return s
}

func TestReservationsExport_OpenAndClosedSince(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	ctx := context.Background()
	mustReserve := func(id string, req *oci.ReserveRequest) {
		t.Helper()
		if _, err := c.Reserve(ctx, id, req); err != nil {
			t.Fatal(err)
		}
	}
	mustReserve("r-old", reserveAt("online", true, "sku-1", "1"))
	k.clock.Advance(time.Hour)
	since := k.clock.Now()
	withRef := reserveAt("online", true, "sku-1", "2.5")
	withRef.ExternalRefID = "order-1"
	mustReserve("r-1", withRef)
	mustReserve("r-2", reserveAt("store-1", false, "sku-1", "1"))
	if err := c.CancelReservation(ctx, "r-2"); err != nil {
		t.Fatal(err)
	}

	open := listReservations(t, c, "open", time.Time{})
	if got, want := summary(open), "[r-old OPEN  online:sku-1=1][r-1 OPEN order-1 online:sku-1=2.5]"; got != want {
		t.Fatalf("open documents:\n got %s\nwant %s", got, want)
	}
	if !open[1].ReservationTime.Equal(since.Truncate(time.Millisecond)) {
		t.Fatalf("reservationTime %v, want %v", open[1].ReservationTime, since)
	}
	if got, want := summary(listReservations(t, c, "open", since)), "[r-1 OPEN order-1 online:sku-1=2.5]"; got != want {
		t.Fatalf("open since %v: %s, want %s", since, got, want)
	}
	if got, want := summary(listReservations(t, c, "CLOSED", time.Time{})), "[r-2 CANCELLED  store-1:sku-1=1]"; got != want {
		t.Fatalf("closed documents: %s, want %s", got, want)
	}
}

func TestReservationsExport_BadStatusNamesTheField(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	err := c.ReservationsExport(context.Background(), "pending", time.Time{}, func(oci.ReservationView) error { return nil })
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != oci.InvalidRequestParameter || ae.Parameter != "status" {
		t.Fatalf("err = %v; want 400 InvalidRequestParameter naming status", err)
	}
}

func TestReservationsExport_StopsOnCallbackError(t *testing.T) {
	k := startCore(t)
	c := k.client(t)
	setup(t, k, c)
	for i := range 3 {
		if _, err := c.Reserve(context.Background(), fmt.Sprint("r-", i), reserveAt("wh-a", false, "sku-1", "1")); err != nil {
			t.Fatal(err)
		}
	}
	stop, calls := errors.New("stop"), 0
	err := c.ReservationsExport(context.Background(), "open", time.Time{}, func(oci.ReservationView) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("err = %v after %d calls; want stop after 1", err, calls)
	}
}

func TestReservationsExport_ShortFileIsTruncated(t *testing.T) {
	f := newFake(t, func(_ *fake, ctx *fasthttp.RequestCtx) {
		ctx.SetContentType("application/json")
		switch p := string(ctx.Path()); {
		case string(ctx.Method()) == "POST":
			fmt.Fprint(ctx, `{"exportId":"e1"}`)
		case has(p, "/status"):
			fmt.Fprint(ctx, `{"id":"e1","status":"COMPLETED","export":{"recordsExportedCount":2}}`)
		case has(p, "/file-content"):
			fmt.Fprint(ctx, `{"reservationId":"r1","reservationTime":1648718653000,"reservationState":"OPEN","reservationDetails":[{"location":"wh-a","sku":"s","quantity":1}]}`+"\n")
		default:
			ctx.SetStatusCode(204)
		}
	})
	c := mustClient(t, f.url)
	n := 0
	err := c.ReservationsExport(context.Background(), "open", time.Time{}, func(oci.ReservationView) error { n++; return nil })
	if !errors.Is(err, ErrTruncated) || n != 1 {
		t.Fatalf("err = %v after %d documents; want ErrTruncated after 1", err, n)
	}
}

func TestParseReservationLine(t *testing.T) {
	for _, c := range []struct{ line, want, err string }{
		{line: `{"reservationId":"r1","externalRefId":"o1","reservationTime":1648718653000,"reservationState":"CLOSED","reservationDetails":[{"group":"g","sku":"a","quantity":2,"reservationDetailActions":[{"action":"Reserved"}]},{"group":"g","sku":"b","quantity":1.5},{"location":"l","sku":"a","quantity":1}]}`,
			want: "[r1 CLOSED o1 g:a=2 g:b=1.5 l:a=1]"},
		{line: `{"reservationTime":1}`, err: "without reservationId"},
		{line: `{"reservationId":"r1","reservationDetails":[{"sku":"a","quantity":1}]}`, err: "group or a location"},
		{line: `{"reservationId":"r1","reservationDetails":[{"group":"g","location":"l","sku":"a","quantity":1}]}`, err: "group or a location"},
		{line: `{"reservationId":"r1","reservationDetails":[{"group":"g","sku":"a","quantity":"1"}]}`, err: "quantity"},
	} {
		v, err := parseReservationLine([]byte(c.line))
		if c.err != "" {
			if err == nil || !has(err.Error(), c.err) {
				t.Errorf("%s: err = %v; want %q", c.line, err, c.err)
			}
			continue
		}
		if err != nil || summary([]oci.ReservationView{v}) != c.want {
			t.Errorf("%s: %s %v; want %s", c.line, summary([]oci.ReservationView{v}), err, c.want)
		}
	}
}
