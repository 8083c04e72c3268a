package cache

import "sync"

// flights is a small singleflight: one fetch per key in flight, which every
// caller asking for the key meanwhile joins. The fetch itself runs on its
// own context (see Fetch); a joiner gets the leader's real result or error.
// Safe for concurrent use.
type flights struct {
	mu sync.Mutex // guards m and every flight's waiters
	m  map[string]*flight
}

// flight is one fetch in progress. val and err are written once, before
// done is closed, and read only after.
type flight struct {
	done    chan struct{}
	val     Value
	err     error
	waiters int // callers that joined (not counting the leader)
}

// join returns the key's flight and whether the caller leads it (must run
// the fetch and call finish).
func (fs *flights) join(key string) (*flight, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f := fs.m[key]; f != nil {
		f.waiters++
		return f, false
	}
	if fs.m == nil {
		fs.m = make(map[string]*flight)
	}
	f := &flight{done: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// finish publishes the result and forgets the flight, so the next miss
// starts a new one.
func (fs *flights) finish(key string, f *flight, v Value, err error) {
	fs.mu.Lock()
	if fs.m[key] == f {
		delete(fs.m, key)
	}
	fs.mu.Unlock()
	f.val, f.err = v, err
	close(f.done)
}

// joined returns how many callers wait on key's flight (tests).
func (fs *flights) joined(key string) int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f := fs.m[key]; f != nil {
		return f.waiters
	}
	return -1
}
