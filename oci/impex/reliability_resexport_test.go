package impex

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"ociedge/oci"
)

// listGate is the core with Reservations held at a gate: it announces
// itself on entered and waits for release.
type listGate struct {
	*oci.Core
	entered chan struct{}
	release chan struct{}
}

func (g *listGate) Reservations(f oci.ReservationFilter, fn func(oci.ReservationView) error) error {
	g.entered <- struct{}{}
	<-g.release
	return g.Core.Reservations(f, fn)
}

func (e *env) mustReserve(n int) {
	e.tb.Helper()
	for i := range n {
		req := &oci.ReserveRequest{ReservationID: fmt.Sprint("r-", i),
			Locations: []oci.PlaceLines{{ID: "prescott", Lines: []oci.Line{{SKU: "s1", Quantity: q(1)}}}}}
		if _, err := e.core.Reserve(req); err != nil {
			e.tb.Fatal(err)
		}
	}
}

func (e *env) reservationsFile(id string) string {
	e.tb.Helper()
	rc, _, err := e.svc.ReservationsExportFile(org, id)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		e.tb.Fatal(err)
	}
	return string(b)
}

// TestReservationsExport_CompletedSurvivesRestart: a finished reservations
// export keeps its status and file across a restart.
func TestReservationsExport_CompletedSurvivesRestart(t *testing.T) {
	e := newEnv(t)
	e.mustImport(lines(`{"recordId":"a","locationId":"prescott","sku":"s1","onHand":10,"effectiveDate":"2020-04-09T00:00:00Z"}`))
	e.mustReserve(3)
	links, err := e.svc.InitiateReservationsExport(org, ReservationsExportRequest{Status: "open", FromDate: "2020-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := e.svc.Wait(context.Background(), links.ExportID); err != nil || st != StatusCompleted {
		t.Fatalf("export ended %s, %v", st, err)
	}
	before := e.reservationsFile(links.ExportID)
	if n := strings.Count(before, "\n"); n != 3 {
		t.Fatalf("file has %d lines, want 3:\n%s", n, before)
	}
	e.reopen()
	st, err := e.svc.ReservationsExportStatus(org, links.ExportID)
	if err != nil || st.Status != StatusCompleted || st.Export.RecordsExportedCount != 3 || st.Download == nil {
		t.Fatalf("after restart: %+v, %v", st, err)
	}
	if after := e.reservationsFile(links.ExportID); after != before {
		t.Fatalf("file changed across the restart:\n%s\nvs\n%s", after, before)
	}
}

// TestReservationsExport_RunningStartsOverAfterARestart: an export that
// Close (or a crash) interrupted keeps its id: after the restart it runs
// again from its saved request, as a reservations export of the same
// documents, and completes.
func TestReservationsExport_RunningStartsOverAfterARestart(t *testing.T) {
	var gate *listGate
	e := newEnv(t, withCore(func(c *oci.Core) Core {
		if gate != nil {
			return c // the restarted core is not gated
		}
		gate = &listGate{Core: c, entered: make(chan struct{}, 1), release: make(chan struct{})}
		return gate
	}))
	e.mustImport(lines(`{"recordId":"a","locationId":"prescott","sku":"s1","onHand":10,"effectiveDate":"2020-04-09T00:00:00Z"}`))
	e.mustReserve(2)
	links, err := e.svc.InitiateReservationsExport(org, ReservationsExportRequest{Status: "open", FromDate: "2020-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(links.ExportStatusLink, "/reservations/exports/"+links.ExportID+"/status") {
		t.Errorf("status link %q", links.ExportStatusLink)
	}
	<-gate.entered
	if _, _, err := e.svc.ReservationsExportFile(org, links.ExportID); codeOf(err) != oci.ExportInProcess {
		t.Fatalf("file of a running export: %v; want ExportInProcess", err)
	}
	closed := make(chan struct{})
	go func() { e.svc.Close(); close(closed) }()
	for deadline := time.Now().Add(10 * time.Second); !e.svc.stopping(); {
		if time.Now().After(deadline) {
			t.Fatal("Close never signalled its goroutines")
		}
		time.Sleep(time.Millisecond) // Close runs in another goroutine; nothing to await
	}
	close(gate.release)
	<-closed
	e.reopen()
	if st, err := e.svc.Wait(context.Background(), links.ExportID); err != nil || st != StatusCompleted {
		t.Fatalf("the export after the restart ended %s, %v", st, err)
	}
	st, err := e.svc.ReservationsExportStatus(org, links.ExportID)
	if err != nil || st.Export.RecordsExportedCount != 2 || st.Download == nil {
		t.Fatalf("status after restart: %+v, %v", st, err)
	}
	if f := e.reservationsFile(links.ExportID); strings.Count(f, "\n") != 2 || !strings.Contains(f, `"reservationId":"r-1"`) {
		t.Fatalf("the file after the restart:\n%s", f)
	}
	if got := len(e.svc.Jobs(0, org)); got != 2 {
		t.Fatalf("%d jobs after restart, want the import and the export", got)
	}
}
