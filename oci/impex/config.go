package impex

import (
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"ociedge/internal/kv"
	"ociedge/oci"
)

// DefaultBatchRecords is the default of Config.BatchRecords.
const DefaultBatchRecords = 2000

// Core is what the impex service needs of the OCI core; *oci.Core
// implements it.
type Core interface {
	ApplyImportAsync(us []oci.RecordUpdate) ([]oci.ImportResult, func() error, error)
	Export(kind oci.PlaceType, ids []string, sink oci.ExportSink) (string, error)
	Graph() (oci.Graph, uint64)
	GraphChanging() bool
	Reservations(f oci.ReservationFilter, fn func(oci.ReservationView) error) error
}

var _ Core = (*oci.Core)(nil)

// Config configures a Service. Core, Store and Dir are required; every other
// zero field means the default documented beside it.
type Config struct {
	// Core applies imports and serves exports. Required.
	Core Core
	// Store keeps the job records durable, under keys "impex/". Required;
	// usually the core's own store. The caller closes it after Close.
	Store kv.Store
	// Dir holds uploaded files, import results and export files. Required;
	// created if missing. Nothing else may write there.
	Dir string
	// Now is the clock (link expiry, job times). Default time.Now.
	Now func() time.Time
	// Logger receives job state changes. Default: discard.
	Logger *zap.Logger
	// Metrics, if set, records the service's metrics.
	Metrics *Metrics

	// MaxFileBytes bounds an uploaded file as sent (compressed or not).
	// Default 100 MiB, the gateway limit of reference §5.2.
	MaxFileBytes int64
	// MaxDecompressedBytes bounds a GZIP upload once decompressed (gzip
	// bombs). Default 1 GiB.
	MaxDecompressedBytes int64
	// MaxLineBytes bounds one line of an import file; a longer line fails
	// alone. Default 64 KiB.
	MaxLineBytes int
	// BatchRecords is how many records go to the core in one ApplyImport
	// (one durable commit). Default 2000.
	BatchRecords int

	// DefaultLinkDuration is the upload link's lifetime when the request
	// gives no linkDuration. Default 60 minutes.
	DefaultLinkDuration time.Duration
	// MaxLinkDuration bounds linkDuration. Default 60 minutes (reference
	// §5.2: "up to 60 minutes max").
	MaxLinkDuration time.Duration
	// ResultTTL is how long import results and export files can be
	// downloaded after the job ends; then their links answer 410 and the
	// files are removed. Default 24 h.
	ResultTTL time.Duration
	// JobRetention is how long a finished job (or an import whose upload
	// link expired unused) stays listed before it is forgotten. Default 7
	// days; never less than ResultTTL.
	JobRetention time.Duration
	// SweepInterval is how often expired files and jobs are removed.
	// Default 1 minute.
	SweepInterval time.Duration
	// MaxRunningExports bounds exports running at once; more wait PENDING.
	// Default 2.
	MaxRunningExports int
}

func (cfg *Config) setDefaults() error {
	switch {
	case cfg.Core == nil:
		return errors.New("impex: Config.Core is required")
	case cfg.Store == nil:
		return errors.New("impex: Config.Store is required")
	case cfg.Dir == "":
		return errors.New("impex: Config.Dir is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	setDefault(&cfg.MaxFileBytes, 100<<20)
	setDefault(&cfg.MaxDecompressedBytes, 1<<30)
	setDefault(&cfg.MaxLineBytes, 64<<10)
	setDefault(&cfg.BatchRecords, DefaultBatchRecords)
	setDefault(&cfg.DefaultLinkDuration, time.Hour)
	setDefault(&cfg.MaxLinkDuration, time.Hour)
	setDefault(&cfg.ResultTTL, 24*time.Hour)
	setDefault(&cfg.JobRetention, 7*24*time.Hour)
	setDefault(&cfg.SweepInterval, time.Minute)
	setDefault(&cfg.MaxRunningExports, 2)
	return cfg.validate()
}

func (cfg *Config) validate() error {
	for _, f := range []struct {
		name string
		ok   bool
	}{
		{"MaxFileBytes", cfg.MaxFileBytes > 0},
		{"MaxDecompressedBytes", cfg.MaxDecompressedBytes > 0},
		{"MaxLineBytes", cfg.MaxLineBytes >= 1<<10 && cfg.MaxLineBytes <= 16<<20},
		{"BatchRecords", cfg.BatchRecords > 0 && cfg.BatchRecords <= 100_000},
		{"DefaultLinkDuration", cfg.DefaultLinkDuration >= time.Minute && cfg.DefaultLinkDuration <= cfg.MaxLinkDuration},
		{"MaxLinkDuration", cfg.MaxLinkDuration >= time.Minute},
		{"ResultTTL", cfg.ResultTTL > 0},
		{"JobRetention", cfg.JobRetention >= cfg.ResultTTL},
		{"SweepInterval", cfg.SweepInterval > 0},
		{"MaxRunningExports", cfg.MaxRunningExports > 0},
	} {
		if !f.ok {
			return fmt.Errorf("impex: Config.%s is out of range", f.name)
		}
	}
	return nil
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}
