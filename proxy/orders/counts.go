package orders

import (
	"strconv"
	"strings"
)

// ReservationCounts counts the open reservations by the system that holds
// them (DESIGN §3.2: a deactivation reports which open reservations were
// made in which system).
type ReservationCounts struct {
	// Orders counts orders whose reservation may still hold something
	// (held, or with a reservation or release pending).
	Orders map[System]int `json:"orders"`
	// Baskets counts basket reservations that have not expired.
	Baskets map[System]int `json:"baskets"`
}

// OpenReservations counts the open reservations by system. It reads an
// index, so it costs one scan of the open reservations.
func (s *Service) OpenReservations() (ReservationCounts, error) {
	out := ReservationCounts{Orders: map[System]int{}, Baskets: map[System]int{}}
	now := s.now().Unix()
	err := s.repo.scan("r/", func(id, v string) error {
		sys, rest, _ := strings.Cut(id, "/")
		kind, _, _ := strings.Cut(rest, "/")
		switch kind {
		case "o":
			out.Orders[System(sys)]++
		case "b":
			if exp, err := strconv.ParseInt(v, 10, 64); err == nil && exp > now {
				out.Baskets[System(sys)]++
			}
		}
		return nil
	})
	if err != nil {
		return out, internal(err, "count open reservations")
	}
	return out, nil
}
