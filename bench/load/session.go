package load

import "time"

// A Session is the context one Op runs in: it sends the op's calls, times
// them and records them. The first call's latency runs from the op's
// intended send time; each later call's from the end of the one before it
// (the shopper moves on as soon as the answer arrives), so queueing before
// the op shows up in its first call and in the op as a whole. A Session
// belongs to one goroutine.
type Session struct {
	rec       *Recorder
	sh        *shard
	phase     string
	opStart   time.Time // when the op was intended to start
	actual    time.Time // when it did start
	intended  time.Time // when the next call is intended to start
	last      time.Time // when the last call ended (actual, before the first)
	measured  bool      // false during warm-up
	late      bool      // the op started late; charged to its first call
	failed    bool      // some call had a transport error or a 5xx
	callsDone int
}

func (r *Recorder) newSession(intended, now time.Time, measured, late bool) *Session {
	return &Session{
		rec: r, sh: r.shard(), phase: r.Phase(),
		opStart: intended, actual: now, intended: intended, last: now,
		measured: measured, late: late,
	}
}

// Session returns a measured session that starts now, for calls made outside
// a driver run (an import's upload and polling, a token fetch).
func (r *Recorder) Session() *Session {
	now := time.Now()
	return r.newSession(now, now, true, false)
}

// Do sends c to t, records the sample under (phase, c.Route, outcome) and
// returns what happened.
//
// The clock is read once per call: a call's service time runs from the end
// of the op's previous call (or the op's actual start), which the op's own
// work between calls — microseconds of building a request — lengthens a
// little. On a small machine every clock read is CPU taken from the server.
func (s *Session) Do(t *Target, c *Call) Reply {
	start := s.last
	status, outcome, err := t.do(c, start)
	end := time.Now()
	if err != nil || status >= 500 {
		s.failed = true
	}
	if s.measured {
		late := s.late && s.callsDone == 0
		s.sh.record(Key{Phase: s.phase, Route: c.Route, Outcome: outcome}, end.Sub(s.intended), end.Sub(start), late)
	}
	s.callsDone++
	s.intended, s.last = end, end
	return Reply{Status: status, Outcome: outcome, Err: err}
}

// Flow records a sample for the op as a whole under (phase, route, outcome):
// latency from the op's intended start, service time from its actual start.
// Use it for multi-call ops such as a checkout.
func (s *Session) Flow(route, outcome string) {
	if !s.measured {
		return
	}
	now := time.Now()
	s.sh.record(Key{Phase: s.phase, Route: route, Outcome: outcome}, now.Sub(s.opStart), now.Sub(s.actual), s.late)
}

// Measured reports whether the op is in the measured window (not warm-up).
func (s *Session) Measured() bool { return s.measured }

// Intended returns when the op was intended to start.
func (s *Session) Intended() time.Time { return s.opStart }

// Fail marks the op as not good for throughput counts (a domain failure the
// calls' statuses do not show).
func (s *Session) Fail() { s.failed = true }

// finish ends the op: op latency, completion and good counters.
func (s *Session) finish() {
	if !s.measured {
		return
	}
	end := s.last
	if s.callsDone == 0 {
		end = time.Now()
	}
	s.sh.recordOp(end.Sub(s.opStart))
	s.rec.counter.completed.Add(1)
	if !s.failed {
		s.rec.counter.good.Add(1)
	}
}
