package cache

import (
	"context"
	"testing"
	"time"

	"ociedge/internal/kv"
)

// TestCheck: a converged cache checks clean; a stream that cannot follow
// the core leaves a difference the checker reports (with both values and
// the list's lag); once the stream follows again the check is clean.
func TestCheck(t *testing.T) {
	rc, core, c := realSetup(t, kv.NewMem())
	ctx := context.Background()
	rep, err := c.Check(ctx, CheckOptions{Settle: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Converged || rep.Checked != 4*200 || len(rep.Differences) != 0 {
		t.Fatalf("converged cache: %+v", rep)
	}
	release := core.hold() // the stream's get-deltas now blocks
	rc.set("wh-a", "sku-7", 99)
	rep, err = c.Check(ctx, CheckOptions{Settle: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Converged || len(rep.Differences) != 2 {
		t.Fatalf("want the wh-a and online differences for sku-7: %+v", rep)
	}
	for _, d := range rep.Differences {
		if d.SKU != "sku-7" || d.Core == nil || d.Cached == nil || d.Core.OnHand == d.Cached.OnHand {
			t.Errorf("difference: %+v core %+v cached %+v", d, d.Core, d.Cached)
		}
	}
	release()
	await(t, "stream catches up", matchesExport(c, InProcess(rc.Core)))
	if rep, err = c.Check(ctx, CheckOptions{}); err != nil || !rep.Converged {
		t.Fatalf("after recovery: %v %+v", err, rep)
	}
}
