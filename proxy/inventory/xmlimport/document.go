package xmlimport

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// document reads <inventory> and everything in it.
func (r *run) document() error {
	root, err := r.root()
	if err != nil {
		return err
	}
	if !inNS(root, "inventory") {
		return r.fatal(r.line(), fmt.Sprintf("the root element must be <inventory> in namespace %s, not <%s> in %q",
			Namespace, root.Name.Local, root.Name.Space))
	}
	for {
		el, err := r.child(r.strayText("inventory"))
		if err != nil || el == nil {
			if err == nil {
				err = r.epilogue()
			}
			return err
		}
		if err := r.element(el, "inventory-list", r.inventoryList); err != nil {
			return err
		}
	}
}

// root skips the prolog and returns the root element.
func (r *run) root() (*xml.StartElement, error) {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil, r.fatal(r.line(), "the document has no root element")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return nil, r.fatal(r.line(), "text before the root element")
			}
		}
	}
}

// epilogue checks that nothing but white space, comments and processing
// instructions follows the root element.
func (r *run) epilogue() error {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return r.fatal(r.line(), "a second root element <"+t.Name.Local+">")
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				return r.fatal(r.line(), "text after the root element")
			}
		}
	}
}

// element reads el with read if it is the expected element; any other
// element is reported and skipped.
func (r *run) element(el *xml.StartElement, want string, read func(*xml.StartElement) error) error {
	if inNS(el, want) {
		return read(el)
	}
	r.fail(r.line(), r.listID(), "", fmt.Sprintf("unexpected element <%s>, expected <%s>; skipped", el.Name.Local, want))
	return r.skip()
}

func (r *run) strayText(where string) func(int) {
	return func(line int) { r.fail(line, r.listID(), "", "unexpected text in <"+where+">; ignored") }
}

func (r *run) listID() string {
	if r.list == nil {
		return ""
	}
	return r.list.ID
}

// inventoryList reads <inventory-list>: a <header>, then optionally <records>.
func (r *run) inventoryList(*xml.StartElement) error {
	r.list, r.skipList, r.skipReason = nil, "", "the inventory list header is invalid"
	headerSeen := false
	for {
		el, err := r.child(r.strayText("inventory-list"))
		if err != nil {
			return err
		}
		if el == nil {
			return r.flush()
		}
		switch {
		case inNS(el, "header") && !headerSeen:
			headerSeen = true
			err = r.header(el)
		case inNS(el, "records") && headerSeen:
			err = r.records()
		default:
			r.fail(r.line(), r.listID(), "", fmt.Sprintf("unexpected element <%s> in <inventory-list>; skipped", el.Name.Local))
			err = r.skip()
		}
		if err != nil {
			return err
		}
	}
}

// records reads <records>.
func (r *run) records() error {
	skipped, line := 0, r.line()
	for {
		el, err := r.child(r.strayText("records"))
		if err != nil || el == nil {
			if skipped > 0 {
				r.rep.RecordsSkipped += skipped
				r.warn(line, r.skipList, "", fmt.Sprintf("%d records skipped: %s", skipped, r.skipReason))
			}
			return err
		}
		if r.list == nil && inNS(el, "record") { // the header failed or deleted the list
			skipped++
			err = r.skip()
		} else {
			err = r.element(el, "record", r.record)
		}
		if err != nil {
			return err
		}
	}
}
