package cache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"ociedge/oci"
)

// stream fills the cache for its lists: a full import (an availability
// export of its places), then get-deltas from the export's token, for as
// long as it runs. It re-runs the full import after a failed import (with
// backoff), an expired delta token (at once), or DeltaRetries consecutive
// get-deltas failures; a single failed get-deltas is retried with the same
// token, which loses nothing. The supervisor restarts the stream when the
// graph changes what it covers.
//
// Its goroutine owns every field but cancel and done.
type stream struct {
	c     *Cache
	spec  streamSpec
	lists []*listState   // in spec.ids order
	index map[string]int // place id -> position in lists
	state stateKind      // last state logged
	bo    backoff

	cancel context.CancelFunc
	done   chan struct{}
}

func startStream(parent context.Context, c *Cache, spec streamSpec) *stream {
	t := c.lists.Load()
	s := &stream{c: c, spec: spec, index: make(map[string]int, len(spec.ids)), state: numStates,
		bo: backoff{min: c.cfg.RetryMin, max: c.cfg.RetryMax}, done: make(chan struct{})}
	for i, id := range spec.ids {
		s.lists = append(s.lists, t.lists[t.byID[id]])
		s.index[id] = i
	}
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	go func() {
		defer close(s.done)
		s.run(ctx)
	}()
	return s
}

// stop cancels the stream and waits until it has returned.
func (s *stream) stop() {
	s.cancel()
	<-s.done
}

func (s *stream) run(ctx context.Context) {
	for ctx.Err() == nil {
		token, err := s.fullImport(ctx)
		if err == nil {
			err = s.follow(ctx, token)
		}
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, errTokenExpired) {
			s.c.log.Info("delta token expired; running a full import", zap.String("stream", s.spec.name))
			continue
		}
		s.setState(stError, err.Error())
		if !sleep(ctx, s.bo.next()) {
			return
		}
	}
}

// errTokenExpired ends follow when the core answers 410 after the stream
// had read deltas with the token's line: re-import at once.
var errTokenExpired = errors.New("delta token expired")

// follow applies get-deltas answers until the token expires, the core
// keeps failing, or ctx is done.
func (s *stream) follow(ctx context.Context, token string) error {
	fails, reads := 0, 0
	for {
		d, err := s.c.core.Deltas(ctx, token)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case oci.ErrorCode(err) == oci.ExpiredDeltaLink && reads > 0:
			return errTokenExpired
		case oci.ErrorCode(err) == oci.ExpiredDeltaLink || fails >= s.c.cfg.DeltaRetries:
			return fmt.Errorf("get-deltas: %w", err)
		default:
			fails++
			s.setState(stError, fmt.Sprintf("get-deltas (attempt %d of %d): %v", fails, s.c.cfg.DeltaRetries+1, err))
			if !sleep(ctx, s.bo.next()) {
				return ctx.Err()
			}
			continue
		}
		fails, token = 0, d.NextToken
		reads++
		s.bo.reset()
		s.setState(stStreaming, "")
		s.apply(d.Records)
		if d.ShouldQueryAgain {
			continue
		}
		s.caughtUp()
		if !sleep(ctx, s.c.cfg.PollInterval) {
			return ctx.Err()
		}
	}
}

// apply writes a get-deltas answer, list by list.
func (s *stream) apply(recs []oci.DeltaRecord) {
	if len(recs) == 0 {
		return
	}
	byList := make(map[int][]int, len(s.lists))
	for i := range recs {
		if li, ok := s.index[recs[i].Place]; ok {
			byList[li] = append(byList[li], i)
		}
	}
	now := s.c.cfg.Now()
	for li, idx := range byList {
		l := s.lists[li]
		b := s.c.store.begin(l)
		gen, ver := l.writeGen.Load(), b.versions(len(idx))
		for j, i := range idx {
			v := tombstone()
			if recs[i].Type != oci.DeltaDelete {
				v = valueOf(&recs[i].Values)
			}
			v.gen, v.version = gen, ver+uint64(j)
			b.put(recs[i].SKU, v)
		}
		b.end()
		l.update(func(i *listInfo) { i.lastUpdate = now })
	}
	s.c.m.deltas(len(recs))
}

func (s *stream) caughtUp() {
	now := s.c.cfg.Now()
	for _, l := range s.lists {
		l.update(func(i *listInfo) { i.caughtUp = now })
	}
}

// setState records the stream's state on its lists and logs a change of
// state (errors through the throttle).
func (s *stream) setState(k stateKind, detail string) {
	for _, l := range s.lists {
		l.setState(s.spec.name, k, detail)
	}
	if k == stError {
		s.state = k
		s.c.logError("stream/"+s.spec.name, "stream failed; retrying", errors.New(detail), zap.String("stream", s.spec.name))
		return
	}
	if k != s.state {
		s.state = k
		s.c.log.Info("stream state", zap.String("stream", s.spec.name), zap.String("state", stateNames[k]),
			zap.Strings("lists", s.spec.ids))
	}
}

// backoff doubles from min up to max. Not for concurrent use.
type backoff struct{ min, max, cur time.Duration }

func (b *backoff) next() time.Duration {
	b.cur = min(max(2*b.cur, b.min), b.max)
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }
