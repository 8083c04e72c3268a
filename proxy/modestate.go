package proxy

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
	"ociedge/modes"
)

var keyMode = []byte("edge/mode")

// modeState is the instance-wide inventory mode: persisted, read on the hot
// path without locks, changed only through modes.Transition. It is safe for
// concurrent use.
type modeState struct {
	store kv.Store
	log   *zap.Logger
	now   func() time.Time

	cur atomic.Pointer[modeRecord] // the current mode; replaced whole, never mutated

	mu sync.Mutex // serializes transitions (check, persist, publish)
}

// modeRecord is the persisted mode and when and how it was entered.
type modeRecord struct {
	Mode    modes.Mode `json:"mode"`
	Since   time.Time  `json:"since"`
	Forced  bool       `json:"forced,omitempty"`
	Changes int        `json:"changes"`
}

func openModeState(store kv.Store, log *zap.Logger, now func() time.Time) (*modeState, error) {
	m := &modeState{store: store, log: log, now: now}
	rec := &modeRecord{Mode: modes.CommercePlatform, Since: now()}
	v, ok, err := store.Get(keyMode)
	if err != nil {
		return nil, err
	}
	if ok {
		if err := json.Unmarshal(v, rec); err != nil {
			return nil, fmt.Errorf("cannot read the stored inventory mode: %w", err)
		}
	}
	m.cur.Store(rec)
	return m, nil
}

// Mode returns the current mode without locking.
func (m *modeState) Mode() modes.Mode { return m.cur.Load().Mode }

// Record returns the current mode with its history fields.
func (m *modeState) Record() modeRecord { return *m.cur.Load() }

// Set moves to the target mode if modes.Transition allows it, persists the
// change durably and only then publishes it.
func (m *modeState) Set(to modes.Mode, force bool, readiness func() modes.Readiness) (modes.Mode, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.cur.Load()
	next, err := modes.Transition(cur.Mode, to, readiness(), force)
	if err != nil {
		m.log.Warn("inventory mode change refused", zap.Stringer("from", cur.Mode), zap.Stringer("to", to), zap.Error(err))
		return cur.Mode, err
	}
	if next == cur.Mode {
		return next, nil
	}
	rec := &modeRecord{Mode: next, Since: m.now(), Forced: force, Changes: cur.Changes + 1}
	v, _ := json.Marshal(rec)
	var b kv.Batch
	b.Set(keyMode, v)
	if err := m.store.Write(&b); err != nil {
		return cur.Mode, fmt.Errorf("cannot persist the inventory mode: %w", err)
	}
	m.cur.Store(rec)
	m.log.Info("inventory mode changed", zap.Stringer("from", cur.Mode), zap.Stringer("to", next), zap.Bool("forced", force))
	return next, nil
}
