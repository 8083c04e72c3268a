package cache

// Status is what a lookup found.
type Status uint8

// The lookup results.
const (
	// Miss: nothing is cached for the key. In Omnichannel Inventory mode the
	// caller asks the core (Fetch); a miss never means "not available".
	Miss Status = iota
	// Hit: the value is current.
	Hit
	// Stale: a value is cached but the list's latest full import did not
	// confirm it (the record may be gone at the core). Treat it as a miss;
	// the value is returned for a caller that prefers stale data to none.
	Stale
	// Tombstone: the core has no record of the sku at the list's place
	// (deleted, or unknown when it was fetched). The storefront applies the
	// list's default-in-stock flag.
	Tombstone
)

var statusNames = [...]string{Miss: "miss", Hit: "hit", Stale: "stale", Tombstone: "tombstone"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// Lookup returns the cached value of sku in list. It does not allocate and
// is safe for concurrent use; sku is not retained.
func (c *Cache) Lookup(list ListID, sku []byte) (Value, Status) { return lookup(c, list, sku) }

// LookupString is Lookup for a string sku.
func (c *Cache) LookupString(list ListID, sku string) (Value, Status) { return lookup(c, list, sku) }

func lookup[S ~string | ~[]byte](c *Cache, list ListID, sku S) (Value, Status) {
	l := c.lists.Load().get(list)
	if l == nil {
		c.m.lookup(Miss)
		return Value{}, Miss
	}
	kb := getKeyBuf()
	v, ok := c.store.rc.Get(appendKey(kb.b[:0], list, sku))
	putKeyBuf(kb)
	st := classify(&v, ok, l.floor.Load())
	c.m.lookup(st)
	return v, st
}

func classify(v *Value, ok bool, floor uint32) Status {
	switch {
	case !ok:
		return Miss
	case v.gen < floor:
		return Stale
	case v.noRecord:
		return Tombstone
	}
	return Hit
}

// ListID resolves an inventory list id to the index Lookup takes; false
// when the cache was not configured with that list.
func (c *Cache) ListID(id string) (ListID, bool) {
	i, ok := c.lists.Load().byID[id]
	return i, ok
}
