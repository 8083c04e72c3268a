package baseline

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// DecodeResult is a bare NDJSON decode of an import file.
type DecodeResult struct {
	Records int64         `json:"records"`
	Elapsed time.Duration `json:"elapsedNs"`
	Rate    float64       `json:"ratePerSec"`
}

// importLine is the shape of an import line, decoded the way any Go reader
// of the file would (encoding/json into a struct).
type importLine struct {
	RecordID      string  `json:"recordId"`
	LocationID    string  `json:"locationId"`
	Sku           string  `json:"sku"`
	OnHand        float64 `json:"onHand"`
	EffectiveDate string  `json:"effectiveDate"`
}

// DecodeNDJSON decodes every line of r into a struct and reports the rate:
// the ceiling for an import of the same file on this machine.
func DecodeNDJSON(r io.Reader) (DecodeResult, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	start := time.Now()
	var n int64
	var line importLine
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return DecodeResult{}, fmt.Errorf("decode baseline: line %d: %w", n+1, err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return DecodeResult{}, fmt.Errorf("decode baseline: %w", err)
	}
	elapsed := time.Since(start)
	return DecodeResult{Records: n, Elapsed: elapsed, Rate: float64(n) / elapsed.Seconds()}, nil
}
