package orders_test

import (
	"context"
	"fmt"

	"ociedge/internal/kv"
	"ociedge/modes"
	"ociedge/oci"
	"ociedge/proxy/config"
	"ociedge/proxy/orders"
	"ociedge/proxy/orders/coretest"
)

// Example wires the service the way the edge does, with an in-process core
// standing in for oci/client, and checks out one basket.
func Example() {
	edge, _ := config.Parse([]byte(`
organizationId: f_ecom_zzzz_001
core: {tenantGroupId: tenant1, clientId: dev, clientSecret: dev-secret}
admin: {token: t}
sites: [{id: RefArch, inventoryList: online, failNonPlacedOrdersAfter: 30m}]
inventoryLists: [{id: online}]
`), func(string) string { return "" })
	core, _ := oci.Open(oci.Config{Store: kv.NewMem()})
	defer core.Close()
	core.ReplaceGraph(oci.Graph{Locations: []oci.Location{{ID: "wh-a"}},
		Groups: []oci.Group{{ID: "online", Locations: []string{"wh-a"}}}})
	core.BatchUpdate([]oci.RecordUpdate{{ID: "r1", Location: "wh-a", SKU: "green-umbrella", OnHand: oci.Value(5 * oci.Unit)}})

	svc, err := orders.Open(orders.Config{
		KV:    kv.NewMem(), // the edge's shared store; keys under "orders/"
		Edge:  edge,
		Mode:  func() modes.Mode { return modes.OmnichannelInventory },
		Place: func(list string) (oci.Place, bool) { return oci.Grp(list), list == "online" },
		Core:  coretest.Local{Core: core}, // the edge passes an adapter over oci/client
		// Inventory: the edge's *inventory.Store, for the other two modes.
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer svc.Close()
	_ = orders.NewHandler(svc) // the edge's router calls its Handle

	b, _ := svc.CreateBasket("RefArch", []orders.ItemInput{{ProductID: "green-umbrella", Quantity: 3}})
	b, _, _ = svc.ReserveBasket(context.Background(), "RefArch", b.ID, orders.ReserveOptions{Minutes: 15})
	o, err := svc.CreateOrder(context.Background(), "RefArch", b.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	counts, _ := svc.OpenReservations()
	fmt.Println(o.No, o.Status, o.Res.System, counts.Orders[orders.SystemOCI])
	// Output: 00001001 created OCI 1
}
