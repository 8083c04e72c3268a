// Package inventory is the edge's own Commerce Platform (B2C) inventory: the
// inventory lists and product inventory records that the storefront reads and
// reserves against in the COMMERCE_PLATFORM and OCI_CACHE_ENABLED modes, and
// that become read-only in OMNICHANNEL_INVENTORY mode.
//
// The package is the domain only: it knows no HTTP. proxy/ocapi adapts it to
// the OCAPI Data API and proxy/inventory/xmlimport to the B2C inventory XML.
//
// # Quantities and formulas
//
// Quantities are decimals with three places, held as integer thousandths
// (Quantity); nothing here does float arithmetic on them. The classic B2C
// formulas (reference §3.4) are
//
//	ATS        = max(0, allocation + preorderBackorderAllocation − turnover − onOrder)
//	stockLevel = max(0, allocation − turnover − onOrder)
//
// where the pre-order/backorder allocation counts only when the record's
// handling is preorder or backorder, and a perpetual record has an infinite
// ATS and stock level (Infinite; the storefront shows StorefrontCap).
//
// # Turnover
//
// Turnover is the running sum of the inventory transactions recorded since
// the allocation was last set: a reservation adds to it, a release subtracts.
// Setting (or resetting) the allocation sets it to 0. A release of a
// reservation made before the reset is still a transaction after it, so
// turnover may go negative (the XSD types turnover as an unbounded decimal and
// OCAPI documents negative values); ATS is clamped at 0, never below.
//
// # Reservations and basket holds
//
// Orders reserve here in the first two modes (Store.Reserve, Store.Release):
// a reservation raises turnover and so lowers the displayed ATS. Basket holds
// (Store.Hold) do not touch turnover: as in B2C, other shoppers still see the
// full ATS, but can reserve only what is not held ("ATS 5, held 3: others see
// 5 and can reserve 2"). A hold expires at a time the caller gives, judged by
// the injected clock. Reserve with FromHold converts a hold into an order
// reservation in one durable step.
//
// # Durability and concurrency
//
// Every acknowledged write is in the kv.Store before the call returns, and
// everything is loaded into memory at Open, so reads never touch the store.
// Writers lock the stripes (Config.LockStripes) of every record and id they
// touch, in ascending order, write one kv batch while holding them, then
// publish immutable record snapshots; readers load those snapshots without
// waiting for a writer's fsync. Writes to different stripes proceed in
// parallel and Pebble commits their fsyncs together.
//
// # Key layout
//
// Under Config.Prefix (default "inv/"):
//
//	l/<list>                list document (JSON)
//	r/<list> 0x00 <product> record document (JSON)
//	u/<list> 0x00 <product> last storefront use, unix seconds (8 bytes, big endian)
//	o/<reservation id>      order reservation (JSON)
//	h/<hold id>             basket hold (JSON)
package inventory
