package inventory

import (
	"slices"
	"strings"
	"time"

	"ociedge/internal/kv"
)

// OpenReservations returns the order reservations not yet released, ordered
// by id: what a deactivation report lists as "reserved in Commerce
// Platform".
func (s *Store) OpenReservations() []Reservation {
	var out []Reservation
	for i := range s.stripes {
		st := &s.stripes[i]
		st.mu.Lock()
		for _, r := range st.res {
			if r.Released.IsZero() {
				out = append(out, *r)
			}
		}
		st.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b Reservation) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// PurgeReleased forgets the reservations released more than olderThan ago
// and returns how many. Until then a released id stays known, so that a
// late retry of its Reserve is a conflict rather than a new reservation;
// olderThan must therefore outlast every caller's retries. The caller
// schedules it.
func (s *Store) PurgeReleased(olderThan time.Duration) (int, error) {
	cutoff := s.now().Add(-olderThan)
	n := 0
	for i := range s.stripes {
		done, err := s.purgeReleasedIn(&s.stripes[i], cutoff)
		n += done
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Store) purgeReleasedIn(st *stripe, cutoff time.Time) (int, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var b kv.Batch
	var ids []string
	for id, r := range st.res {
		if !r.Released.IsZero() && r.Released.Before(cutoff) {
			b.Delete(s.keys.reservation(id))
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	if err := s.write(&b, "delete released reservations"); err != nil {
		return 0, err
	}
	for _, id := range ids {
		delete(st.res, id)
	}
	return len(ids), nil
}
