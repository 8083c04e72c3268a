package bench

import (
	"time"

	"ociedge/bench/load"
	"ociedge/bench/proc"
)

// cpuMeter reads a server process's CPU time around a run (DESIGN §6's
// server CPU per request: /proc/PID/stat utime + stime after the run minus
// before, ÷ the requests of the run). The zero value measures nothing.
type cpuMeter struct {
	pid    int
	before time.Duration
	ok     bool
}

// startCPU reads pid's CPU time now; pid 0 measures nothing.
func startCPU(pid int) cpuMeter {
	if pid <= 0 {
		return cpuMeter{}
	}
	s, err := proc.Read(pid)
	return cpuMeter{pid: pid, before: s.CPU, ok: err == nil}
}

// perOp returns the CPU µs per op of res (warm-up ops included: they ran
// between the two readings), or 0 when nothing was measured.
func (m cpuMeter) perOp(res *load.Result) float64 {
	if !m.ok || res == nil {
		return 0
	}
	s, err := proc.Read(m.pid)
	ops := res.Completed + res.WarmupOps
	if err != nil || ops == 0 {
		return 0
	}
	return micros(s.CPU-m.before) / float64(ops)
}
