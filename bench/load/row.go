package load

import "time"

// A Row is the report line of one (phase, route, outcome).
type Row struct {
	Key
	Count int64   `json:"count"`
	Rate  float64 `json:"ratePerSec"`
	// Late counts calls that were the first of an op started late.
	Late int64 `json:"late"`
	// Latency runs from the intended send time; Service from the actual one.
	Latency Percentiles `json:"latency"`
	Service Percentiles `json:"service"`
}

func rowOf(k Key, s *series, window time.Duration) Row {
	row := Row{Key: k, Count: s.count, Late: s.late}
	if window > 0 {
		row.Rate = float64(s.count) / window.Seconds()
	}
	if s.latency != nil {
		row.Latency = percentilesOf(s.latency)
		row.Service = percentilesOf(s.service)
	}
	return row
}
