package ocapi

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/valyala/fasthttp"
)

const (
	defaultCount = 25
	maxCount     = 200
)

// paging is the parsed start, count and select of a collection request.
type paging struct {
	start, count int
	selectRaw    string
	sel          *selector
}

func parsePaging(args *fasthttp.Args) (paging, error) {
	p := paging{count: defaultCount}
	var err error
	if v := args.Peek("start"); v != nil {
		if p.start, err = intParam("start", v, 0, 1<<31-1); err != nil {
			return p, err
		}
	}
	if v := args.Peek("count"); v != nil {
		if p.count, err = intParam("count", v, 1, maxCount); err != nil {
			return p, err
		}
	}
	if v := args.Peek("select"); v != nil {
		p.selectRaw = string(v)
		sel, ok := parseSelector(p.selectRaw)
		if !ok {
			return p, paramError("select", "%q is not a supported property selector such as (**) or (data.(product_id,ats))", p.selectRaw)
		}
		p.sel = sel
	}
	return p, nil
}

func intParam(name string, v []byte, lo, hi int) (int, error) {
	n, err := strconv.Atoi(string(v))
	if err != nil || n < lo || n > hi || !digitsOnly(v) {
		return 0, paramError(name, "must be an integer from %d to %d, got %q", lo, hi, v)
	}
	return n, nil
}

func digitsOnly(v []byte) bool { return len(v) > 0 && digits(string(v)) }

// collectionDoc is the product_inventory_records document.
type collectionDoc struct {
	V        string      `json:"_v"`
	Type     string      `json:"_type"`
	Count    int         `json:"count"`
	Data     []recordDoc `json:"data"`
	Next     string      `json:"next,omitempty"`
	Previous string      `json:"previous,omitempty"`
	Select   string      `json:"select,omitempty"`
	Start    int         `json:"start"`
	Total    int         `json:"total"`
}

// links sets next and previous.
func (d *collectionDoc) links(base string, p paging) {
	page := func(start int) string {
		q := "?start=" + strconv.Itoa(start) + "&count=" + strconv.Itoa(p.count)
		if p.selectRaw != "" {
			var a fasthttp.Args
			a.Set("select", p.selectRaw)
			q += "&" + a.String()
		}
		return base + q
	}
	if p.start+p.count < d.Total {
		d.Next = page(p.start + p.count)
	}
	if p.start > 0 {
		d.Previous = page(max(0, min(p.start, d.Total)-p.count))
	}
}

// writeSelected writes v filtered by the selector.
func writeSelected(ctx *fasthttp.RequestCtx, status int, v any, sel *selector) {
	if sel == nil || sel.all {
		writeJSON(ctx, status, v)
		return
	}
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		panic("BUG: cannot re-read own JSON: " + err.Error())
	}
	writeJSON(ctx, status, sel.apply(generic))
}
