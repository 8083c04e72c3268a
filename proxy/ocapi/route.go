package ocapi

import (
	"net/url"
	"strings"

	"ociedge/proxy/inventory"
)

const (
	dataPrefix     = "/s/-/dw/data/"
	defaultVersion = "25.6"
)

// route is a parsed OCAPI record path.
type route struct {
	versionSeg string // v25_6
	version    string // 25.6, for "_v"
	list       string
	product    string
	hasProduct bool
	err        error // a claimed path that is malformed
}

// parseRoute matches
// /s/-/dw/data/{version}/inventory_lists/{id}/product_inventory_records[/{product_id}]
// on the raw path; ids are percent-decoded after splitting, so a product
// id may contain an encoded slash.
func parseRoute(path string) (route, bool) {
	segs := strings.Split(path[len(dataPrefix):], "/")
	if len(segs) < 4 || len(segs) > 5 || segs[1] != "inventory_lists" || segs[3] != "product_inventory_records" {
		return route{}, false
	}
	rt := route{versionSeg: segs[0], version: defaultVersion}
	if v, ok := parseVersion(segs[0]); ok {
		rt.version = v
	} else {
		rt.err = paramError("version", "the version path segment must look like v25_6, not %q", segs[0])
	}
	var err error
	if rt.list, err = url.PathUnescape(segs[2]); err != nil && rt.err == nil {
		rt.err = paramError("inventory_list_id", "is not correctly percent-encoded")
	}
	if len(segs) == 5 && segs[4] != "" {
		rt.hasProduct = true
		if rt.product, err = url.PathUnescape(segs[4]); err != nil && rt.err == nil {
			rt.err = paramError("product_id", "is not correctly percent-encoded")
		}
	}
	return rt, true
}

// parseVersion turns v25_6 into 25.6.
func parseVersion(seg string) (string, bool) {
	major, minor, ok := strings.Cut(strings.TrimPrefix(seg, "v"), "_")
	if !ok || !strings.HasPrefix(seg, "v") || !digits(major) || !digits(minor) || len(major) > 4 || len(minor) > 4 {
		return "", false
	}
	return major + "." + minor, true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// recordLink is the document's link.
func recordLink(base string, rt route, product string) string {
	return collectionLink(base, rt) + "/" + url.PathEscape(product)
}

func collectionLink(base string, rt route) string {
	return base + dataPrefix + rt.versionSeg + "/inventory_lists/" + url.PathEscape(rt.list) + "/product_inventory_records"
}

// paramError is a bad query or path parameter.
func paramError(name, format string, args ...any) error {
	e := inventory.Errorf(EPARAM, format, args...)
	e.Field = name
	return e
}
