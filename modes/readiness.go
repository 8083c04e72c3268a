package modes

import (
	"cmp"
	"fmt"
	"slices"
)

// Readiness describes the cache of every inventory list the edge serves, as
// the cache reports it at the moment an operator asks to enter
// OmnichannelInventory. It is plain data: the zero value (no lists) is ready,
// and a Readiness is safe to copy and to read concurrently as long as nobody
// writes it.
type Readiness struct {
	Lists []ListReadiness
}

// ListReadiness is the cache status of one inventory list.
type ListReadiness struct {
	// ID is the inventory list id, which is the External Reference of a
	// location or location group in the core's graph.
	ID string
	// Mapped reports whether the location graph has a location or group with
	// that External Reference (Location Type "Location" or "Group", not
	// "N/A").
	Mapped bool
	// Imported reports whether the list's stream has completed its full
	// import, so that the cache holds all of the list's records.
	Imported bool
	// ItemsCached is the number of the list's records in the cache.
	ItemsCached int64
	// State is the stream's state in words, as the status page shows it
	// (for example "full import running"); it explains a list that is not
	// ready.
	State string
}

// ready reports whether the list lets the edge serve it from the cache.
func (l ListReadiness) ready() bool { return l.Mapped && l.Imported }

// reason says, for an operator, why the list is not ready.
func (l ListReadiness) reason() string {
	if !l.Mapped {
		return fmt.Sprintf("inventory list %q is not mapped to the location graph (Location Type N/A)", l.ID)
	}
	state := l.State
	if state == "" {
		state = "full import not completed"
	}
	return fmt.Sprintf("inventory list %q is not ready: %s (%d items cached)", l.ID, state, l.ItemsCached)
}

// notReady returns the lists that are not ready, sorted by id so that the
// message does not depend on the order the caller gathered them in.
func (r Readiness) notReady() []ListReadiness {
	var out []ListReadiness
	for _, l := range r.Lists {
		if !l.ready() {
			out = append(out, l)
		}
	}
	slices.SortStableFunc(out, func(a, b ListReadiness) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
