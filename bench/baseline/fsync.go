package baseline

import (
	"context"
	"fmt"
	"os"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// FsyncConfig bounds an fsync measurement. Zero fields take their defaults.
type FsyncConfig struct {
	// Dir is where the scratch file goes: put it on the disk the core writes
	// to. Zero means "." (os.TempDir is often a tmpfs, where fsync is free).
	Dir string
	// Duration bounds the measurement. Zero means 1s.
	Duration time.Duration
	// MaxSyncs, if positive, ends it after that many syncs.
	MaxSyncs int
}

// FsyncResult is one writer's append + fsync rate.
type FsyncResult struct {
	Syncs   int64         `json:"syncs"`
	Elapsed time.Duration `json:"elapsedNs"`
	Rate    float64       `json:"ratePerSec"`
	P50     time.Duration `json:"p50Ns"`
	P90     time.Duration `json:"p90Ns"`
	P99     time.Duration `json:"p99Ns"`
	P999    time.Duration `json:"p999Ns"`
	Max     time.Duration `json:"maxNs"`
}

// Fsync appends 128-byte records to a scratch file in cfg.Dir, with an fsync
// after each, from one writer, and reports the rate and latencies. The file
// is removed afterwards.
func Fsync(ctx context.Context, cfg FsyncConfig) (FsyncResult, error) {
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.Duration == 0 {
		cfg.Duration = time.Second
	}
	f, err := os.CreateTemp(cfg.Dir, "ocibench-fsync-*")
	if err != nil {
		return FsyncResult{}, fmt.Errorf("fsync baseline: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	return syncLoop(ctx, f, cfg)
}

func syncLoop(ctx context.Context, f *os.File, cfg FsyncConfig) (FsyncResult, error) {
	rec := make([]byte, 128)
	rec[127] = '\n'
	h := hdrhistogram.New(1000, int64(time.Minute), 3)
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	var n int64
	for now := start; now.Before(deadline) && ctx.Err() == nil; now = time.Now() {
		if cfg.MaxSyncs > 0 && n >= int64(cfg.MaxSyncs) {
			break
		}
		if _, err := f.Write(rec); err != nil {
			return FsyncResult{}, fmt.Errorf("fsync baseline: %w", err)
		}
		if err := f.Sync(); err != nil {
			return FsyncResult{}, fmt.Errorf("fsync baseline: %w", err)
		}
		_ = h.RecordValue(min(int64(time.Since(now)), int64(time.Minute)))
		n++
	}
	elapsed := time.Since(start)
	q := func(p float64) time.Duration { return time.Duration(h.ValueAtQuantile(p)) }
	return FsyncResult{
		Syncs: n, Elapsed: elapsed, Rate: float64(n) / elapsed.Seconds(),
		P50: q(50), P90: q(90), P99: q(99), P999: q(99.9), Max: time.Duration(h.Max()),
	}, nil
}
