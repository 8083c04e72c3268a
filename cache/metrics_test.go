package cache

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"ociedge/cache/cachetest"
)

func TestMetricsReportListsWithoutSkus(t *testing.T) {
	core, c, _ := fakeSetup(t)
	await(t, "full import", imported(c))
	c.LookupString(mustListID(t, c, "wh-a"), "sku-1")
	c.LookupString(mustListID(t, c, "wh-a"), "nope")
	if h, m := counterValue(c.m.lookups[Hit]), counterValue(c.m.lookups[Miss]); h != 1 || m != 1 {
		t.Errorf("lookups: %v hits, %v misses, want 1 and 1", h, m)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(c.m.Collectors()...)
	core.Put("wh-a", rec("sku-1", 3, 0, 0))
	await(t, "delta applied", matchesExport(c, core))

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			got[f.GetName()+labels(m)] = value(m)
			for _, lp := range m.GetLabel() {
				if strings.Contains(lp.GetValue(), "sku") {
					t.Errorf("%s carries a sku label: %s", f.GetName(), labels(m))
				}
			}
		}
	}
	for name, want := range map[string]float64{
		`ociedge_cache_items{list="wh-a"}`:                               300,
		`ociedge_cache_items{list="ghost"}`:                              0,
		`ociedge_cache_stream_state{list="wh-a",state="streaming"}`:      1,
		`ociedge_cache_stream_state{list="wh-a",state="importing"}`:      0,
		`ociedge_cache_stream_state{list="ghost",state="not_mapped"}`:    1,
		`ociedge_cache_full_imports_total{kind="combined",outcome="ok"}`: 1,
	} {
		if v, ok := got[name]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", name, v, ok, want)
		}
	}
	for _, name := range []string{`ociedge_cache_last_update_seconds{list="wh-a"}`, `ociedge_cache_stream_lag_seconds{list="wh-a"}`,
		`ociedge_cache_delta_records_total`, `ociedge_cache_full_import_duration_seconds{kind="group"}`} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
	if got[`ociedge_cache_last_update_seconds{list="wh-a"}`] != float64(noon.Unix()) {
		t.Errorf("last update %v, want the clock's %v", got[`ociedge_cache_last_update_seconds{list="wh-a"}`], noon.Unix())
	}
}

func labels(m *dto.Metric) string {
	if len(m.GetLabel()) == 0 {
		return ""
	}
	var parts []string
	for _, lp := range m.GetLabel() {
		parts = append(parts, fmt.Sprintf("%s=%q", lp.GetName(), lp.GetValue()))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	}
	return -1
}

func TestLogsOneLinePerStateChangeAndThrottlesErrors(t *testing.T) {
	obs, logs := observer.New(zap.InfoLevel)
	clk := newClock(noon)
	core := &cachetest.Core{Now: clk.Now}
	core.SetGraph(testGraph)
	fill(core, "wh-a", 5)
	cfg := testConfig(t, core, clk, List{ID: "wh-a", Site: true})
	cfg.Logger = zap.New(obs)
	c := mustNew(t, cfg)
	c.Start()
	c.Start() // idempotent
	await(t, "full import", imported(c))
	for i := range 30 {
		core.Put("wh-a", rec(fmt.Sprint("x-", i), 1, 0, 0))
	}
	await(t, "applied", matchesExport(c, core))
	states := logs.FilterMessage("stream state").All()
	if len(states) != 2 || states[0].ContextMap()["state"] != "importing" || states[1].ContextMap()["state"] != "streaming" {
		t.Errorf("state lines: %v", states)
	}

	core.FailNext(cachetest.MethodGraph, 1000, errors.New("core down"))
	await(t, "graph failures", func() error {
		if core.Calls(cachetest.MethodGraph) < 20 {
			return errors.New("few graph calls yet")
		}
		return nil
	})
	if n := logs.FilterMessage("cannot fetch the location graph; streams keep running").Len(); n != 1 {
		t.Errorf("%d graph error lines within LogEvery, want 1", n)
	}
	clk.Advance(time.Minute)
	await(t, "next error line", func() error {
		lines := logs.FilterMessage("cannot fetch the location graph; streams keep running").All()
		if len(lines) < 2 {
			return errors.New("one line")
		}
		if held := lines[1].ContextMap()["suppressed"].(int64); held < 10 {
			return fmt.Errorf("suppressed = %d", held)
		}
		return nil
	})
	if s := statusOf(t, c, "wh-a"); s.State != "streaming" {
		t.Errorf("streams must keep running without the graph: %+v", s)
	}
	c.Close()
	c.Close()
}
