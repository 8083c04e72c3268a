package client

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"ociedge/oci"
)

// exportFile is an export of records group records in places of 10,000, as
// the core writes them: every fourth record has a future.
func exportFile(records int) []byte {
	var b bytes.Buffer
	b.Grow(records * 220)
	for i := range records {
		if i%10_000 == 0 {
			fmt.Fprintf(&b, "{\"groupId\":\"group-%d\"}\n", i/10_000)
		}
		fmt.Fprintf(&b, `{"sku":"sku-%07d","atf":%d.25,"ato":%d.5,"onHand":%d,"reserved":1.75,"safetyStockCount":2,`+
			`"groupReserved":0,"sharedGroupReserved":0,"effectiveDate":"2026-03-01T12:00:00Z","futures":[`, i, i%500, i%500+9, i%500+4)
		if i%4 == 0 {
			b.WriteString(`{"expectedDate":"2026-04-01T00:00:00Z","quantity":10.25}`)
		}
		b.WriteString("]}\n")
	}
	b.WriteString(`{"deltaToken":"eyJ0eXBlIjoiR1JPVVBfRVhQT1JUIiwicGxhY2VzIjpbXX0"}` + "\n")
	return b.Bytes()
}

var (
	benchFileOnce sync.Once
	benchFile     []byte // 1,000,000 records
	benchSink     int
)

func millionRecords() []byte {
	benchFileOnce.Do(func() { benchFile = exportFile(1_000_000) })
	return benchFile
}

func reportRecords(b *testing.B, perOp int) {
	b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkParseExport is the export line parser and batcher over an
// in-memory file of 100,000 records.
func BenchmarkParseExport(b *testing.B) {
	file := exportFile(100_000)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	for b.Loop() {
		_, n, err := readExport(bytes.NewReader(file), oci.PlaceGroup, 1024, 1<<20, func(_ string, vs []oci.Values) error {
			benchSink += len(vs)
			return nil
		})
		if err != nil || n != 100_000 {
			b.Fatal(n, err)
		}
	}
	reportRecords(b, 100_000)
}

// BenchmarkParseExportEncodingJSON is the same file read with bufio.Scanner
// and encoding/json into exact quantities: the baseline the hand-written
// parser is measured against.
func BenchmarkParseExportEncodingJSON(b *testing.B) {
	file := exportFile(100_000)
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	type line struct {
		GroupID       string       `json:"groupId"`
		DeltaToken    string       `json:"deltaToken"`
		SKU           string       `json:"sku"`
		OnHand        oci.Qty      `json:"onHand"`
		Reserved      oci.Qty      `json:"reserved"`
		ATF           oci.Qty      `json:"atf"`
		ATO           oci.Qty      `json:"ato"`
		SafetyStock   oci.Qty      `json:"safetyStockCount"`
		GroupReserved oci.Qty      `json:"groupReserved"`
		Shared        oci.Qty      `json:"sharedGroupReserved"`
		EffectiveDate time.Time    `json:"effectiveDate"`
		Futures       []oci.Future `json:"futures"`
	}
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(file))
		for sc.Scan() {
			var l line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				b.Fatal(err)
			}
			benchSink += len(l.SKU)
		}
	}
	reportRecords(b, 100_000)
}

// BenchmarkExportEndToEnd is a whole Export of 1,000,000 records from a
// fake core on loopback: initiate, poll, stream the chunked download,
// parse, hand over in batches of 1024, delete. The edge's cache fill must
// do this (plus its own inserts) in under 5 s.
func BenchmarkExportEndToEnd(b *testing.B) {
	x := newImpexFake(b, millionRecords(), 0)
	c := mustClient(b, x.url)
	b.SetBytes(int64(len(millionRecords())))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		_, err := c.Export(context.Background(), oci.PlaceGroup, []string{"group-0"}, func(_ string, vs []oci.Values) error {
			n += len(vs)
			return nil
		})
		if err != nil || n != 1_000_000 {
			b.Fatal(n, err)
		}
	}
	reportRecords(b, 1_000_000)
}

// importRecords generates the import lines of n records at location wh-a
// without holding the file.
type importRecords struct {
	n, i int
	eff  string
	buf  []byte
}

func (r *importRecords) Read(p []byte) (int, error) {
	for len(r.buf) < len(p) && r.i < r.n {
		r.buf = fmt.Appendf(r.buf, `{"recordId":"r%d","locationId":"wh-a","sku":"sku-%07d","onHand":%d.25,"safetyStockCount":1,"effectiveDate":%q}`+"\n",
			r.i, r.i, r.i%500+2, r.eff)
		r.i++
	}
	if len(r.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.buf)
	r.buf = r.buf[:copy(r.buf, r.buf[n:])]
	return n, nil
}

// gzipped compresses r on the fly; done closes when the writer has ended.
func gzipped(r io.Reader) (*io.PipeReader, <-chan struct{}) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		zw := gzip.NewWriter(pw)
		_, err := io.Copy(zw, r)
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr, done
}

// BenchmarkExportFromCore is a whole Export of 1,000,000 location records
// from a real core on loopback (its export job writes the file, then the
// client streams and parses it). The records are imported through the
// client first, untimed; the import's rate is logged.
func BenchmarkExportFromCore(b *testing.B) {
	const n = 1_000_000
	k := startCore(b)
	c := k.client(b, func(cfg *Config) { cfg.After = time.After }) // real waits: the core's jobs run in real time
	setup(b, k, c)
	start := time.Now()
	file, done := gzipped(&importRecords{n: n, eff: k.clock.Now().Add(-time.Hour).Format(time.RFC3339)})
	st, err := c.Import(context.Background(), file, ImportOptions{GZIP: true})
	file.Close() // ends the writer if the upload never read it all
	<-done
	if err != nil || st.RecordsProcessed != n {
		b.Fatal(st, err)
	}
	b.Logf("imported %d records through the client in %v (%.0f records/s)", n, time.Since(start), n/time.Since(start).Seconds())
	b.ReportAllocs()
	for b.Loop() {
		got := 0
		if _, err := c.Export(context.Background(), oci.PlaceLocation, []string{"wh-a"}, func(_ string, vs []oci.Values) error {
			got += len(vs)
			return nil
		}); err != nil || got != n+1 {
			b.Fatal(got, err)
		}
	}
	reportRecords(b, n)
}
