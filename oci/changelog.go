package oci

import "time"

// event says that the values of one sku changed at one place. Locations
// carry record and location-hold changes; groups carry changes of what the
// group itself holds. Which exported places an event affects is decided when
// deltas are read (see deltas.go).
type event struct {
	place placeIdx
	sku   uint32 // skuState.order
}

// changeLog numbers every availability change with a sequence number and
// keeps the recent ones in memory, so that delta tokens can be served from
// it. Sequence numbers are durable (the last one is stored with every
// commit), the events themselves are not: after a restart, tokens issued
// before the last durable change before the crash are answered 410 and their
// stream re-exports, as B2C does after an expired token. Guarded by the
// core's state lock.
type changeLog struct {
	first  uint64  // sequence number of events[0]
	events []event // events[i] has sequence first+i
	chunks []chunk // start of every chunkSize events, for time-based trimming
	max    int     // most events kept in memory
	ttl    time.Duration
}

type chunk struct {
	seq uint64
	at  time.Time
}

const chunkSize = 1 << 14

func newChangeLog(lastSeq uint64, max int, ttl time.Duration) changeLog {
	return changeLog{first: lastSeq + 1, max: max, ttl: ttl}
}

// last is the sequence number of the newest event.
func (l *changeLog) last() uint64 { return l.first + uint64(len(l.events)) - 1 }

// append adds events and returns the new last sequence number.
func (l *changeLog) append(evs []event, now time.Time) uint64 {
	for _, e := range evs {
		seq := l.first + uint64(len(l.events))
		if seq%chunkSize == 0 || len(l.chunks) == 0 {
			l.chunks = append(l.chunks, chunk{seq: seq, at: now})
		}
		l.events = append(l.events, e)
	}
	l.trim(now)
	return l.last()
}

// trim forgets events older than the token lifetime or beyond max.
func (l *changeLog) trim(now time.Time) {
	drop := 0
	for len(l.chunks) > 1 && (now.Sub(l.chunks[1].at) > l.ttl || len(l.events)-drop > l.max) {
		drop = int(l.chunks[1].seq - l.first)
		l.chunks = l.chunks[1:]
	}
	if drop == 0 {
		return
	}
	l.events = append(l.events[:0:0], l.events[drop:]...)
	l.first += uint64(drop)
	l.chunks[0].seq = l.first
}

// retains reports whether every event after seq is still in memory.
func (l *changeLog) retains(seq uint64) bool { return seq+1 >= l.first }

// since returns the events after seq up to and including upto.
func (l *changeLog) since(seq, upto uint64) []event {
	if upto > l.last() {
		upto = l.last()
	}
	if seq >= upto || !l.retains(seq) {
		return nil
	}
	return l.events[seq+1-l.first : upto+1-l.first]
}
