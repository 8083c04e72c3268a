package orders

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"ociedge/proxy/config"
)

// Service is the checkout domain: baskets, basket reservations, orders,
// their status changes, the auto-fail job and crash recovery. It is safe
// for concurrent use. Create it with Open; Close stops its job.
type Service struct {
	cfg  Config
	log  *zap.Logger
	m    *Metrics
	ix   edgeIndex
	repo *repo
	br   *breaker
	core *coreCaller
	oci  *ociSystem
	b2c  *b2cSystem

	baskets keyLocks // serialises changes to one basket
	orders  keyLocks // serialises changes to one order
	af      autoFailQueue

	ctx       context.Context // cancelled by Close: ends the job's calls
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once

	// afterReleaseIntent, if set, runs once a release intent is durable
	// and before the release (a kill point for crash tests).
	afterReleaseIntent func(*Order)
}

// Open loads the service's indexes from cfg.KV and starts the background
// job, whose first run settles what an interrupted process left.
func Open(cfg Config) (*Service, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Service{cfg: c, log: c.Logger, m: c.Metrics, ix: newEdgeIndex(c.Edge),
		repo: &repo{kv: c.KV, prefix: c.Prefix, block: c.OrderNoBlock}}
	core := c.Edge.Core
	setDefault(&core.Timeout, config.DefaultCoreTimeout)
	s.br = newBreaker(core.Breaker.Failures, core.Breaker.OpenFor, c.Now, s.circuitChanged)
	s.core = &coreCaller{core: c.Core, timeout: core.Timeout, retries: max(core.Retries, 0),
		backoff: c.RetryBackoff, transient: c.Transient, br: s.br, m: c.Metrics}
	s.oci = &ociSystem{s: s, core: s.core}
	s.b2c = &b2cSystem{s: s, inv: c.Inventory}
	s.af.init(s.ix)
	if err := s.loadAutoFail(); err != nil {
		return nil, err
	}
	if err := s.repo.indexModified(); err != nil {
		return nil, internal(err, "index the baskets by last modification")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if c.JobInterval > 0 {
		s.wg.Add(1)
		go s.jobLoop()
	}
	return s, nil
}

// Close stops the background job and waits for it. It does not close
// Config.KV. Safe to call more than once.
func (s *Service) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		s.wg.Wait()
	})
	return nil
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// system returns the reservation system with the name.
func (s *Service) system(name System) system {
	if name == SystemOCI {
		return s.oci
	}
	return s.b2c
}

// current returns the system the mode sends new reservations to.
func (s *Service) current() system {
	if s.cfg.Mode().ReservationsAtCore() {
		return s.oci
	}
	return s.b2c
}

func (s *Service) site(id string) (siteInfo, error) {
	if id == "" {
		return siteInfo{}, invalid("siteId", "the query parameter 'siteId' is required")
	}
	si, ok := s.ix.sites[id]
	if !ok {
		return siteInfo{}, errorf(ESITENOTFOUND, "No site with ID '%s' is configured.", clip(id))
	}
	return si, nil
}

// CircuitState returns the state of the circuit breaker in front of the core.
func (s *Service) CircuitState() CircuitState { return s.br.State() }

func (s *Service) circuitChanged(st CircuitState) {
	s.m.circuit(st)
	s.log.Warn("core circuit breaker changed state", zap.String("state", st.String()))
}

func (s *Service) jobLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.cfg.JobInterval)
	defer t.Stop()
	for {
		if _, err := s.RunJobs(s.ctx); err != nil && s.ctx.Err() == nil {
			s.log.Error("orders job failed", zap.Error(err))
		}
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// JobReport says what one run of the job did.
type JobReport struct {
	Settled    int // interrupted or pending reservation work finished
	Pending    int // reservation work still waiting (the core is unreachable)
	AutoFailed int // orders failed because they stayed created too long
	// BasketsExpired counts baskets deleted because they were not modified
	// for their site's basket lifetime.
	BasketsExpired int
}

// RunJobs settles pending reservation work, auto-fails the orders that
// are due and deletes the baskets whose lifetime ended. The background job
// calls it every Config.JobInterval; tests call it after moving the clock.
func (s *Service) RunJobs(ctx context.Context) (JobReport, error) {
	var r JobReport
	var err error
	r.Settled, r.Pending, err = s.settlePending(ctx)
	if err != nil {
		return r, err
	}
	r.AutoFailed, err = s.autoFailDue(ctx)
	if err != nil {
		return r, err
	}
	r.BasketsExpired, err = s.expireBaskets(ctx)
	return r, err
}
