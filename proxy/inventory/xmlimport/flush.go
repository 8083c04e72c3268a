package xmlimport

import (
	"ociedge/proxy/inventory"
)

// flush applies the queued records of the current list in one durable batch
// and reports each outcome.
func (r *run) flush() error {
	if len(r.pending) == 0 {
		return nil
	}
	batch := r.pending
	r.pending = r.pending[:0:0]
	changes := make([]inventory.RecordChange, len(batch))
	for i := range batch {
		changes[i] = batch[i].change
	}
	results, err := r.im.cfg.Store.ApplyRecords(r.list.ID, changes)
	switch inventory.ErrorCode(err) {
	case "":
	case inventory.EREADONLY: // the mode changed during the import
		r.readOnly = true
		for _, p := range batch {
			r.skipReadOnly(p.line, p.change.ProductID)
		}
		return nil
	case inventory.ELISTNOTFOUND: // deleted by someone else meanwhile
		r.rep.RecordsSkipped += len(batch)
		r.fail(batch[0].line, r.list.ID, "", err.Error())
		return nil
	default:
		r.rep.RecordsSkipped += len(batch)
		return err
	}
	for i, res := range results {
		r.report(batch[i], res)
	}
	return nil
}

func (r *run) report(p pending, res inventory.ChangeResult) {
	switch {
	case res.Err == nil && res.Deleted:
		r.rep.RecordsDeleted++
	case res.Err == nil:
		r.rep.RecordsImported++
	case p.change.Op == inventory.OpDelete && inventory.ErrorCode(res.Err) == inventory.ERECORDNOTFOUND:
		r.rep.RecordsSkipped++
		r.warn(p.line, r.list.ID, p.change.ProductID, "record to delete does not exist")
	default:
		r.rep.RecordsSkipped++
		r.fail(p.line, r.list.ID, p.change.ProductID, "record skipped: "+res.Err.Error())
	}
}
