package oci

// Stats are counts for the core's admin page.
type Stats struct {
	SKUs              int            `json:"skus"`
	Records           int            `json:"records"`
	RecordsByLocation map[string]int `json:"recordsByLocation"`
	Reservations      map[string]int `json:"reservationsByState"`
	OpenReservations  int            `json:"openReservations"`
	Seq               uint64         `json:"changeSequence"`
	DurableSeq        uint64         `json:"durableSequence"`
	GraphEpoch        uint64         `json:"graphEpoch"`
	Locations         int            `json:"locations"`
	Groups            int            `json:"groups"`
}

// Stats counts records and reservation documents. It walks every sku, so
// it is for admin pages, not hot paths.
func (c *Core) Stats() Stats {
	s := Stats{RecordsByLocation: map[string]int{}, Reservations: map[string]int{}}
	_ = c.read(func() {
		s.SKUs = len(c.skus.list)
		for _, sk := range c.skus.list {
			for _, r := range sk.locs {
				if r.exists {
					s.Records++
					s.RecordsByLocation[c.in.name(r.place)]++
				}
			}
		}
		for _, r := range c.docs {
			s.Reservations[string(r.state)]++
		}
		s.OpenReservations = s.Reservations[string(StateOpen)]
		s.Seq, s.GraphEpoch = c.seq, c.graph.epoch
		s.Locations, s.Groups = len(c.graph.graph.Locations), len(c.graph.graph.Groups)
	})
	s.DurableSeq = c.durableSeq()
	return s
}
