package impex

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestMetrics(t *testing.T) {
	m := NewMetrics()
	e := newEnv(t, withConfig(func(c *Config) { c.Metrics = m }))
	e.mustImport(oneRecord + "not json\n")
	e.mustExport(ExportObjects{Locations: []string{"surprise"}})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"imports created", value(t, m.Jobs.WithLabelValues("import", "created")), 1},
		{"imports completed", value(t, m.Jobs.WithLabelValues("import", "completed")), 1},
		{"exports completed", value(t, m.Jobs.WithLabelValues("export", "completed")), 1},
		{"imports running", value(t, m.Running.WithLabelValues("import")), 0},
		{"upload bytes", value(t, m.UploadBytes), float64(len(oneRecord) + len("not json\n"))},
		{"line failures", value(t, m.LineFailures), 1},
		{"export records", value(t, m.ExportRecords), 1},
		{"import durations", value(t, m.JobSeconds.WithLabelValues("import").(prometheus.Metric)), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if n := len(m.Collectors()); n != 6 {
		t.Errorf("%d collectors", n)
	}
}

// value reads a counter's or gauge's value, or a histogram's sample count.
func value(t *testing.T, c prometheus.Metric) float64 {
	t.Helper()
	var d dto.Metric
	if err := c.Write(&d); err != nil {
		t.Fatal(err)
	}
	switch {
	case d.Counter != nil:
		return d.Counter.GetValue()
	case d.Gauge != nil:
		return d.Gauge.GetValue()
	case d.Histogram != nil:
		return float64(d.Histogram.GetSampleCount())
	}
	t.Fatalf("unexpected metric %v", &d)
	return 0
}
