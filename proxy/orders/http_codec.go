package orders

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// wholeNumber is a JSON number that must be a whole number. It records
// what was wrong instead of failing the decode, so that the error can name
// the field.
type wholeNumber struct {
	set, null bool
	v         int64
	bad       string
}

func (n *wholeNumber) UnmarshalJSON(b []byte) error {
	n.set = true
	if string(b) == "null" {
		n.null = true
		return nil
	}
	n.v, n.bad = parseWhole(string(b))
	return nil
}

// maxWhole bounds a whole number read from a request; anything larger is
// out of every range the API accepts anyway.
const maxWhole = 1 << 40

// parseWhole reads a JSON number literal exactly (never through float64
// or a big power of ten) and returns it if it is a whole number within
// ±maxWhole, else why not.
func parseWhole(s string) (int64, string) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expPart, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, hasFrac := strings.Cut(mant, ".")
	if !allDigits(intPart) || len(intPart) > 1 && intPart[0] == '0' || hasFrac && !allDigits(frac) {
		return 0, "must be a number"
	}
	exp := 0
	if hasExp {
		var ok bool
		if exp, ok = parseExp(expPart); !ok {
			return 0, "must be a number"
		}
	}
	digits := strings.TrimLeft(intPart+frac, "0")
	exp -= len(frac)
	if digits == "" {
		return 0, ""
	}
	if exp < 0 {
		if -exp > len(digits) || strings.TrimRight(digits[len(digits)+exp:], "0") != "" {
			return 0, "must be a whole number"
		}
		digits, exp = digits[:len(digits)+exp], 0
	}
	if len(digits)+exp > 13 {
		return 0, "is out of range"
	}
	v, _ := strconv.ParseInt(digits+strings.Repeat("0", exp), 10, 64)
	if v > maxWhole {
		return 0, "is out of range"
	}
	if neg {
		v = -v
	}
	return v, ""
}

// parseExp reads an exponent ([+-]digits), clamped to ±100: beyond that
// only zero is a whole number in range, and ±100 decides that as well.
func parseExp(s string) (int, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	if !allDigits(s) {
		return 0, false
	}
	e := 100
	if len(s) < 4 {
		e, _ = strconv.Atoi(s)
		e = min(e, 100)
	}
	if neg {
		e = -e
	}
	return e, true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// check returns the number or an error naming field. missing is the
// value of an absent number (ok false: required).
func (n *wholeNumber) check(field string, missing int64, ok bool) (int64, error) {
	switch {
	case !n.set && ok:
		return missing, nil
	case !n.set || n.null:
		return 0, invalid(field, "is required and must not be null")
	case n.bad != "":
		return 0, invalid(field, "%s", n.bad)
	}
	return n.v, nil
}

// itemJSON is a product item in a request.
type itemJSON struct {
	ItemID      *string     `json:"itemId"`
	ProductID   *string     `json:"productId"`
	Quantity    wholeNumber `json:"quantity"`
	InventoryID *string     `json:"inventoryId"`
}

func (it *itemJSON) input(p string) (ItemInput, error) {
	if it.ProductID == nil {
		return ItemInput{}, invalid(p+"productId", "is required")
	}
	q, err := it.Quantity.check(p+"quantity", 1, true)
	if err != nil {
		return ItemInput{}, err
	}
	return ItemInput{ProductID: *it.ProductID, Quantity: q, InventoryID: deref(it.InventoryID)}, nil
}

func (it *itemJSON) update(p, itemID string) (ItemUpdate, error) {
	u := ItemUpdate{ItemID: itemID, InventoryID: it.InventoryID}
	if it.Quantity.set {
		q, err := it.Quantity.check(p+"quantity", 0, false)
		if err != nil {
			return u, err
		}
		u.Quantity = &q
	}
	return u, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// decodeBody checks the size and media type of the request body and
// decodes it into v. An empty body decodes nothing unless required.
func (h *Handler) decodeBody(ctx *fasthttp.RequestCtx, v any, required bool) error {
	body := ctx.PostBody()
	if len(body) > h.s.cfg.MaxBodyBytes {
		return errorf(ETOOLARGE, "The request body is larger than %d bytes.", h.s.cfg.MaxBodyBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return invalid("body", "a JSON request body is required")
		}
		return nil
	}
	if ct := ctx.Request.Header.ContentType(); len(ct) > 0 && !isJSON(ct) {
		return errorf(EMEDIATYPE, "The request body must be application/json, not %q.", clip(string(ct)))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return invalid("body", "the body holds more than one JSON value")
	}
	return nil
}

func isJSON(ct []byte) bool {
	mt, _, _ := bytes.Cut(ct, []byte(";"))
	mt = bytes.ToLower(bytes.TrimSpace(mt))
	return bytes.Equal(mt, []byte("application/json")) || bytes.HasSuffix(mt, []byte("+json"))
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "body"
		}
		return invalid(field, "must be a JSON %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	}
	return invalid("body", "malformed JSON: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "slice":
		return "array"
	case "struct", "map":
		return "object"
	case "ptr", "string":
		return "string"
	}
	return k
}

// scapiTime formats a time as SCAPI does: UTC with milliseconds.
type scapiTime time.Time

func (t scapiTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z") + `"`), nil
}

// itemOut is a ProductItem in a response.
type itemOut struct {
	ItemID      string `json:"itemId"`
	ProductID   string `json:"productId"`
	Quantity    int64  `json:"quantity"`
	InventoryID string `json:"inventoryId,omitempty"`
	ShipmentID  string `json:"shipmentId"`
}

func itemsOut(items []Item) []itemOut {
	out := make([]itemOut, len(items))
	for i, it := range items {
		out[i] = itemOut{ItemID: it.ItemID, ProductID: it.ProductID, Quantity: it.Quantity,
			InventoryID: it.InventoryID, ShipmentID: "me"}
	}
	return out
}

// basketOut is a Basket in a response: the fields that matter for
// inventory, and the custom c_ properties the schema allows.
type basketOut struct {
	BasketID                   string     `json:"basketId"`
	CreationDate               scapiTime  `json:"creationDate"`
	LastModified               scapiTime  `json:"lastModified"`
	ProductItems               []itemOut  `json:"productItems"`
	InventoryReservationExpiry *scapiTime `json:"inventoryReservationExpiry,omitempty"`
	ChannelType                string     `json:"channelType"`
	ReservationSystem          string     `json:"c_inventoryReservationSystem,omitempty"`
	RemovedProducts            []string   `json:"c_removedProductIds,omitempty"`
}

func (h *Handler) basketJSON(b *Basket, removed []string) basketOut {
	out := basketOut{BasketID: b.ID, CreationDate: scapiTime(b.Created), LastModified: scapiTime(b.Modified),
		ProductItems: itemsOut(b.Items), ChannelType: "storefront", RemovedProducts: removed}
	if b.Res.Live(h.s.now()) {
		exp := scapiTime(b.Res.Expires)
		out.InventoryReservationExpiry = &exp
		out.ReservationSystem = string(b.Res.System)
	}
	return out
}

// orderOut is an Order in a response.
type orderOut struct {
	OrderNo           string    `json:"orderNo"`
	Status            string    `json:"status"`
	SiteID            string    `json:"siteId"`
	CreationDate      scapiTime `json:"creationDate"`
	LastModified      scapiTime `json:"lastModified"`
	ProductItems      []itemOut `json:"productItems"`
	ChannelType       string    `json:"channelType"`
	BasketID          string    `json:"c_basketId,omitempty"`
	ReservationSystem string    `json:"c_inventoryReservationSystem,omitempty"`
	FailReason        string    `json:"c_failReason,omitempty"`
}

func orderJSON(o *Order) orderOut {
	return orderOut{OrderNo: o.No, Status: string(o.Status), SiteID: o.SiteID, CreationDate: scapiTime(o.Created),
		LastModified: scapiTime(o.Modified), ProductItems: itemsOut(o.Items), ChannelType: "storefront",
		BasketID: o.BasketID, ReservationSystem: string(o.Res.System), FailReason: o.FailReason}
}

func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("BUG: cannot encode a response: %v", err))
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json")
	ctx.SetBody(b)
}
