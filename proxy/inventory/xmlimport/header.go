package xmlimport

import (
	"encoding/xml"
	"fmt"

	"ociedge/proxy/inventory"
)

// header reads <header list-id="…" mode="…"> and applies it: creates or
// updates the list, or deletes it with mode="delete".
func (r *run) header(el *xml.StartElement) error {
	line := r.line()
	id, _ := attr(el, "list-id")
	mode, _ := attr(el, "mode")
	r.skipList = id
	c := inventory.ListChange{ID: id}
	var problems []string
	if mode != "" && mode != "delete" {
		problems = append(problems, fmt.Sprintf("mode %q is not supported (only delete)", mode))
	}
	if err := r.headerFields(&c, &problems); err != nil {
		return err
	}
	if c.DefaultInStock == nil && mode != "delete" {
		problems = append(problems, "<default-instock> is required")
	}
	switch {
	case len(problems) > 0:
		r.fail(line, id, "", "inventory list header skipped: "+join(problems))
	case mode == "delete":
		r.deleteList(line, id)
	default:
		r.putList(line, c)
	}
	return nil
}

func (r *run) headerFields(c *inventory.ListChange, problems *[]string) error {
	seen := map[string]bool{}
	for {
		el, err := r.child(func(int) { *problems = append(*problems, "unexpected text in <header>") })
		if err != nil || el == nil {
			return err
		}
		name := el.Name.Local
		if el.Name.Space != Namespace || seen[name] || name == "custom-attributes" {
			if err := r.headerOther(el, seen[name], problems); err != nil {
				return err
			}
			continue
		}
		seen[name] = true
		text, problem, err := r.text()
		if err != nil {
			return err
		}
		if problem == "" {
			problem = setListField(c, name, text)
		}
		if problem != "" {
			*problems = append(*problems, "<"+name+">: "+problem)
		}
	}
}

// headerOther handles a header child that is not a simple known field.
func (r *run) headerOther(el *xml.StartElement, dup bool, problems *[]string) error {
	switch {
	case dup:
		*problems = append(*problems, "<"+el.Name.Local+"> appears twice")
	case inNS(el, "custom-attributes"):
		r.warn(r.line(), r.skipList, "", "custom attributes of inventory lists are not stored; ignored")
	default:
		*problems = append(*problems, "unexpected element <"+el.Name.Local+">")
	}
	return r.skip()
}

func setListField(c *inventory.ListChange, name, text string) string {
	var dst **bool
	switch name {
	case "description":
		c.Description = &text
		return ""
	case "default-instock":
		dst = &c.DefaultInStock
	case "use-bundle-inventory-only":
		dst = &c.UseBundleInventoryOnly
	case "on-order":
		dst = &c.OnOrderEnabled
	default:
		return "unexpected element"
	}
	b, err := parseBool(text)
	if err != nil {
		return err.Error()
	}
	*dst = &b
	return ""
}

func (r *run) putList(line int, c inventory.ListChange) {
	if c.OnOrderEnabled != nil && *c.OnOrderEnabled && r.readOnly {
		r.warn(line, c.ID, "", "on-order inventory cannot be enabled in Omnichannel Inventory mode; <on-order> ignored")
		c.OnOrderEnabled = nil
	}
	l, created, err := r.im.cfg.Store.PutList(c)
	if err != nil {
		r.fail(line, c.ID, "", "inventory list header skipped: "+err.Error())
		return
	}
	if created {
		r.rep.ListsCreated = append(r.rep.ListsCreated, l.ID)
	} else {
		r.rep.ListsUpdated = append(r.rep.ListsUpdated, l.ID)
	}
	r.list = &l
}

func (r *run) deleteList(line int, id string) {
	r.skipReason = "the inventory list was deleted (mode=\"delete\")"
	_, err := r.im.cfg.Store.DeleteList(id)
	switch inventory.ErrorCode(err) {
	case "":
		r.rep.ListsDeleted = append(r.rep.ListsDeleted, id)
	case inventory.ELISTNOTFOUND:
		r.warn(line, id, "", "inventory list to delete does not exist")
	default:
		r.fail(line, id, "", "inventory list not deleted: "+err.Error())
	}
}

func join(problems []string) string {
	out := problems[0]
	for _, p := range problems[1:] {
		out += "; " + p
	}
	return out
}
