package oci

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"ociedge/internal/kv"
)

// Store layout (all keys under the core's kv.Store):
//
//	core/meta/seq          last durable change-log sequence (8 bytes)
//	core/meta/graph        the location graph (JSON) with its epoch
//	core/meta/tokenkey     the delta-token signing key
//	core/r/<loc>\x00<sku>  an availability record (binary, see encodeRecord)
//	core/v/<id>            a reservation document (JSON, see docRecord)
//	core/i/<kind>/<id>\x00<sku>  an idempotency entry (binary)
//	core/m/<hash>          an imported recordId (16-byte hash) and when (unix seconds)
var (
	keySeq      = []byte("core/meta/seq")
	keyGraph    = []byte("core/meta/graph")
	keyTokenKey = []byte("core/meta/tokenkey")
	prefixRec   = []byte("core/r/")
	prefixDoc   = []byte("core/v/")
	prefixIdem  = []byte("core/i/")
	prefixImp   = []byte("core/m/")
)

func recordKey(loc, sku string) []byte {
	k := make([]byte, 0, len(prefixRec)+len(loc)+1+len(sku))
	k = append(k, prefixRec...)
	k = append(k, loc...)
	k = append(k, 0)
	return append(k, sku...)
}

func (c *Core) persistRecord(b *kv.Batch, s *skuState, l placeIdx) {
	key := recordKey(c.in.name(l), s.name)
	r := s.loc(l)
	if r == nil || !r.exists {
		b.Delete(key)
		return
	}
	b.Set(key, encodeRecord(r))
}

// encodeRecord: version byte, then varints onHand, safety, effective,
// len(futures), and per future quantity and unix-nano date.
func encodeRecord(r *locRecord) []byte {
	buf := make([]byte, 0, 32+len(r.futures)*16)
	buf = append(buf, 1)
	buf = binary.AppendVarint(buf, int64(r.onHand))
	buf = binary.AppendVarint(buf, int64(r.safety))
	buf = binary.AppendVarint(buf, r.effective)
	buf = binary.AppendUvarint(buf, uint64(len(r.futures)))
	for _, f := range r.futures {
		buf = binary.AppendVarint(buf, int64(f.Quantity))
		buf = binary.AppendVarint(buf, f.ExpectedDate.UnixNano())
	}
	return buf
}

var errCorrupt = errors.New("corrupt record")

func decodeRecord(buf []byte, r *locRecord) error {
	if len(buf) == 0 || buf[0] != 1 {
		return errCorrupt
	}
	d := decoder{buf: buf[1:]}
	r.onHand, r.safety, r.effective = Qty(d.varint()), Qty(d.varint()), d.varint()
	n := d.uvarint()
	if n > 10_000 {
		return errCorrupt
	}
	r.futures = make([]Future, 0, n)
	for range n {
		q := Qty(d.varint())
		r.futures = append(r.futures, Future{Quantity: q, ExpectedDate: time.Unix(0, d.varint()).UTC()})
	}
	r.exists = true
	return d.err
}

type decoder struct {
	buf []byte
	err error
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (c *Core) persistSeq(b *kv.Batch) {
	b.Set(keySeq, binary.BigEndian.AppendUint64(nil, c.seq))
}

type graphRecord struct {
	Epoch uint64 `json:"epoch"`
	Graph Graph  `json:"graph"`
}

func (c *Core) persistGraph(b *kv.Batch) {
	v, _ := json.Marshal(graphRecord{Epoch: c.graph.epoch, Graph: c.graph.graph})
	b.Set(keyGraph, v)
}

// load rebuilds the in-memory state from the store.
func (c *Core) load() error {
	s := c.cfg.Store
	if v, ok, err := s.Get(keySeq); err != nil {
		return err
	} else if ok && len(v) == 8 {
		c.seq = binary.BigEndian.Uint64(v)
	}
	if v, ok, err := s.Get(keyTokenKey); err != nil {
		return err
	} else if ok {
		c.tokenKey = v
	}
	if err := c.loadGraph(); err != nil {
		return err
	}
	steps := []struct {
		prefix []byte
		fn     func(k, v []byte) error
	}{
		{prefixRec, c.loadRecord},
		{prefixDoc, c.loadDoc},
		{prefixIdem, c.loadIdem},
		{prefixImp, c.loadImported},
	}
	for _, st := range steps {
		if err := s.Scan(st.prefix, st.fn); err != nil {
			return fmt.Errorf("cannot load %s: %w", st.prefix, err)
		}
	}
	c.rebuildHolds()
	return nil
}

func (c *Core) loadGraph() error {
	v, ok, err := c.cfg.Store.Get(keyGraph)
	if err != nil {
		return err
	}
	var gr graphRecord
	if ok {
		if err := json.Unmarshal(v, &gr); err != nil {
			return fmt.Errorf("cannot load the location graph: %w", err)
		}
	}
	c.graph = newGraphIndex(gr.Graph, gr.Epoch, &c.in)
	return nil
}

func (c *Core) loadRecord(k, v []byte) error {
	rest := k[len(prefixRec):]
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return fmt.Errorf("bad record key %q", k)
	}
	s := c.skus.getOrCreate(string(rest[i+1:]))
	r := s.locOrCreate(c.in.place(string(rest[:i])))
	if err := decodeRecord(v, r); err != nil {
		return fmt.Errorf("record %q: %w", k, err)
	}
	return nil
}
