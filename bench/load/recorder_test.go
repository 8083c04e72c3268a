package load

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func within(got, want time.Duration, frac float64) bool {
	d := float64(got - want)
	return d <= frac*float64(want) && -d <= frac*float64(want)
}

// Percentiles of 1µs … 10000µs, one sample each, read back within the
// histogram's 3 significant digits.
func TestPercentilesOfKnownData(t *testing.T) {
	rec := NewRecorder()
	s := rec.Session()
	for v := 1; v <= 10000; v++ {
		d := time.Duration(v) * time.Microsecond
		s.sh.record(Key{Route: "r", Outcome: "2xx"}, d, d/2, false)
	}
	rows := rec.Rows(time.Second)
	if len(rows) != 1 || rows[0].Count != 10000 || rows[0].Rate != 10000 {
		t.Fatalf("rows = %+v", rows)
	}
	p := rows[0].Latency
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"p50", p.P50, 5000 * time.Microsecond},
		{"p90", p.P90, 9000 * time.Microsecond},
		{"p99", p.P99, 9900 * time.Microsecond},
		{"p99.9", p.P999, 9990 * time.Microsecond},
		{"max", p.Max, 10000 * time.Microsecond},
		{"service p50", rows[0].Service.P50, 2500 * time.Microsecond},
	} {
		if !within(c.got, c.want, 0.002) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// Samples recorded from many sessions (and so many shards) merge into one
// row per key.
func TestRecorderMergesShards(t *testing.T) {
	rec := NewRecorder()
	for i := range 100 {
		s := rec.Session()
		outcome := []string{"reserved", "insufficient"}[i%2]
		s.sh.record(Key{Route: "reserve", Outcome: outcome}, time.Millisecond, time.Millisecond, i < 10)
	}
	rec.SetPhase("import")
	rec.Session().sh.record(Key{Phase: rec.Phase(), Route: "reserve", Outcome: "reserved"}, time.Millisecond, time.Millisecond, false)
	rows := rec.Rows(0)
	want := []Key{{"", "reserve", "insufficient"}, {"", "reserve", "reserved"}, {"import", "reserve", "reserved"}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i, k := range want {
		if rows[i].Key != k {
			t.Fatalf("row %d = %+v, want %+v", i, rows[i].Key, k)
		}
	}
	if rows[0].Count != 50 || rows[1].Count != 50 || rows[0].Late+rows[1].Late != 10 {
		t.Fatalf("counts/late wrong: %+v", rows)
	}
}

func TestResultJSONRoundTrip(t *testing.T) {
	in := &Result{
		Mode: "open", Rate: 1000, RampTo: 2000, Workers: 64, Duration: time.Second,
		Window: 1100 * time.Millisecond, Scheduled: 1500, Completed: 1490, Good: 1480,
		Late: 3, Dropped: 10, TargetRate: 1500, OfferedRate: 1363.6363636363637,
		OpLatency: Percentiles{P50: 20 * time.Microsecond, Max: time.Second},
		Rows: []Row{{Key: Key{Phase: "import", Route: "availability-1", Outcome: "ok"}, Count: 1490, Rate: 1354.5, Late: 3,
			Latency: Percentiles{P99: time.Millisecond}, Service: Percentiles{P99: 900 * time.Microsecond}}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out Result
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, &out) {
		t.Fatalf("round trip changed the result:\n%+v\n%+v", in, &out)
	}
}
