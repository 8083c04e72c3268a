package ocapi

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"ociedge/proxy/inventory/xmlimport"
)

const importXML = `<?xml version="1.0" encoding="UTF-8"?>
<inventory xmlns="http://www.demandware.com/xml/impex/inventory/2007-05-31">
    <inventory-list>
        <header list-id="online">
            <default-instock>false</default-instock>
        </header>
        <records>
            <record product-id="a"><allocation>3</allocation></record>
            <record product-id="b"><allocation>oops</allocation></record>
            <record product-id="c"><allocation>4</allocation><perpetual>true</perpetual></record>
        </records>
    </inventory-list>
</inventory>`

func TestImportRoute(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprint("stream=", stream), func(t *testing.T) {
			e := newEnv(t, envOpts{stream: stream})
			r := e.do(t, "POST", xmlimportPath, "application/xml; charset=utf-8", strings.NewReader(importXML))
			if r.status != 200 || num(r.body["recordsImported"]) != 2 || num(r.body["recordsSkipped"]) != 1 {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			errs := r.body["errors"].([]any)
			if len(errs) != 1 || num(errs[0].(map[string]any)["line"]) != 9 || errs[0].(map[string]any)["productId"] != "b" {
				t.Fatalf("errors %v", errs)
			}
			if e.store.Len("online") != 2 {
				t.Fatal("records not stored")
			}
		})
	}
}

func TestImportRouteInOCIMode(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.setOCI(true)
	r := e.do(t, "POST", xmlimportPath, "text/xml", strings.NewReader(importXML))
	if r.status != 200 || num(r.body["recordsSkipped"]) != 3 || num(r.body["recordsSkippedReadOnly"]) != 3 ||
		len(r.body["listsCreated"].([]any)) != 1 {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	warnings := r.body["warnings"].([]any)
	if len(warnings) != 3 {
		t.Fatalf("warnings %v", warnings)
	}
	for _, w := range warnings {
		if msg := w.(map[string]any)["message"]; msg != "Omnichannel Inventory doesn't support the import of inventory records. Skipping element." {
			t.Fatalf("warning %q", msg)
		}
	}
	if e.store.Len("online") != 0 {
		t.Fatal("records imported in OCI mode")
	}
}

func TestImportRouteErrors(t *testing.T) {
	e := newEnv(t, envOpts{stream: true, maxImport: 4096})
	broken := strings.Replace(importXML, `<record product-id="c">`, `<record product-id="c"`, 1)
	r := e.do(t, "POST", xmlimportPath, "application/xml", strings.NewReader(broken))
	if r.status != 400 || num(r.body["line"]) != 10 || !strings.Contains(fmt.Sprint(r.body["detail"]), "line 10") ||
		r.header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("malformed: %d %s", r.status, r.raw)
	}
	if rep := r.body["report"].(map[string]any); num(rep["recordsImported"]) != 1 {
		t.Fatalf("the report must say what was applied before the error: %v", rep)
	}
	big := strings.Replace(importXML, "<records>", "<records>"+strings.Repeat("<!-- padding -->", 400), 1)
	if r := e.do(t, "POST", xmlimportPath, "application/xml", strings.NewReader(big)); r.status != 413 {
		t.Fatalf("oversize with length: %d %s", r.status, r.raw)
	}
	chunked := struct{ io.Reader }{strings.NewReader(big)}
	if r := e.do(t, "POST", xmlimportPath, "application/xml", chunked); r.status != 413 || r.body["errorCode"] != ETOOLARGE {
		t.Fatalf("oversize chunked: %d %s", r.status, r.raw)
	}
	if r := e.do(t, "POST", xmlimportPath, "application/json", strings.NewReader(importXML)); r.status != 415 {
		t.Fatalf("content type: %d %s", r.status, r.raw)
	}
	if r := e.do(t, "POST", xmlimportPath, "", strings.NewReader(importXML)); r.status != 415 {
		t.Fatalf("no content type: %d %s", r.status, r.raw)
	}
	if r := e.get(t, xmlimportPath); r.status != 405 || r.header.Get("Allow") != "POST" {
		t.Fatalf("GET: %d %s", r.status, r.raw)
	}
}

var xmlimportPath = ImportPath

var _ = xmlimport.OCISkipWarning
