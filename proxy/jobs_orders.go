package proxy

import (
	"context"

	"ociedge/proxy/orders"
)

// RunOrderJobs runs the orders service's job once: it settles reservation
// work left pending, auto-fails the orders that are due and deletes the
// baskets whose lifetime ended. The service runs it every
// Config.JobInterval; tests that disable the interval (and drive
// Config.Now) call it themselves.
func (e *Edge) RunOrderJobs(ctx context.Context) (orders.JobReport, error) {
	return e.orders.RunJobs(ctx)
}
