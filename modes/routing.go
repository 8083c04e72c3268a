package modes

// AvailabilityFromCache reports whether storefront availability is answered
// from the OCI cache (true only in OmnichannelInventory). Otherwise it comes
// from the edge's own inventory records, even while the cache fills.
func (m Mode) AvailabilityFromCache() bool { return m == OmnichannelInventory }

// ReservationsAtCore reports whether basket and order reservations are sent
// to the OCI core (true only in OmnichannelInventory). Otherwise the edge
// reserves against its own records.
func (m Mode) ReservationsAtCore() bool { return m == OmnichannelInventory }

// FillsCache reports whether the mode needs the cache streams running:
// OCICacheEnabled and OmnichannelInventory. CommercePlatform does not need
// them; after a deactivation the edge may keep them running anyway so that a
// reactivation is quick (DESIGN §3.2), which is the edge's choice and not a
// property of the mode.
func (m Mode) FillsCache() bool {
	return m == OCICacheEnabled || m == OmnichannelInventory
}

// LegacyWritesAllowed reports whether the edge's own inventory records may be
// written (OCAPI product_inventory_records, inventory XML import). They are
// read-only in OmnichannelInventory, where OCI owns the inventory.
func (m Mode) LegacyWritesAllowed() bool {
	return m == CommercePlatform || m == OCICacheEnabled
}
