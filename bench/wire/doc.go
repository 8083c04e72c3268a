// Package wire is the harness's copy of the wire contracts it speaks: route
// paths, request bodies and the few fields it reads from answers. There is
// one file per API, so that a path or a body can be adjusted in one place
// when a server changes:
//
//	edge_availability.go  Shopper Availability (the edge, DESIGN §3.4)
//	edge_checkout.go      baskets, orders, order status (the edge, SCAPI-shaped)
//	core_auth.go          the Account-Manager-style token endpoint (the core)
//	core_availability.go  OCI availability: get-availability, batch-update
//	core_reservation.go   OCI reservation documents: reserve, cancel
//	core_impex.go         OCI impex availability import: create, upload, status
//
// The package knows nothing about load or timing; it builds Requests and
// reads bodies (copying what it keeps).
package wire

import (
	"encoding/json"
	"net/url"
	"strings"
)

// A Request is one HTTP request: method, path with query, body.
type Request struct {
	Method      string
	URI         string
	Body        []byte
	ContentType string
}

const contentJSON = "application/json"

// jsonRequest marshals v (a struct of plain fields, which cannot fail).
func jsonRequest(method, uri string, v any) Request {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: wire body does not marshal: " + err.Error())
	}
	return Request{Method: method, URI: uri, Body: b, ContentType: contentJSON}
}

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// queryList escapes each value and joins them with commas, the SCAPI list
// syntax (productIds=a,b,c).
func queryList(values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(url.QueryEscape(v))
	}
	return b.String()
}

// PathOf returns the path and query of a link that may be absolute
// ("http://host/inventory/…") or already a path.
func PathOf(link string) string {
	if u, err := url.Parse(link); err == nil && u.Host != "" {
		return u.RequestURI()
	}
	return link
}
