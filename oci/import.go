package oci

import (
	"fmt"
	"time"
)

// ImportOutcome is what happened to one import record.
type ImportOutcome uint8

// Import record outcomes.
const (
	ImportApplied ImportOutcome = iota + 1
	ImportSkipped               // recordId seen before, or older than the stored effectiveDate
	ImportFailed
)

// ImportResult is the outcome of one import record; Message explains a failure.
type ImportResult struct {
	Outcome ImportOutcome
	Message string
}

// ApplyImport applies a batch of availability import records (reference
// §5.2): every record needs a recordId and an effectiveDate; a recordId that
// was imported before is skipped, not applied twice — also across restarts;
// a bad record fails alone and the rest apply. The batch is durable when
// ApplyImport returns.
func (c *Core) ApplyImport(us []RecordUpdate) ([]ImportResult, error) {
	out, wait, err := c.ApplyImportAsync(us)
	if err != nil {
		return nil, err
	}
	if err := wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// ApplyImportAsync is ApplyImport without waiting for durability: the
// results are final once wait returns nil, and nothing may be acknowledged
// before. An import pipeline applies the next batch while this one is
// fsynced; recordId dedup makes re-applying after a crash safe.
func (c *Core) ApplyImportAsync(us []RecordUpdate) ([]ImportResult, func() error, error) {
	out := make([]ImportResult, len(us))
	now := c.now()
	for i := range us {
		if msg := validateImport(&us[i], now); msg != "" {
			out[i] = ImportResult{ImportFailed, msg}
		}
	}
	g, err := c.writeAsync(func(tx *txn) error {
		for i := range us {
			if out[i].Outcome == 0 {
				out[i] = c.importOne(tx, &us[i])
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	wait := func() error {
		if err := g.wait(); err != nil {
			return err
		}
		c.countImport(out)
		return nil
	}
	return out, wait, nil
}

func (c *Core) countImport(out []ImportResult) {
	counts := map[ImportOutcome]int{}
	for _, r := range out {
		counts[r.Outcome]++
	}
	c.m.importRecords("applied", counts[ImportApplied])
	c.m.importRecords("skipped", counts[ImportSkipped])
	c.m.importRecords("failed", counts[ImportFailed])
}

func validateImport(u *RecordUpdate, now time.Time) string {
	if u.ID == "" {
		return "'recordId' is required"
	}
	if len(u.ID) > 256 {
		return "'recordId' must be at most 256 characters"
	}
	if !u.EffectiveDate.Set || u.EffectiveDate.V.IsZero() {
		return "'effectiveDate' is required"
	}
	if err := u.validate("", now); err != nil {
		return err.(*Error).Message
	}
	return ""
}

func (c *Core) importOne(tx *txn, u *RecordUpdate) ImportResult {
	l, err := c.graph.resolve(&c.in, Loc(u.Location))
	if err != nil {
		return ImportResult{ImportFailed, fmt.Sprintf("No location exists with ID '%s'", clip(u.Location))}
	}
	h := hashRecordID(u.ID)
	if c.imported.has(h) {
		return ImportResult{Outcome: ImportSkipped}
	}
	c.imported.add(&tx.batch, h, c.now())
	if !c.applyUpdate(tx, l, u) {
		return ImportResult{Outcome: ImportSkipped}
	}
	return ImportResult{Outcome: ImportApplied}
}
