package xmlimport

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"ociedge/proxy/inventory"
)

// recordState collects one <record> while it is read.
type recordState struct {
	c        inventory.RecordChange
	problems []string
	warnings []string
	seen     map[string]bool
	date     *time.Time // in-stock-date (deprecated); in-stock-datetime wins
}

// record reads one <record product-id="…" mode="…"> and queues it.
func (r *run) record(el *xml.StartElement) error {
	line := r.line()
	pid, _ := attr(el, "product-id")
	if r.readOnly {
		r.skipReadOnly(line, pid)
		return r.skip()
	}
	st := &recordState{c: inventory.RecordChange{ProductID: pid}, seen: map[string]bool{}}
	switch mode, _ := attr(el, "mode"); mode {
	case "":
	case "delete":
		st.c.Op = inventory.OpDelete
	default:
		st.problems = append(st.problems, fmt.Sprintf("mode %q is not supported (only delete)", mode))
	}
	if err := r.recordFields(st); err != nil {
		return err
	}
	for _, w := range st.warnings {
		r.warn(line, r.list.ID, pid, w)
	}
	if len(st.problems) > 0 {
		r.rep.RecordsSkipped++
		r.fail(line, r.list.ID, pid, "record skipped: "+join(st.problems))
		return nil
	}
	if st.c.InStockDate == nil && st.date != nil {
		st.c.InStockDate = st.date
	}
	r.pending = append(r.pending, pending{line, st.c})
	if len(r.pending) >= r.im.cfg.BatchSize {
		return r.flush()
	}
	return nil
}

// skipReadOnly skips a record in Omnichannel Inventory mode.
func (r *run) skipReadOnly(line int, pid string) {
	r.rep.RecordsSkipped++
	r.rep.RecordsSkippedReadOnly++
	r.warn(line, r.list.ID, pid, OCISkipWarning)
}

func (r *run) recordFields(st *recordState) error {
	for {
		el, err := r.child(func(int) { st.problems = append(st.problems, "unexpected text in <record>") })
		if err != nil || el == nil {
			return err
		}
		name := el.Name.Local
		switch {
		case el.Name.Space != Namespace:
			st.problems = append(st.problems, "unexpected element <"+name+">")
			err = r.skip()
		case st.seen[name]:
			st.problems = append(st.problems, "<"+name+"> appears twice")
			err = r.skip()
		case name == "custom-attributes":
			st.seen[name] = true
			err = r.customAttributes(st)
		default:
			st.seen[name] = true
			err = r.recordField(st, name)
		}
		if err != nil {
			return err
		}
	}
}

func (r *run) recordField(st *recordState, name string) error {
	text, problem, err := r.text()
	if err != nil {
		return err
	}
	if problem == "" {
		problem = r.setRecordField(st, name, text)
	}
	if problem != "" {
		st.problems = append(st.problems, "<"+name+">: "+problem)
	}
	return nil
}

// setRecordField parses one simple record element into the change.
func (r *run) setRecordField(st *recordState, name, text string) string {
	c := &st.c
	var err error
	switch name {
	case "allocation":
		c.Allocation, err = decimalPtr(text)
	case "allocation-timestamp":
		c.AllocationResetDate, err = timePtr(parseDateTime, text)
	case "perpetual":
		var b bool
		b, err = parseBool(text)
		c.Perpetual = &b
	case "preorder-backorder-handling":
		var h inventory.Handling
		h, err = inventory.ParseHandling(text)
		c.Handling = &h
	case "preorder-backorder-allocation":
		c.PreorderBackorderAllocation, err = decimalPtr(text)
	case "in-stock-date":
		st.date, err = timePtr(parseDate, text)
	case "in-stock-datetime":
		c.InStockDate, err = timePtr(parseDateTime, text)
	case "ats":
		_, err = parseDecimal(text) // derived from the others: checked, not stored
	case "on-order":
		c.OnOrder, err = decimalPtr(text)
		r.checkOnOrder(st)
	case "turnover":
		c.Turnover, err = decimalPtr(text)
	default:
		return "unexpected element"
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// checkOnOrder drops an on-order quantity that the list cannot hold, with a
// warning, instead of failing the record.
func (r *run) checkOnOrder(st *recordState) {
	if q := st.c.OnOrder; q != nil && *q != 0 && !r.list.OnOrderEnabled {
		st.warnings = append(st.warnings, "<on-order> ignored: on-order inventory is not enabled for this inventory list")
		st.c.OnOrder = nil
	}
}

func decimalPtr(text string) (*inventory.Quantity, error) {
	q, err := parseDecimal(text)
	return &q, err
}

func timePtr(parse func(string) (time.Time, error), text string) (*time.Time, error) {
	t, err := parse(text)
	return &t, err
}

// customAttributes reads <custom-attributes><custom-attribute
// attribute-id="…">text or <value>…</value>…</custom-attribute>…
func (r *run) customAttributes(st *recordState) error {
	st.c.Custom = map[string][]string{}
	for {
		el, err := r.child(func(int) { st.problems = append(st.problems, "unexpected text in <custom-attributes>") })
		if err != nil || el == nil {
			return err
		}
		if !inNS(el, "custom-attribute") {
			st.problems = append(st.problems, "unexpected element <"+el.Name.Local+"> in <custom-attributes>")
			if err := r.skip(); err != nil {
				return err
			}
			continue
		}
		id, _ := attr(el, "attribute-id")
		vals, err := r.customValues(st)
		if err != nil {
			return err
		}
		st.c.Custom[id] = vals
	}
}

// customValues reads the mixed content of one <custom-attribute>: either
// text, or <value> elements.
func (r *run) customValues(st *recordState) ([]string, error) {
	var vals []string
	var text []byte
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil, r.fatal(r.line(), "unexpected end of file")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(text)+len(t) > maxText {
				st.problems = append(st.problems, "custom attribute text is too long")
			} else {
				text = append(text, t...)
			}
		case xml.StartElement:
			v, problem, err := r.text()
			if err != nil {
				return nil, err
			}
			if !inNS(&t, "value") || problem != "" {
				st.problems = append(st.problems, "unexpected content in <custom-attribute>")
			}
			vals = append(vals, v)
		case xml.EndElement:
			if len(vals) == 0 {
				vals = []string{string(text)}
			}
			return vals, nil
		}
	}
}
