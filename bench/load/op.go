package load

// An Op is one unit of work the driver starts at an intended time: a single
// request, or a short flow such as basket → order → place. An Op runs once,
// on one worker goroutine.
type Op interface {
	// Name labels the op where it has no call of its own to be counted
	// against: dropped ops are reported under it.
	Name() string
	// Run makes the op's calls through s. It must return; every call it makes
	// is bounded by the target's timeout.
	Run(s *Session)
}

// A Source makes ops. The driver calls Next one call at a time (never
// concurrently), in order i = 0, 1, 2, …, also for ops that end up dropped,
// so a Source that draws from a fixed seed yields the same ops in every run. Next should do the
// random draws and leave building requests to Op.Run, which runs in parallel.
type Source interface {
	Next(i int64) Op
}

// SourceFunc adapts a function to Source.
type SourceFunc func(i int64) Op

// Next calls f(i).
func (f SourceFunc) Next(i int64) Op { return f(i) }
