package impex

import (
	"context"
	"testing"
	"time"
)

func TestJobsListsImportsAndExportsNewestFirst(t *testing.T) {
	e := newEnv(t)
	id, _ := e.mustImport(seedGuideFile)
	e.clock.Advance(time.Second)
	links, err := e.svc.InitiateExport(org, ExportObjects{Groups: []string{"warehouses"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Wait(context.Background(), links.ExportID); err != nil {
		t.Fatal(err)
	}
	js := e.svc.Jobs(0)
	if len(js) != 2 {
		t.Fatalf("want 2 jobs, got %+v", js)
	}
	ex, im := js[0], js[1]
	if ex.Kind != KindExport || ex.Status != StatusCompleted || ex.Exported == 0 || len(ex.Places) != 1 {
		t.Errorf("export first (newest): %+v", ex)
	}
	if im.ID != id || im.Kind != KindImport || im.Read != 5 || im.Processed != 4 || im.Skipped != 1 ||
		im.Result != ResultWithoutErrors || im.FileName != "inventory.json" {
		t.Errorf("import: %+v", im)
	}
	if got := e.svc.Jobs(1); len(got) != 1 || got[0].ID != ex.ID {
		t.Errorf("limit 1 keeps the newest: %+v", got)
	}
	if got := e.svc.Jobs(0, "other-tenant"); len(got) != 0 {
		t.Errorf("another organization's jobs are not listed: %+v", got)
	}
}
