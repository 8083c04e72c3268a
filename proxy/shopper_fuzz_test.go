package proxy

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fasthttp"
)

// FuzzShopperQuery: the Shopper Availability query parser never panics,
// and what it accepts respects the SCAPI limits.
func FuzzShopperQuery(f *testing.F) {
	for _, s := range []string{
		"siteId=RefArch&productIds=a,b,c",
		"siteId=RefArch&productIds=a&inventoryIds=l1,l2&expand=variations,set_products",
		"siteId=&productIds=,,",
		"productIds=%ff&siteId=x&inventoryIds=",
		"siteId=a&productIds=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		var args fasthttp.Args
		args.Parse(query)
		var q shopperQuery
		if msg := parseShopperQuery(&args, &q); msg != "" {
			return
		}
		if len(q.site) == 0 || len(q.site) > maxSiteIDLen {
			t.Fatalf("accepted site %q", q.site)
		}
		if q.nProducts < 1 || q.nProducts > maxProductIDs || q.nLists > maxInventoryIDs {
			t.Fatalf("accepted %d products, %d lists", q.nProducts, q.nLists)
		}
		for _, p := range q.products[:q.nProducts] {
			if len(p) == 0 || len(p) > maxProductIDLen || !utf8.Valid(p) || bytes.IndexByte(p, ',') >= 0 {
				t.Fatalf("accepted product id %q", p)
			}
		}
		var a invAnswer
		out := appendInventory(nil, q.products[0], &a)
		if !utf8.Valid(out) {
			t.Fatalf("encoded invalid UTF-8: %q", out)
		}
	})
}

// FuzzAppendEscaped: what appendEscaped writes, quoted, is a JSON string
// that decodes back to the input (valid UTF-8 input; the sku validator
// rejects the rest), and it never leaves <, > or & bare.
func FuzzAppendEscaped(f *testing.F) {
	for _, s := range []string{"", "sku-1", `a"b\c`, "x<y>&z", "tab\there\x00\x1f", "é€😀", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := appendEscaped([]byte(`"`), []byte(s))
		out = append(out, '"')
		var back string
		if err := json.Unmarshal(out, &back); err != nil || back != s {
			t.Fatalf("%q encoded as %s, decodes to %q (%v)", s, out, back, err)
		}
		if bytes.ContainsAny(out, "<>&") {
			t.Fatalf("%q encoded as %s: bare <, > or &", s, out)
		}
	})
}
