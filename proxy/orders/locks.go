package orders

import "sync"

// keyLocks is a mutex per key (a basket id or an order number), created on
// demand and dropped when nobody holds or waits for it. It serialises the
// read-modify-write of one record, including the reservation calls in
// between, on this edge. The zero value is ready to use; it is safe for
// concurrent use.
type keyLocks struct {
	mu sync.Mutex // guards m
	m  map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int // holders and waiters; guarded by keyLocks.mu
}

func (l *keyLocks) ref(key string) *keyLock {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = make(map[string]*keyLock)
	}
	k := l.m[key]
	if k == nil {
		k = &keyLock{}
		l.m[key] = k
	}
	k.refs++
	return k
}

func (l *keyLocks) unref(key string, k *keyLock) {
	l.mu.Lock()
	k.refs--
	if k.refs == 0 {
		delete(l.m, key)
	}
	l.mu.Unlock()
}

// lock takes the key's mutex and returns its unlock.
func (l *keyLocks) lock(key string) func() {
	k := l.ref(key)
	k.mu.Lock()
	return func() {
		k.mu.Unlock()
		l.unref(key, k)
	}
}

// tryLock takes the key's mutex if it is free.
func (l *keyLocks) tryLock(key string) (unlock func(), ok bool) {
	k := l.ref(key)
	if !k.mu.TryLock() {
		l.unref(key, k)
		return nil, false
	}
	return func() {
		k.mu.Unlock()
		l.unref(key, k)
	}, true
}
