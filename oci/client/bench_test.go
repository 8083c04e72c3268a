package client

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
