package ocapi

import (
	"strings"
)

// selector is an OCAPI property selector such as (**) or
// (count,data.(product_id,ats)). It supports property names, nesting and
// the * and ** wildcards; filters ([?(...)]) are not supported.
type selector struct {
	all    bool                 // * or **: keep everything at this level
	fields map[string]*selector // kept properties; a nil value keeps the whole property
}

const maxSelectorLen = 1024

// parseSelector parses a selector; ok is false when s is not one.
func parseSelector(s string) (*selector, bool) {
	if len(s) > maxSelectorLen {
		return nil, false
	}
	p := &selParser{s: s}
	sel, ok := p.group(0)
	return sel, ok && p.i == len(s)
}

type selParser struct {
	s string
	i int
}

func (p *selParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// group parses '(' item (',' item)* ')'.
func (p *selParser) group(depth int) (*selector, bool) {
	if depth > 16 || !p.eat('(') {
		return nil, false
	}
	sel := &selector{fields: map[string]*selector{}}
	for {
		if !p.item(sel, depth) {
			return nil, false
		}
		if p.eat(')') {
			return sel, true
		}
		if !p.eat(',') {
			return nil, false
		}
	}
}

func (p *selParser) item(sel *selector, depth int) bool {
	if strings.HasPrefix(p.s[p.i:], "**") {
		p.i += 2
		sel.all = true
		return true
	}
	if p.eat('*') {
		sel.all = true
		return true
	}
	start := p.i
	for p.i < len(p.s) && isNameByte(p.s[p.i]) {
		p.i++
	}
	name := p.s[start:p.i]
	if name == "" {
		return false
	}
	var sub *selector
	if p.eat('.') {
		var ok bool
		if sub, ok = p.group(depth + 1); !ok {
			return false
		}
	}
	sel.fields[name] = sub
	return true
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// apply filters a decoded JSON value. _v and _type are always kept.
func (sel *selector) apply(v any) any {
	if sel == nil || sel.all {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range t {
			if sub, ok := sel.fields[k]; ok {
				out[k] = sub.apply(val)
			} else if k == "_v" || k == "_type" {
				out[k] = val
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = sel.apply(e)
		}
		return out
	}
	return v
}
