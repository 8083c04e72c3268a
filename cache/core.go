package cache

import (
	"context"

	"ociedge/oci"
)

// Core is what the cache needs from the OCI core. oci/client implements it
// over HTTP; InProcess implements it on an in-process *oci.Core.
type Core interface {
	// GetAvailability answers a get-availability query.
	GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error)
	// Deltas answers get-deltas; an expired token is an error with
	// oci.ErrorCode(err) == oci.ExpiredDeltaLink (HTTP 410).
	Deltas(ctx context.Context, token string) (*oci.Deltas, error)
	// Export runs an availability export of the places (all of one kind),
	// calling fn with each place's records in batches (fn must not retain
	// vs), and returns the delta token of its last line.
	Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(place string, vs []oci.Values) error) (deltaToken string, err error)
	// Graph returns the location graph and its version.
	Graph(ctx context.Context) (oci.Graph, uint64, error)
}

// InProcess adapts an in-process core (the demo, and tests against the
// real change log without HTTP) to Core.
func InProcess(c *oci.Core) Core { return inProcess{c} }

type inProcess struct{ c *oci.Core }

var _ Core = inProcess{}

func (p inProcess) GetAvailability(ctx context.Context, q *oci.AvailabilityQuery) (*oci.Availability, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.c.GetAvailability(q)
}

func (p inProcess) Deltas(ctx context.Context, token string) (*oci.Deltas, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.c.Deltas(token)
}

func (p inProcess) Export(ctx context.Context, kind oci.PlaceType, ids []string, fn func(string, []oci.Values) error) (string, error) {
	return p.c.Export(kind, ids, &exportSink{ctx: ctx, fn: fn})
}

func (p inProcess) Graph(ctx context.Context) (oci.Graph, uint64, error) {
	if err := ctx.Err(); err != nil {
		return oci.Graph{}, 0, err
	}
	g, epoch := p.c.Graph()
	return g, epoch, nil
}

// exportSink turns the core's place-then-records export into fn calls.
type exportSink struct {
	ctx   context.Context
	fn    func(string, []oci.Values) error
	place string
}

func (s *exportSink) Place(_ oci.PlaceType, id string) error {
	s.place = id
	return s.ctx.Err()
}

func (s *exportSink) Records(vs []oci.Values) error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	return s.fn(s.place, vs)
}
