package load

import (
	"testing"
	"time"

	"go.uber.org/goleak"

	"ociedge/bench/internal/benchtest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, benchtest.LeakOptions()...)
}

// MustTarget builds a target for url and closes it when tb ends.
func MustTarget(tb testing.TB, url string, conns int) *Target {
	tb.Helper()
	t, err := NewTarget(TargetConfig{URL: url, Conns: conns, Timeout: 5 * time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(t.Close)
	return t
}

// getOp is a one-call op.
type getOp struct {
	t     *Target
	route string
	uri   string
}

func (o getOp) Name() string   { return o.route }
func (o getOp) Run(s *Session) { s.Do(o.t, &Call{Route: o.route, URI: o.uri}) }

func getSource(t *Target) Source {
	return SourceFunc(func(int64) Op { return getOp{t, "get", "/"} })
}

// MustRun runs cfg against src with a fresh recorder.
func MustRun(tb testing.TB, cfg Config, src Source) *Result {
	tb.Helper()
	res, err := Run(tb.Context(), cfg, src, NewRecorder())
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// countOutcome sums the rows with the given outcome.
func countOutcome(res *Result, outcome string) int64 {
	var n int64
	for _, r := range res.Rows {
		if r.Outcome == outcome {
			n += r.Count
		}
	}
	return n
}
