package ocapi

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestPaging(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	for i := range 5 {
		e.mustRecord(t, "online", fmt.Sprint("p", i), int64(i))
	}
	tests := []struct {
		query          string
		start, count   int
		ids            string
		next, previous string
	}{
		{"", 0, 5, "p0,p1,p2,p3,p4", "", ""},
		{"?count=2", 0, 2, "p0,p1", "start=2&count=2", ""},
		{"?start=2&count=2", 2, 2, "p2,p3", "start=4&count=2", "start=0&count=2"},
		{"?start=4&count=2", 4, 1, "p4", "", "start=2&count=2"},
		{"?start=5&count=2", 5, 0, "", "", "start=3&count=2"},
		{"?start=99", 99, 0, "", "", "start=0&count=25"},
		{"?start=1&count=200", 1, 4, "p1,p2,p3,p4", "", "start=0&count=200"},
		{"?count=1&start=0", 0, 1, "p0", "start=1&count=1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := e.get(t, recordsPath+tt.query)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			b := r.body
			data, _ := b["data"].([]any)
			var ids []string
			for _, d := range data {
				ids = append(ids, fmt.Sprint(d.(map[string]any)["product_id"]))
			}
			if b["_type"] != "product_inventory_records" || b["_v"] != "25.6" || num(b["total"]) != 5 ||
				num(b["start"]) != float64(tt.start) || num(b["count"]) != float64(tt.count) ||
				strings.Join(ids, ",") != tt.ids || data == nil {
				t.Fatalf("page %s", r.raw)
			}
			checkLink(t, b["next"], tt.next)
			checkLink(t, b["previous"], tt.previous)
		})
	}
}

func checkLink(t *testing.T, got any, wantQuery string) {
	t.Helper()
	if wantQuery == "" {
		if got != nil {
			t.Errorf("unexpected link %v", got)
		}
		return
	}
	u, err := url.Parse(fmt.Sprint(got))
	if err != nil || u.RawQuery != wantQuery || !strings.HasSuffix(u.Path, recordsPath) || u.Host == "" {
		t.Errorf("link %v, want query %s", got, wantQuery)
	}
}

func TestPagingParameterErrors(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	tests := []struct{ query, param string }{
		{"?count=0", "count"},
		{"?count=201", "count"},
		{"?count=-1", "count"},
		{"?count=1.5", "count"},
		{"?count=", "count"},
		{"?count=%2B5", "count"},
		{"?start=-1", "start"},
		{"?start=abc", "start"},
		{"?start=99999999999", "start"},
		{"?select=data.(x)", "select"},
		{"?select=(data.(x)", "select"},
		{"?select=(a,)", "select"},
		{"?select=(data[?(@.ats>1)])", "select"},
	}
	for _, tt := range tests {
		args := wantFault(t, e.get(t, recordsPath+tt.query), 400, "InvalidParameterException")
		if args["parameter"] != tt.param {
			t.Errorf("%s: arguments %v", tt.query, args)
		}
	}
}

func TestSelect(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	e.mustRecord(t, "online", "p0", 3)
	e.mustRecord(t, "online", "p1", 4)
	r := e.get(t, recordsPath+"?count=1&select="+url.QueryEscape("(total,data.(product_id,ats))"))
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if _, ok := r.body["next"]; ok || num(r.body["total"]) != 2 || r.body["_v"] != "25.6" {
		t.Fatalf("top level %s", r.raw)
	}
	item := r.body["data"].([]any)[0].(map[string]any)
	if len(item) != 3 || item["product_id"] != "p0" || num(item["ats"]) != 3 || item["_type"] == nil {
		t.Fatalf("item %v", item)
	}
	if r := e.get(t, recordsPath+"?select=(**)"); r.status != 200 || r.body["next"] != nil || len(r.body["data"].([]any)) != 2 {
		t.Fatalf("(**) %s", r.raw)
	}
}
