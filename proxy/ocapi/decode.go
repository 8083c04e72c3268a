package ocapi

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"ociedge/proxy/inventory"
)

// readOnlyFields are document fields a client may send back (a GET, edited,
// then PUT) but cannot set: they are ignored.
var readOnlyFields = map[string]bool{
	"ats": true, "stock_level": true, "creation_date": true, "last_modified": true,
	"link": true, "product_name": true,
}

// decodeRecord turns a PUT or PATCH body into a change. Unknown fields are
// refused, naming the field; so are values of the wrong type.
func decodeRecord(body []byte, rt route, patch bool) (inventory.RecordChange, error) {
	c := inventory.RecordChange{ProductID: rt.product}
	fields, err := decodeObject(body)
	if err != nil {
		return c, err
	}
	for name, raw := range fields {
		if err := setField(&c, rt, name, raw, patch); err != nil {
			return c, err
		}
	}
	return c, nil
}

func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return nil, malformed("", "the body must be a JSON object (%v)", errText(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("", "the body has data after the JSON object")
	}
	return fields, nil
}

func setField(c *inventory.RecordChange, rt route, name string, raw json.RawMessage, patch bool) error {
	var err error
	switch {
	case strings.HasPrefix(name, "_") || readOnlyFields[name]:
	case strings.HasPrefix(name, "c_"):
		err = setCustom(c, name, raw)
	case name == "allocation":
		err = setAllocation(c, raw, patch)
	case name == "perpetual_flag":
		c.Perpetual, err = boolField(name, raw)
	case name == "pre_order_back_order_allocation":
		c.PreorderBackorderAllocation, err = quantityField(name, raw, true)
	case name == "pre_order_back_order_handling":
		c.Handling, err = handlingField(name, raw)
	case name == "in_stock_date":
		c.InStockDate, err = timeField(name, raw, true)
	case name == "inventory_turnover":
		c.Turnover, err = quantityField(name, raw, false)
	case name == "quantity_on_order":
		c.OnOrder, err = quantityField(name, raw, true)
	case name == "product_id":
		err = sameID(name, raw, rt.product)
	case name == "inventory_list_id":
		err = sameID(name, raw, rt.list)
	default:
		err = malformed(name, "is not a property of product_inventory_record")
	}
	return err
}

func setAllocation(c *inventory.RecordChange, raw json.RawMessage, patch bool) error {
	if isNull(raw) {
		c.ClearAllocation = patch
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return malformed("allocation", "must be an object with amount and reset_date")
	}
	for k := range fields {
		if k != "amount" && k != "reset_date" && !strings.HasPrefix(k, "_") {
			return malformed("allocation."+k, "is not a property of the allocation")
		}
	}
	amount, ok := fields["amount"]
	if !ok || isNull(amount) {
		return malformed("allocation.amount", "is required")
	}
	var err error
	if c.Allocation, err = quantityField("allocation.amount", amount, false); err != nil {
		return err
	}
	if d, ok := fields["reset_date"]; ok && !isNull(d) {
		c.AllocationResetDate, err = timeField("allocation.reset_date", d, false)
	}
	return err
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// quantityField reads a JSON number exactly. null means 0 when nullable.
func quantityField(name string, raw json.RawMessage, nullable bool) (*inventory.Quantity, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "null" && nullable {
		return new(inventory.Quantity), nil
	}
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return nil, malformed(name, "must be a number")
	}
	q, err := inventory.ParseJSONQuantity(s)
	if err != nil {
		return nil, malformed(name, "%v", err)
	}
	return &q, nil
}

func boolField(name string, raw json.RawMessage) (*bool, error) {
	var b *bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return nil, malformed(name, "must be true or false")
	}
	if b == nil {
		b = new(bool)
	}
	return b, nil
}

func stringField(name string, raw json.RawMessage) (*string, error) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, malformed(name, "must be a string")
	}
	return s, nil
}

func handlingField(name string, raw json.RawMessage) (*inventory.Handling, error) {
	s, err := stringField(name, raw)
	if err != nil {
		return nil, err
	}
	h := inventory.HandlingNone
	if s != nil {
		if h, err = inventory.ParseHandling(*s); err != nil {
			return nil, malformed(name, "must be none, preorder or backorder")
		}
	}
	return &h, nil
}

// timeField reads an ISO 8601 date-time (or a date, as midnight UTC). null
// clears the date when nullable.
func timeField(name string, raw json.RawMessage, nullable bool) (*time.Time, error) {
	s, err := stringField(name, raw)
	if err != nil {
		return nil, err
	}
	if s == nil {
		if !nullable {
			return nil, malformed(name, "must be a date")
		}
		return new(time.Time), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, *s); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, malformed(name, "%q is not an ISO 8601 date such as 2026-03-01T10:00:00.000Z", *s)
}

func sameID(name string, raw json.RawMessage, want string) error {
	s, err := stringField(name, raw)
	if err == nil && (s == nil || *s != want) {
		err = malformed(name, "must match the path (%q)", want)
	}
	return err
}

// setCustom reads c_<id>: a scalar (one value), an array of scalars, or
// null (remove the attribute).
func setCustom(c *inventory.RecordChange, name string, raw json.RawMessage) error {
	if c.Custom == nil {
		c.Custom = map[string][]string{}
	}
	id := strings.TrimPrefix(name, "c_")
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return malformed(name, "is not valid JSON")
	}
	vals, ok := customValues(v)
	if !ok {
		return malformed(name, "must be a string, number, boolean, an array of them, or null")
	}
	c.Custom[id] = vals
	return nil
}

func customValues(v any) ([]string, bool) {
	switch t := v.(type) {
	case nil:
		return nil, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := scalar(e)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	s, ok := scalar(v)
	return []string{s}, ok
}

func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case bool:
		if t {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

func malformed(field, format string, args ...any) error {
	e := inventory.Errorf(EMALFORMED, format, args...)
	e.Field = field
	return e
}

func errText(err error) string {
	if err == nil {
		return "got null"
	}
	return err.Error()
}
