package xmlimport

import (
	"strings"
	"testing"
)

func doc(body string) string {
	return `<inventory xmlns="` + Namespace + `">` + body + `</inventory>`
}

const okHeader = `<header list-id="l"><default-instock>false</default-instock></header>`

// TestImportRules has one case per schema rule the importer enforces on
// well-formed XML: each is reported, and the rest of the file goes on.
func TestImportRules(t *testing.T) {
	long := strings.Repeat("x", maxText+1)
	tests := []struct {
		name, xml, want string
		lists, records  int
	}{
		{"header mode", `<inventory-list><header list-id="l" mode="merge"><default-instock>1</default-instock></header></inventory-list>`, `mode "merge"`, 0, 0},
		{"header element twice", `<inventory-list><header list-id="l"><default-instock>1</default-instock><default-instock>0</default-instock></header></inventory-list>`, "appears twice", 0, 0},
		{"unknown header element", `<inventory-list><header list-id="l"><default-instock>1</default-instock><owner>me</owner></header></inventory-list>`, "<owner>: unexpected element", 0, 0},
		{"text in header", `<inventory-list><header list-id="l">hi<default-instock>1</default-instock></header></inventory-list>`, "unexpected text in <header>", 0, 0},
		{"list without id", `<inventory-list><header><default-instock>1</default-instock></header></inventory-list>`, "listId", 0, 0},
		{"description too long", `<inventory-list><header list-id="l"><default-instock>1</default-instock><description>` + strings.Repeat("d", 4001) + `</description></header></inventory-list>`, "description", 0, 0},
		{"unknown top element", `<catalog/><inventory-list>` + okHeader + `<records><record product-id="p"><allocation>1</allocation></record></records></inventory-list>`, "unexpected element <catalog>", 1, 1},
		{"records before header", `<inventory-list><records/>` + okHeader + `</inventory-list>`, "unexpected element <records>", 1, 0},
		{"text between records", `<inventory-list>` + okHeader + `<records>junk<record product-id="p"><allocation>1</allocation></record></records></inventory-list>`, "unexpected text in <records>", 1, 1},
		{"text inside record", `<inventory-list>` + okHeader + `<records><record product-id="p">junk<allocation>1</allocation></record></records></inventory-list>`, "unexpected text in <record>", 1, 0},
		{"element inside a value", `<inventory-list>` + okHeader + `<records><record product-id="p"><allocation><b>1</b></allocation></record></records></inventory-list>`, "unexpected element <b>", 1, 0},
		{"value too long", `<inventory-list>` + okHeader + `<records><record product-id="p"><allocation>` + long + `</allocation></record></records></inventory-list>`, "text longer than", 1, 0},
		{"foreign namespace", `<inventory-list>` + okHeader + `<records><record product-id="p"><x:allocation xmlns:x="urn:x">1</x:allocation></record></records></inventory-list>`, "unexpected element <allocation>", 1, 0},
		{"bad custom attributes", `<inventory-list>` + okHeader + `<records><record product-id="p"><custom-attributes><attr/></custom-attributes></record></records></inventory-list>`, "in <custom-attributes>", 1, 0},
		{"custom attribute without id", `<inventory-list>` + okHeader + `<records><record product-id="p"><custom-attributes><custom-attribute>v</custom-attribute></custom-attributes></record></records></inventory-list>`, "custom", 1, 0},
		{"product id too long", `<inventory-list>` + okHeader + `<records><record product-id="` + strings.Repeat("p", 257) + `"><allocation>1</allocation></record></records></inventory-list>`, "productId", 1, 0},
		{"bad boolean", `<inventory-list>` + okHeader + `<records><record product-id="p"><perpetual>yes</perpetual></record></records></inventory-list>`, "not a boolean", 1, 0},
		{"bad date", `<inventory-list>` + okHeader + `<records><record product-id="p"><in-stock-date>01/05/2026</in-stock-date></record></records></inventory-list>`, "not a date", 1, 0},
		{"bad ats", `<inventory-list>` + okHeader + `<records><record product-id="p"><ats>many</ats></record></records></inventory-list>`, "<ats>", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			rep, err := e.im.Import(strings.NewReader(doc(tt.xml)))
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, is := range rep.Errors {
				all += is.Message + "\n"
			}
			if !strings.Contains(all, tt.want) {
				t.Fatalf("errors %q do not mention %q", all, tt.want)
			}
			if len(e.store.Lists()) != tt.lists || rep.RecordsImported != tt.records {
				t.Fatalf("lists %d records %d; want %d and %d", len(e.store.Lists()), rep.RecordsImported, tt.lists, tt.records)
			}
		})
	}
}
