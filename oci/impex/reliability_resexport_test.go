package impex

import (
	"context"
	"fmt"
	"io"
	"os"
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

// TestReservationsExport_RunningIsForgottenByARestart: an export stopped by
// Close leaves no job, no file and nothing that a restart could resume as
// another kind of export.
func TestReservationsExport_RunningIsForgottenByARestart(t *testing.T) {
	var gate *listGate
	e := newEnv(t, withCore(func(c *oci.Core) Core {
		gate = &listGate{Core: c, entered: make(chan struct{}, 1), release: make(chan struct{})}
		return gate
	}))
	e.mustImport(lines(`{"recordId":"a","locationId":"prescott","sku":"s1","onHand":10,"effectiveDate":"2020-04-09T00:00:00Z"}`))
	e.mustReserve(2)
	links, err := e.svc.InitiateReservationsExport(org, ReservationsExportRequest{Status: "open", FromDate: "2020-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
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
	if _, err := e.svc.ReservationsExportStatus(org, links.ExportID); codeOf(err) != oci.EntityNotFound {
		t.Fatalf("status after restart: %v; want EntityNotFound", err)
	}
	if _, err := os.Stat(e.svc.exportPath(links.ExportID)); !os.IsNotExist(err) {
		t.Fatalf("the stopped export left a file: %v", err)
	}
	if got := len(e.svc.Jobs(0, org)); got != 1 {
		t.Fatalf("%d jobs after restart, want only the import", got)
	}
}
