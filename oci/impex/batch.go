package impex

import "ociedge/oci"

// batch is a run of import lines on their way to the core: the records to
// apply, the lines that failed before reaching it, and where the file
// stands after the batch. Batches are recycled; the futures of its records
// are cut from its arena.
type batch struct {
	recs    []oci.RecordUpdate
	lines   []int64   // the line of each record
	fails   []failure // lines that failed while being read, in line order
	arena   []oci.Future
	endLine int64       // lines consumed through the end of the batch
	state   layoutState // the layout state after the batch
	err     error       // a read error: the stream ends here
}

func (b *batch) add(n int64, r *oci.RecordUpdate) {
	b.recs = append(b.recs, *r)
	b.lines = append(b.lines, n)
}

func (b *batch) fail(f failure) { b.fails = append(b.fails, f) }

// size counts the lines the batch will report (records and failures).
func (b *batch) size() int { return len(b.recs) + len(b.fails) }

func (b *batch) reset() {
	clear(b.recs)
	b.recs, b.lines, b.fails, b.arena = b.recs[:0], b.lines[:0], b.fails[:0], b.arena[:0]
	b.endLine, b.state, b.err = 0, layoutState{}, nil
}
