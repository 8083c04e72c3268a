package proxy

import (
	"time"

	"go.uber.org/zap"

	"ociedge/modes"
)

// jobLoop runs the edge's own housekeeping (the orders service runs its
// auto-fail job itself): expired basket holds, last-use times, released
// reservations, and — once OCI mode is active — Inventory Record Retention.
func (e *Edge) jobLoop() {
	defer e.wg.Done()
	t := time.NewTicker(e.cfg.JobInterval)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			e.RunJobs()
		}
	}
}

// RunJobs runs the housekeeping once (tests call it with a fake clock).
func (e *Edge) RunJobs() {
	if n, err := e.inv.PurgeExpiredHolds(); err != nil {
		e.log.Warn("cannot purge expired basket holds", zap.Error(err))
	} else if n > 0 {
		e.log.Info("expired basket holds released", zap.Int("count", n))
	}
	if err := e.inv.FlushUsage(); err != nil {
		e.log.Warn("cannot save inventory record usage", zap.Error(err))
	}
	if _, err := e.inv.PurgeReleased(7 * 24 * time.Hour); err != nil {
		e.log.Warn("cannot purge released reservations", zap.Error(err))
	}
	e.retention()
}

// retention deletes the edge's own records unused for the configured days
// (the seed's Step 2.5), at most once a day, only in OCI mode.
func (e *Edge) retention() {
	days := e.app.InventoryRecordRetentionDays
	now := e.now()
	if days <= 0 || e.mode.Mode() != modes.OmnichannelInventory || now.Sub(e.lastRetention) < 24*time.Hour {
		return
	}
	e.lastRetention = now
	n, err := e.inv.PurgeUnused(days)
	if err != nil {
		e.log.Warn("inventory record retention failed", zap.Error(err))
		return
	}
	e.log.Info("inventory record retention", zap.Int("deleted", n), zap.Int("days", days))
}
