package workload

import (
	"fmt"
	"strings"
)

// precomputed is how many sku names a Catalog keeps ready; the rest are
// formatted when drawn.
const precomputed = 1 << 20

// A Catalog names the skus of a scenario: sku i (the rank a draw returns,
// from 0) is fmt.Sprintf(Format, First+i), so that a catalog can match a
// data set whose skus are numbered from 1 (the demo's sku-000001…).
// Immutable after NewCatalog, safe for concurrent use.
type Catalog struct {
	format string
	first  int
	names  []string
}

// NewCatalog checks that format has one integer verb (e.g. "sku-%06d") and
// names the first skus ahead of time; first is the number of sku 0.
func NewCatalog(format string, first, n int) (*Catalog, error) {
	if probe := fmt.Sprintf(format, 1); strings.Contains(probe, "%!") || probe == fmt.Sprintf(format, 2) {
		return nil, fmt.Errorf("workload: sku format %q must have exactly one integer verb, like sku-%%06d", format)
	}
	if first < 0 {
		return nil, fmt.Errorf("workload: first sku number %d must not be negative", first)
	}
	c := &Catalog{format: format, first: first, names: make([]string, min(n, precomputed))}
	for i := range c.names {
		c.names[i] = fmt.Sprintf(format, first+i)
	}
	return c, nil
}

// Name returns sku i's name.
func (c *Catalog) Name(i int32) string {
	if int(i) < len(c.names) {
		return c.names[i]
	}
	return fmt.Sprintf(c.format, c.first+int(i))
}

// Names appends the names of idx to dst.
func (c *Catalog) Names(idx []int32, dst []string) []string {
	for _, i := range idx {
		dst = append(dst, c.Name(i))
	}
	return dst
}
