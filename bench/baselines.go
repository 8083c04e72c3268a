package bench

import (
	"context"
	"fmt"
	"os"

	"ociedge/bench/baseline"
	"ociedge/bench/load"
	"ociedge/bench/wire"
)

// Baseline names.
const (
	baseHTTP   = "http-fixed-json"
	baseFsync  = "fsync"
	baseDecode = "ndjson-decode"
)

// httpBaseline measures the bare fasthttp server answering bodySize bytes
// with the same driver and load shape as the scenario (closed with the same
// connections, or open at the same rate), and adds it to rep.
func (r *Runner) httpBaseline(ctx context.Context, rep *Report, bodySize int) error {
	if r.cfg.Baselines.Skip {
		return nil
	}
	return r.httpBaselineAt(ctx, rep, bodySize, r.baselineLoad(), baseHTTP)
}

// httpBaselineAt measures the bare server under cfg and adds it to rep as
// name. When the server runs as a process of its own (Baselines.Exec), its
// CPU time per request is measured too.
func (r *Runner) httpBaselineAt(ctx context.Context, rep *Report, bodySize int, cfg load.Config, name string) error {
	url, pid, stop, err := r.startBaselineServer(bodySize)
	if err != nil {
		return err
	}
	defer stop()
	tg, err := load.NewTarget(load.TargetConfig{URL: url, Conns: r.conns(), Timeout: r.cfg.Timeout, ConnWait: r.cfg.Load.DropAfter})
	if err != nil {
		return err
	}
	defer tg.Close()
	where := "in process"
	if pid > 0 {
		where = "own process"
	}
	r.logf("baseline %s: %d-byte body (%s), %s", name, bodySize, where, describeLoad(cfg))
	cpu := startCPU(pid)
	res, err := load.Run(ctx, cfg, fixedSource(tg), load.NewRecorder())
	if err != nil {
		return err
	}
	rep.Baselines = append(rep.Baselines, Baseline{
		Name: name, Unit: "req/s", Value: res.GoodRate, Latency: res.OpLatency, CPUPerOp: cpu.perOp(res),
		Detail: fmt.Sprintf("bare fasthttp (%s), %d-byte JSON body, %s", where, bodySize, describeLoad(cfg)),
	})
	return nil
}

// startBaselineServer starts the bare server: a process of its own when
// Baselines.Exec names the ocibench binary (pid > 0), else in this process.
func (r *Runner) startBaselineServer(bodySize int) (url string, pid int, stop func(), err error) {
	if exe := r.cfg.Baselines.Exec; exe != "" {
		c, err := baseline.StartChild(exe, bodySize)
		if err != nil {
			return "", 0, nil, err
		}
		return c.URL(), c.PID(), func() { _ = c.Close() }, nil
	}
	srv, err := baseline.StartServer(baseline.FixedBody(bodySize))
	if err != nil {
		return "", 0, nil, err
	}
	return srv.URL(), 0, func() { _ = srv.Close() }, nil
}

// baselineLoad is the scenario's load shape for the baseline's duration; a
// knee search compares with the closed model at the most connections.
func (r *Runner) baselineLoad() load.Config {
	cfg := r.cfg.Load
	cfg.Duration = r.cfg.Baselines.Duration
	cfg.Warmup = min(cfg.Warmup, cfg.Duration/3)
	cfg.MaxOps = 0
	if r.cfg.Knee {
		cfg.Closed, cfg.Rate, cfg.RampTo = true, 0, 0
	}
	return cfg
}

// fixedSource sends GET / to t, forever.
func fixedSource(t *load.Target) load.Source {
	op := fixedOp{t: t}
	return load.SourceFunc(func(int64) load.Op { return op })
}

type fixedOp struct{ t *load.Target }

func (fixedOp) Name() string { return "baseline" }
func (o fixedOp) Run(s *load.Session) {
	s.Do(o.t, &load.Call{Route: "baseline", URI: "/product/baseline"})
}

// fsyncBaseline measures one writer's append + fsync rate.
func (r *Runner) fsyncBaseline(ctx context.Context, rep *Report) error {
	if r.cfg.Baselines.Skip {
		return nil
	}
	b := r.cfg.Baselines
	r.logf("baseline %s: 128-byte append + fsync in %s for %v", baseFsync, b.FsyncDir, b.FsyncDuration)
	res, err := baseline.Fsync(ctx, baseline.FsyncConfig{Dir: b.FsyncDir, Duration: b.FsyncDuration})
	if err != nil {
		return err
	}
	rep.Baselines = append(rep.Baselines, Baseline{
		Name: baseFsync, Unit: "syncs/s", Value: res.Rate,
		Latency: load.Percentiles{P50: res.P50, P90: res.P90, P99: res.P99, P999: res.P999, Max: res.Max},
		Detail:  fmt.Sprintf("one writer, 128-byte append + fsync in %s, %d syncs", b.FsyncDir, res.Syncs),
	})
	return nil
}

// decodeBaseline decodes the import file at path with encoding/json.
func (r *Runner) decodeBaseline(rep *Report, path string) error {
	if r.cfg.Baselines.Skip {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := baseline.DecodeNDJSON(f)
	if err != nil {
		return err
	}
	rep.Baselines = append(rep.Baselines, Baseline{
		Name: baseDecode, Unit: "records/s", Value: res.Rate,
		Detail: fmt.Sprintf("encoding/json decode of the same %d-line file", res.Records),
	})
	return nil
}

// probeAnswerSize asks the edge for one sku and returns the answer's size,
// so that the baseline answers as many bytes; the sample answer's size if
// the edge does not answer 200.
func (r *Runner) probeAnswerSize() int {
	size := len(wire.SampleAvailabilityAnswer)
	if r.cfg.Baselines.Skip {
		return size
	}
	req := wire.Availability(r.cfg.Org, r.cfg.Site, []string{r.cat.Name(0)}, nil)
	r.edge.Send(callOf("probe", req, func(status int, body []byte) string {
		if status == 200 && len(body) > 0 {
			size = len(body)
		}
		return ""
	}))
	return size
}
