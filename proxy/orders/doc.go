// Package orders is the checkout side of the edge: SCAPI-shaped baskets and
// orders whose inventory reservations go where the inventory mode says, are
// never oversold and never leaked.
//
// The package has two halves. Service is the domain: baskets, basket
// reservations, order creation, status changes, the auto-fail job and crash
// recovery; it knows no HTTP. Handler adapts it to the Shopper Baskets v2,
// Shopper Orders v1 and Orders v1 routes over fasthttp.
//
// # Where reservations go
//
// In OMNICHANNEL_INVENTORY mode reservations are documents at the OCI core
// (Core); in the two other modes they are made in the edge's own B2C
// inventory (proxy/inventory): basket reservations are holds there, orders
// raise turnover. Each basket reservation and each order remembers the system
// that holds it ("OCI" or "B2C"), so that it is released there even after the
// mode changed.
//
// # Reservation ids
//
// Every id is derived from durable state, so a retry sends the same id and
// the core replays what it committed:
//
//	basket document   <IDPrefix>-b-<basketId>-<gen>
//	order document    <IDPrefix>-o-<orderNo>-<gen>     (OCI)
//	order reservation <IDPrefix>-o-<orderNo>-<gen>-<n> (B2C, one per inventory list n)
//	basket hold       <basketId>.<8 hex of the list id> (B2C, one per inventory list)
//
// gen counts the reservations of one basket or order (a re-reservation after
// an expiry, an undo-fail or an undo-cancel takes the next one), because the
// core replays a finished document's first answer to a repeated PUT.
//
// # Ownership and crash rules
//
// A reservation document is owned by exactly one record, the basket or the
// order, and moves between them in one atomic store write. Before any call
// that changes a reservation the record says what it is about to do (an
// intent); after the call it records the outcome. On start and on every job
// tick the service settles what an interrupted process left:
//
//   - an order left "reserving" (creation, undo-fail or undo-cancel that was
//     never answered) is rolled back: a fresh document's PUT is replayed
//     (so a request still in flight cannot land later) and the document is
//     cancelled; a basket document the order was converting is cancelled.
//     The order keeps its previous status (failed for a creation, with
//     reason "interrupted"). Nothing stays reserved for a request that was
//     never acknowledged;
//   - an order left "releasing" (fail, cancel, auto-fail, a refused
//     creation) is released; releasing twice is harmless (a second cancel
//     is ReservationCancelled, a second B2C release is a no-op).
//
// A basket reservation that an interrupted order was converting is not
// given back to the basket: the shopper reserves again. Basket
// reservations always expire (at most 240 minutes), which bounds what a
// release that the core never took can hold.
//
// # Key layout
//
// Under Config.Prefix (default "orders/"):
//
//	b/<basketId>          basket (JSON)
//	o/<orderNo>           order (JSON)
//	n                     order-number high-water mark (decimal)
//	w/<orderNo>           order with reservation work pending (settled by the job)
//	c/<orderNo>           order in status created (auto-fail index; value: site id)
//	r/<system>/<kind>/<id> open reservation index (counts by system)
//	m/<site>/<unix ns>/<basketId> basket by last modification (lifetime index)
//	x/m-index             the m/ index covers every basket (written once)
package orders
