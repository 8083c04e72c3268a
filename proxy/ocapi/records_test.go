package ocapi

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"ociedge/proxy/inventory"
)

func TestGetRecord(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	r := e.send(t, "PUT", recordsPath+"/sku-1", `{"allocation":{"amount":10.5,"reset_date":"2026-02-01T08:00:00Z"},
		"pre_order_back_order_handling":"backorder","pre_order_back_order_allocation":4,
		"in_stock_date":"2026-04-01T00:00:00.000Z","c_bin":"A-1","c_tags":["x","y"]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("PUT %d %s", r.status, r.raw)
	}
	r = e.get(t, recordsPath+"/sku-1")
	if r.status != 200 {
		t.Fatalf("GET %d %s", r.status, r.raw)
	}
	b := r.body
	alloc, _ := b["allocation"].(map[string]any)
	checks := map[string]bool{
		"_v":                   b["_v"] == "25.6",
		"_type":                b["_type"] == "product_inventory_record",
		"allocation.amount":    num(alloc["amount"]) == 10.5,
		"reset_date":           alloc["reset_date"] == "2026-02-01T08:00:00.000Z",
		"ats":                  num(b["ats"]) == 14.5,
		"stock_level":          num(b["stock_level"]) == 10.5,
		"inventory_turnover":   num(b["inventory_turnover"]) == 0,
		"quantity_on_order":    num(b["quantity_on_order"]) == 0,
		"perpetual_flag":       b["perpetual_flag"] == false,
		"handling":             b["pre_order_back_order_handling"] == "backorder",
		"pboa":                 num(b["pre_order_back_order_allocation"]) == 4,
		"in_stock_date":        b["in_stock_date"] == "2026-04-01T00:00:00.000Z",
		"inventory_list_id":    b["inventory_list_id"] == "online",
		"product_id":           b["product_id"] == "sku-1",
		"creation_date":        b["creation_date"] == "2026-03-01T12:00:00.000Z",
		"last_modified":        b["last_modified"] == "2026-03-01T12:00:00.000Z",
		"link":                 strings.HasSuffix(fmt.Sprint(b["link"]), recordsPath+"/sku-1"),
		"c_bin":                b["c_bin"] == "A-1",
		"c_tags":               fmt.Sprint(b["c_tags"]) == "[x y]",
		"exact decimal in raw": strings.Contains(r.raw, `"amount":10.5`),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s wrong in %s", name, r.raw)
		}
	}
}

func TestPutPatchDelete(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	if r := e.send(t, "PUT", recordsPath+"/p", `{"allocation":{"amount":5}}`); r.status != 201 {
		t.Fatalf("create %d %s", r.status, r.raw)
	}
	e.store.Reserve(inventory.ReserveRequest{ID: "o", ListID: "online", Lines: []inventory.Line{{ProductID: "p", Quantity: inventory.Units(2)}}})
	r := e.send(t, "PATCH", recordsPath+"/p", `{"perpetual_flag":false,"pre_order_back_order_allocation":1}`)
	if r.status != 200 || num(r.body["inventory_turnover"]) != 2 || num(r.body["ats"]) != 3 {
		t.Fatalf("patch kept turnover? %d %s", r.status, r.raw)
	}
	r = e.send(t, "PATCH", recordsPath+"/p", `{"allocation":{"amount":7}}`)
	if r.status != 200 || num(r.body["inventory_turnover"]) != 0 || num(r.body["ats"]) != 7 {
		t.Fatalf("setting allocation must reset turnover: %s", r.raw)
	}
	r = e.send(t, "PUT", recordsPath+"/p", `{"perpetual_flag":true}`)
	if r.status != 200 || r.body["allocation"] != nil || num(r.body["ats"]) != 999999 {
		t.Fatalf("replace %d %s", r.status, r.raw)
	}
	r = e.send(t, "PATCH", recordsPath+"/p", `{"allocation":null}`)
	if r.status != 200 {
		t.Fatalf("clear allocation %d %s", r.status, r.raw)
	}
	if r := e.do(t, "DELETE", recordsPath+"/p", "", nil); r.status != 204 || r.raw != "" {
		t.Fatalf("delete %d %s", r.status, r.raw)
	}
	args := wantFault(t, e.get(t, recordsPath+"/p"), 404, "ProductInventoryRecordNotFoundException")
	if args["productId"] != "p" || args["inventoryListId"] != "online" {
		t.Errorf("arguments %v", args)
	}
	wantFault(t, e.do(t, "DELETE", recordsPath+"/p", "", nil), 404, "ProductInventoryRecordNotFoundException")
	wantFault(t, e.send(t, "PATCH", recordsPath+"/p", `{"perpetual_flag":true}`), 404, "ProductInventoryRecordNotFoundException")
	other := "/s/-/dw/data/v25_6/inventory_lists/nope/product_inventory_records"
	args = wantFault(t, e.send(t, "PUT", other+"/p", `{}`), 404, "InventoryListNotFoundException")
	if args["inventoryListId"] != "nope" {
		t.Errorf("arguments %v", args)
	}
	wantFault(t, e.get(t, other), 404, "InventoryListNotFoundException")
	wantFault(t, e.get(t, other+"/p"), 404, "InventoryListNotFoundException")
}

// TestBodyValidation has one case per rule; each names the property and
// changes nothing.
func TestBodyValidation(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	e.mustRecord(t, "online", "p", 5)
	tests := []struct {
		name, body, property string
	}{
		{"not JSON", `{"allocation":`, ""},
		{"not an object", `[1,2]`, ""},
		{"empty body", ``, ""},
		{"data after the object", `{} {}`, ""},
		{"unknown property", `{"colour":"red"}`, "colour"},
		{"allocation not an object", `{"allocation":5}`, "allocation"},
		{"allocation without amount", `{"allocation":{"reset_date":"2026-01-01T00:00:00Z"}}`, "allocation.amount"},
		{"unknown allocation property", `{"allocation":{"amount":1,"foo":1}}`, "allocation.foo"},
		{"negative allocation", `{"allocation":{"amount":-1}}`, "allocation.amount"},
		{"allocation as string", `{"allocation":{"amount":"5"}}`, "allocation.amount"},
		{"too many decimals", `{"allocation":{"amount":1.0005}}`, "allocation.amount"},
		{"allocation too large", `{"allocation":{"amount":1e13}}`, "allocation.amount"},
		{"bad reset date", `{"allocation":{"amount":1,"reset_date":"yesterday"}}`, "allocation.reset_date"},
		{"perpetual not bool", `{"perpetual_flag":"yes"}`, "perpetual_flag"},
		{"bad handling", `{"pre_order_back_order_handling":"sometimes"}`, "pre_order_back_order_handling"},
		{"negative pboa", `{"pre_order_back_order_allocation":-2}`, "pre_order_back_order_allocation"},
		{"bad in stock date", `{"in_stock_date":"soon"}`, "in_stock_date"},
		{"on order without on-order list", `{"quantity_on_order":1}`, "quantity_on_order"},
		{"turnover not a number", `{"inventory_turnover":true}`, "inventory_turnover"},
		{"product id mismatch", `{"product_id":"other"}`, "product_id"},
		{"list id mismatch", `{"inventory_list_id":"other"}`, "inventory_list_id"},
		{"custom object", `{"c_x":{"a":1}}`, "c_x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, method := range []string{"PUT", "PATCH"} {
				r := e.send(t, method, recordsPath+"/p", tt.body)
				args := wantFault(t, r, 400, "MalformedDocumentException")
				if tt.property != "" && args["property"] != tt.property {
					t.Errorf("%s: property %v, want %s", method, args["property"], tt.property)
				}
			}
			if rec, _ := e.store.Get("online", "p"); rec.Allocation != inventory.Units(5) || rec.Perpetual {
				t.Fatalf("a rejected body changed the record: %+v", rec)
			}
		})
	}
}

func TestReadOnlyFieldsAreIgnored(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	body := `{"_v":"25.6","_type":"product_inventory_record","ats":99,"stock_level":99,"link":"x",
		"creation_date":"2020-01-01T00:00:00.000Z","product_id":"p","inventory_list_id":"online","allocation":{"_type":"x","amount":2}}`
	r := e.send(t, "PUT", recordsPath+"/p", body)
	if r.status != 201 || num(r.body["ats"]) != 2 || r.body["creation_date"] != "2026-03-01T12:00:00.000Z" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
}

func TestOversizeAndMediaType(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(fmt.Sprint("stream=", stream), func(t *testing.T) {
			e := newEnv(t, envOpts{stream: stream, maxDoc: 1024})
			e.mustList(t, "online")
			big := `{"c_x":"` + strings.Repeat("a", 2000) + `"}`
			wantFault(t, e.send(t, "PUT", recordsPath+"/p", big), 413, "RequestEntityTooLargeException")
			// A chunked body has no Content-Length: the cap is enforced while reading.
			r := e.do(t, "PUT", recordsPath+"/p", "application/json", struct{ *strings.Reader }{strings.NewReader(big)})
			wantFault(t, r, 413, "RequestEntityTooLargeException")
			wantFault(t, e.do(t, "PUT", recordsPath+"/p", "text/plain", strings.NewReader(`{}`)), 415, "UnsupportedMediaTypeException")
			if e.store.Len("online") != 0 {
				t.Fatal("a refused body created a record")
			}
		})
	}
}

func TestMethodsAndPaths(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	r := e.do(t, "POST", recordsPath+"/p", "application/json", strings.NewReader("{}"))
	wantFault(t, r, 405, "MethodNotAllowedException")
	if r.header.Get("Allow") != "GET, PUT, PATCH, DELETE" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	r = e.do(t, "DELETE", recordsPath, "", nil)
	wantFault(t, r, 405, "MethodNotAllowedException")
	if r.header.Get("Allow") != "GET" {
		t.Errorf("Allow %q", r.header.Get("Allow"))
	}
	for _, v := range []string{"vx", "25_6", "v25", "v25_", "v_6", "v25_6_1"} {
		args := wantFault(t, e.get(t, "/s/-/dw/data/"+v+"/inventory_lists/online/product_inventory_records"), 400, "InvalidParameterException")
		if args["parameter"] != "version" {
			t.Errorf("%s: arguments %v", v, args)
		}
	}
	if r := e.get(t, "/s/-/dw/data/v24_5/inventory_lists/online/product_inventory_records"); r.status != 200 || r.body["_v"] != "24.5" {
		t.Errorf("v24_5: %d %s", r.status, r.raw)
	}
	for _, p := range []string{"/s/-/dw/data/v25_6/inventory_lists/online", "/s/-/dw/data/v25_6/products/x", "/other"} {
		if r := e.get(t, p); r.status != 404 || r.raw != "not mine" {
			t.Errorf("%s was claimed: %d %s", p, r.status, r.raw)
		}
	}
}

func TestEncodedProductID(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	if r := e.send(t, "PUT", recordsPath+"/a%2Fb%20c", `{"allocation":{"amount":1}}`); r.status != 201 || r.body["product_id"] != "a/b c" {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if _, err := e.store.Get("online", "a/b c"); err != nil {
		t.Fatal(err)
	}
	wantFault(t, e.rawGet(t, recordsPath+"/a%zz"), 400, "InvalidParameterException")
}

func TestAuthorize(t *testing.T) {
	e := newEnv(t, envOpts{})
	e.mustList(t, "online")
	e.setDeny(true)
	wantFault(t, e.get(t, recordsPath), 401, "UnauthorizedException")
	wantFault(t, e.send(t, "PUT", recordsPath+"/p", `{}`), 401, "UnauthorizedException")
	if r := e.do(t, "POST", ImportPath, "application/xml", strings.NewReader("<x/>")); r.status != 401 {
		t.Fatalf("import %d", r.status)
	}
	if e.store.Len("online") != 0 {
		t.Fatal("an unauthorized write was applied")
	}
}
