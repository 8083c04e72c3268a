package proxy

import (
	"fmt"

	"ociedge/modes"
	"ociedge/proxy/orders"
)

// CheckItem is one step of the implementation guide's "Activate the
// Integration" procedure (Step 5). Auto items are verified by the edge;
// the others are the operator's to confirm.
type CheckItem struct {
	Step   string `json:"step"`
	Text   string `json:"text"`
	Auto   bool   `json:"auto"`
	Done   bool   `json:"done"`
	Detail string `json:"detail,omitempty"`
}

func (e *Edge) checklist(st Status) []CheckItem {
	mapped, imported := 0, 0
	for _, l := range st.Lists {
		if l.LocationType != "N/A" {
			mapped++
			if l.Imported {
				imported++
			}
		}
	}
	cacheOn := st.Mode != modes.CommercePlatform || st.StreamsRunning
	b2cOpen := 0
	if st.OpenReservations != nil {
		b2cOpen = st.OpenReservations.Orders[orders.SystemB2C] + st.OpenReservations.Baskets[orders.SystemB2C]
	}
	return []CheckItem{
		{Step: "0", Text: "The initial import of inventory data into Omnichannel Inventory is complete and every inventory list's ID matches a location or location group External Reference.",
			Auto: true, Done: mapped == len(st.Lists) && len(st.Lists) > 0, Detail: fmt.Sprintf("%d of %d lists found in the location graph", mapped, len(st.Lists))},
		{Step: "2", Text: "Switch to OCI Cache Enabled.", Auto: true, Done: cacheOn},
		{Step: "3", Text: "Wait until the Cache Status table shows data for every list associated with a location or location group.",
			Auto: true, Done: mapped > 0 && imported == mapped, Detail: fmt.Sprintf("%d of %d mapped lists fully imported", imported, mapped)},
		{Step: "4", Text: "Verify that the cached availability matches Omnichannel Inventory (compare a few products below; futures show their sum and earliest date)."},
		{Step: "5", Text: "Minimize the risk of overselling during activation: a quiet time, the storefront offline, or export the orders that already hold reservations.",
			Detail: fmt.Sprintf("%d open reservations in the edge's own inventory", b2cOpen)},
		{Step: "7", Text: "Switch to Omnichannel Inventory.", Auto: true, Done: st.Mode == modes.OmnichannelInventory},
		{Step: "8", Text: "Verify that everything works properly.", Auto: true, Done: st.Mode == modes.OmnichannelInventory && len(st.Warnings) == 0,
			Detail: fmt.Sprintf("%d warnings", len(st.Warnings))},
		{Step: "9", Text: "Start the regular inventory imports into Omnichannel Inventory."},
		{Step: "10", Text: "Stop the processes that import inventory directly into B2C Commerce (they are refused with a warning in Omnichannel Inventory mode)."},
	}
}
