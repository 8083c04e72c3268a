// Package xmlimport imports B2C Commerce inventory-list XML (namespace
// http://www.demandware.com/xml/impex/inventory/2007-05-31, schema
// inventory.xsd) into an inventory.Store.
//
// The file is streamed token by token; records are applied in durable
// batches as they are read, so a large file never sits whole in memory.
// A record that is well-formed XML but invalid (a bad number, an unknown
// element, a negative allocation) is reported with its line and skipped; the
// rest continues. Malformed XML stops the import with an error naming the
// line, after the complete records read before it have been applied. No
// record is ever half-applied.
//
// In Omnichannel Inventory mode (the store refuses record writes) lists are
// still imported, and every record is skipped with OCISkipWarning.
package xmlimport

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"go.uber.org/zap"

	"ociedge/proxy/inventory"
)

// Namespace is the inventory import namespace.
const Namespace = "http://www.demandware.com/xml/impex/inventory/2007-05-31"

// OCISkipWarning is the warning for each record skipped in Omnichannel
// Inventory mode, word for word B2C's.
const OCISkipWarning = "Omnichannel Inventory doesn't support the import of inventory records. Skipping element."

// Config configures an Importer. Only Store is required.
type Config struct {
	Store *inventory.Store
	// Logger gets one summary line per import. nil means no logging.
	Logger *zap.Logger
	// BatchSize is how many records one durable write applies. 0 means 500.
	BatchSize int
	// MaxIssues bounds the warnings and errors a Report keeps (they are
	// all counted). 0 means 10000.
	MaxIssues int
	// MaxTokenBytes bounds one text node, tag or comment. 0 means 1 MiB;
	// values below 4096 are raised to 4096.
	MaxTokenBytes int
	// MaxDepth bounds element nesting. 0 means 64.
	MaxDepth int
}

// Importer imports inventory XML. It is safe for concurrent use; imports
// run independently (each record write is atomic in the store).
type Importer struct {
	cfg Config
	log *zap.Logger
}

// New checks cfg and returns an Importer.
func New(cfg Config) (*Importer, error) {
	if cfg.Store == nil {
		return nil, errors.New("xmlimport: Config.Store is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 500
	}
	if cfg.MaxIssues <= 0 {
		cfg.MaxIssues = 10000
	}
	if cfg.MaxTokenBytes <= 0 {
		cfg.MaxTokenBytes = 1 << 20
	}
	cfg.MaxTokenBytes = max(cfg.MaxTokenBytes, 4096)
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = 64
	}
	return &Importer{cfg: cfg, log: cfg.Logger}, nil
}

// SyntaxError is the cause of the error Import returns for malformed XML.
type SyntaxError struct {
	Line int
	Msg  string
	Err  error // the reader's error, when reading failed rather than parsing
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func (e *SyntaxError) Unwrap() error { return e.Err }

// Import reads one inventory XML document from r. The report says what was
// applied even when the error is not nil. The error is an *inventory.Error:
// EINVALID wrapping a *SyntaxError for malformed XML, or the store's error
// (EINTERNAL) when a batch could not be written.
func (im *Importer) Import(r io.Reader) (*Report, error) {
	d := xml.NewDecoder(&guardReader{r: r, max: im.cfg.MaxTokenBytes})
	d.Strict = true
	run := &run{im: im, d: d, rep: newReport(), readOnly: im.cfg.Store.CheckWritable() != nil}
	err := run.document()
	if ferr := run.flush(); err == nil {
		err = ferr
	}
	rep := run.rep
	im.log.Info("inventory XML import", zap.Int("recordsImported", rep.RecordsImported),
		zap.Int("recordsDeleted", rep.RecordsDeleted), zap.Int("recordsSkipped", rep.RecordsSkipped),
		zap.Int("warnings", rep.WarningCount), zap.Int("errors", rep.ErrorCount), zap.Error(err))
	return rep, err
}

// run is the state of one import.
type run struct {
	im       *Importer
	d        *xml.Decoder
	rep      *Report
	readOnly bool // records are skipped (Omnichannel Inventory mode)
	depth    int  // open elements

	list    *inventory.List // the list whose records are being read; nil: skip them
	pending []pending
	// skipList and skipReason explain why the records of a list are skipped.
	skipList, skipReason string
}

type pending struct {
	line   int
	change inventory.RecordChange
}

func (r *run) line() int {
	l, _ := r.d.InputPos()
	return l
}

func (r *run) warn(line int, list, product, msg string) {
	r.rep.add(&r.rep.Warnings, &r.rep.WarningCount, r.im.cfg.MaxIssues, Issue{line, list, product, msg})
}

func (r *run) fail(line int, list, product, msg string) {
	r.rep.add(&r.rep.Errors, &r.rep.ErrorCount, r.im.cfg.MaxIssues, Issue{line, list, product, msg})
}

// fatal makes the error Import returns for malformed XML.
func (r *run) fatal(line int, msg string) error { return r.fatalCause(line, msg, nil) }

func (r *run) fatalCause(line int, msg string, cause error) error {
	se := &SyntaxError{Line: line, Msg: msg, Err: cause}
	return &inventory.Error{Code: inventory.EINVALID, Field: "xml", Message: "malformed XML at " + se.Error(), Err: se}
}
