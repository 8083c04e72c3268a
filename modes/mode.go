// Package modes is the inventory-mode state machine of the edge: the three
// modes a B2C Commerce instance moves through when it is integrated with
// Omnichannel Inventory (OCI), the rules for moving between them, and what
// each mode means for routing availability, reservations and legacy writes.
//
// The package is pure: standard library only, no clock, no I/O, no logging.
// The edge keeps the current Mode in an atomic value, asks Transition whether
// an operator's request may be applied, and asks the Mode's predicates how to
// route a request, so that no other code compares mode constants by hand.
package modes

import "fmt"

// Mode is an inventory integration mode. The zero value is CommercePlatform,
// the mode of an instance that has never been integrated with OCI.
//
// A Mode is a small immutable value, safe to copy and to use from any
// goroutine; a current mode that changes while others read it belongs in an
// atomic (atomic.Uint32 or atomic.Pointer), not a plain variable. Its text form (String, MarshalText) is a wire contract used by the JSON
// admin API and the persisted state; see Parse for the reverse.
type Mode uint8

// The three modes, in the order an activation passes through them.
const (
	// CommercePlatform ("COMMERCE_PLATFORM") serves availability and
	// reservations from the edge's own inventory records; the OCI cache is
	// not needed.
	CommercePlatform Mode = iota
	// OCICacheEnabled ("OCI_CACHE_ENABLED") fills the cache from the core in
	// the background while availability and reservations still come from
	// the edge's own records.
	OCICacheEnabled
	// OmnichannelInventory ("OMNICHANNEL_INVENTORY") serves availability
	// only from the cache and sends reservations to the core; the edge's own
	// records are read-only.
	OmnichannelInventory
)

// numModes is the number of valid modes; every valid Mode is below it.
const numModes = 3

// info is what this package knows about one mode, indexed by Mode.
type info struct {
	name   string // wire name (admin JSON API, persisted state)
	script string // B2C Script API constant (ProductInventoryMgr.INTEGRATIONMODE_*)
	label  string // Business Manager / Help name
}

// infos returns the descriptions of every mode, indexed by Mode. It is a
// function, not a package variable, so that no code can change the table.
func infos() [numModes]info {
	return [numModes]info{
		CommercePlatform:     {"COMMERCE_PLATFORM", "B2C", "Commerce Platform Inventory"},
		OCICacheEnabled:      {"OCI_CACHE_ENABLED", "OCI_CACHE", "OCI Cache Enabled"},
		OmnichannelInventory: {"OMNICHANNEL_INVENTORY", "OCI", "Omnichannel Inventory"},
	}
}

// All returns the three modes in activation order.
func All() []Mode {
	return []Mode{CommercePlatform, OCICacheEnabled, OmnichannelInventory}
}

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() bool { return m < numModes }

// String returns the wire name, such as "OCI_CACHE_ENABLED", or "Mode(7)"
// for an invalid value.
func (m Mode) String() string {
	if !m.Valid() {
		return fmt.Sprintf("Mode(%d)", uint8(m))
	}
	return infos()[m].name
}

// ScriptAPIName returns the name B2C custom code sees for the mode
// (ProductInventoryMgr.getInventoryIntegrationMode()): "B2C", "OCI_CACHE" or
// "OCI"; "" for an invalid value.
func (m Mode) ScriptAPIName() string {
	if !m.Valid() {
		return ""
	}
	return infos()[m].script
}

// Label returns the name Business Manager and the Help use, such as
// "Commerce Platform Inventory"; "" for an invalid value.
func (m Mode) Label() string {
	if !m.Valid() {
		return ""
	}
	return infos()[m].label
}
