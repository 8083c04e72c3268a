// Package cache is the edge's availability cache and the streams that keep
// it filled from the OCI core, as B2C Commerce does when it is integrated
// with Omnichannel Inventory (DESIGN §3.3, reference b2c-oci-behavior §2).
//
// # The cache
//
// A ristretto v2 cache keyed by (inventory list, sku) — two bytes of list
// index and the sku — holds a 72-byte pointer-free Value. Lookup is the hot
// path: it builds the key in a pooled buffer and does not allocate.
//
// # Streams
//
// Every GraphPollInterval the location graph is fetched and each list gets
// its Location Type (Location, Group, N/A). Lists are grouped into streams
// as B2C does: one per group-backed list, one per site-assigned location
// list, one combined stream for the other location lists. A stream runs a
// full import (an availability export), then follows get-deltas from the
// export's token. It re-runs the full import after an import error (with
// backoff), an expired token (410), repeated get-deltas failures, or a graph
// change that alters what it covers (its group's members, its lists).
// CombinedStreamWindow holds the combined stream's imports to 02:00–03:00.
//
// # Items Cached is true
//
// ristretto is lossy: Set is asynchronous and may be dropped, the admission
// policy may refuse a new key, and values are evicted. The cache counts
// what ristretto actually does (count.go): a value is counted when handed
// to Set and uncounted when Set drops it, when OnReject refuses it, when
// ShouldUpdate replaces it, or when OnEvict evicts it; each callback finds
// the list in the value. A list's writes are serialized and end with Wait,
// so two inserts of one key are never pending together (ristretto would
// keep the first and reject the second) and the count holds no pending
// write when Status reads it. Dropped Sets are retried after Wait; a Delete
// delta writes a tombstone instead of calling Del, whose race with a
// buffered Set ristretto does not resolve.
//
// # Stale entries after a re-import
//
// Each full import writes under a new generation of its lists; when it
// completes, the generation becomes the list's floor. A value below the
// floor was not in the latest export: Lookup reports it Stale (a miss that
// still carries the old value), it leaves Items Cached, and a fallback may
// replace it. Until the import completes the previous values keep serving,
// so a re-import never empties the cache. Generations cost one atomic load
// per lookup; tombstoning instead would need a key index ristretto does
// not have (≈100 B per record).
//
// # Misses
//
// In Omnichannel Inventory mode a miss is answered by Fetch: one
// get-availability per key in flight, batched, on its own timeout, with a
// bounded wait — an error, never "not available". A fetched value carries
// version 0 and never replaces a stream value (ShouldUpdate).
//
// The cache talks to the core only through Core; oci/client implements it
// over HTTP and InProcess over an in-process *oci.Core.
package cache
