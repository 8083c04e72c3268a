package proxy

import (
	"bytes"
	"unicode/utf8"

	"github.com/valyala/fasthttp"
)

// Shopper Availability limits (SCAPI: 24 products, 5 inventory lists).
const (
	maxProductIDs   = 24
	maxInventoryIDs = 5
	maxProductIDLen = 100
	maxInventoryLen = 256
	maxSiteIDLen    = 32
)

// shopperQuery is a parsed Shopper Availability request. Its slices point
// into the request and die with it; it is reused through a pool so the hit
// path allocates nothing.
type shopperQuery struct {
	site      []byte
	products  [maxProductIDs][]byte
	nProducts int
	lists     [maxInventoryIDs][]byte
	nLists    int
}

// parseShopperQuery reads siteId, productIds, inventoryIds and expand. The
// error is a SCAPI validation detail.
func parseShopperQuery(args *fasthttp.Args, q *shopperQuery) string {
	q.site = args.Peek("siteId")
	if len(q.site) == 0 {
		return "The query parameter 'siteId' is required."
	}
	if len(q.site) > maxSiteIDLen {
		return "The query parameter 'siteId' must be at most 32 characters long."
	}
	pids := args.Peek("productIds")
	if len(pids) == 0 {
		return "The query parameter 'productIds' is required."
	}
	n, msg := splitIDs(pids, q.products[:], maxProductIDLen, "product IDs", "productIds")
	if msg != "" {
		return msg
	}
	q.nProducts = n
	q.nLists = 0
	if args.Has("inventoryIds") {
		n, msg = splitIDs(args.Peek("inventoryIds"), q.lists[:], maxInventoryLen, "inventory list IDs", "inventoryIds")
		if msg != "" {
			return msg
		}
		q.nLists = n
	}
	return checkExpand(args.Peek("expand"))
}

// splitIDs splits a comma list into dst, refusing empty ids, ids longer than
// maxLen and more ids than dst holds.
func splitIDs(s []byte, dst [][]byte, maxLen int, what, param string) (int, string) {
	n := 0
	for len(s) > 0 || n == 0 {
		id := s
		if i := bytes.IndexByte(s, ','); i >= 0 {
			id, s = s[:i], s[i+1:]
			if len(s) == 0 {
				return 0, "The query parameter '" + param + "' must not end with a comma."
			}
		} else {
			s = nil
		}
		if len(id) == 0 {
			return 0, "The query parameter '" + param + "' must not contain empty IDs."
		}
		if len(id) > maxLen {
			return 0, "An ID in '" + param + "' is longer than the maximum length."
		}
		if !utf8.Valid(id) {
			return 0, "An ID in '" + param + "' is not valid UTF-8."
		}
		if seen(dst[:n], id) {
			continue // SCAPI answers each product (and list) once
		}
		if n == len(dst) {
			return 0, "Maximum number of " + what + " you can request in one call is " + itoa(len(dst)) + "."
		}
		dst[n] = id
		n++
	}
	return n, ""
}

func seen(ids [][]byte, id []byte) bool {
	for _, x := range ids {
		if bytes.Equal(x, id) {
			return true
		}
	}
	return false
}

func checkExpand(e []byte) string {
	for len(e) > 0 {
		v := e
		if i := bytes.IndexByte(e, ','); i >= 0 {
			v, e = e[:i], e[i+1:]
		} else {
			e = nil
		}
		if string(v) != "variations" && string(v) != "set_products" {
			return "The query parameter 'expand' accepts only variations and set_products."
		}
	}
	return ""
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
