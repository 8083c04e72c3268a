package modes

import (
	"fmt"
	"strings"
)

// Transition decides whether the instance may move from one mode to another
// and returns the mode it is in afterwards: to on success, from with an
// *Error otherwise. It has no side effects; the caller persists and
// publishes the result.
//
// The rules, after B2C Commerce's documented activation procedure:
//
//   - from == to is a no-op, not an error.
//   - CommercePlatform → OCICacheEnabled (activation) is always allowed.
//   - OCICacheEnabled → OmnichannelInventory is allowed only when every list
//     in r is mapped to the location graph and has completed its full cache
//     import; otherwise it is refused (EREFUSED) with a message naming each
//     list that is not ready and why. force overrides this check.
//   - CommercePlatform → OmnichannelInventory is refused even with force:
//     the cache is not filled in CommercePlatform, so it may be empty or as
//     old as the last deactivation, and serving availability from it would
//     show shoppers wrong stock. Passing through OCICacheEnabled is one more
//     step and lets the operator compare the cache with the edge's own
//     records first (activation step 4).
//   - Deactivation (OmnichannelInventory → OCICacheEnabled or
//     CommercePlatform, OCICacheEnabled → CommercePlatform) is an operator's
//     decision and always allowed.
//   - A from or to that is not a valid Mode is EINVALID.
//
// A list that the graph does not know (Location Type N/A) counts as not
// ready: in OmnichannelInventory its products would show as unavailable.
// An operator who means it (say, a list that only serves Default In Stock
// products) forces the transition.
func Transition(from, to Mode, r Readiness, force bool) (Mode, error) {
	if err := checkValid(from, to); err != nil {
		return from, err
	}
	if from == to || to != OmnichannelInventory {
		return to, nil
	}
	if from == CommercePlatform {
		return from, &Error{Code: EREFUSED, Message: fmt.Sprintf(
			"cannot switch from %s to %s: switch to %s first and let the cache fill",
			from, to, OCICacheEnabled)}
	}
	if force {
		return to, nil
	}
	if err := notReadyError(to, r.notReady()); err != nil {
		return from, err
	}
	return to, nil
}

// checkValid returns an EINVALID error if either mode is not valid.
func checkValid(from, to Mode) error {
	if !from.Valid() {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("current inventory mode %s is not a valid mode", from)}
	}
	if !to.Valid() {
		return &Error{Code: EINVALID, Message: fmt.Sprintf("requested inventory mode %s is not a valid mode", to)}
	}
	return nil
}

// notReadyError returns the refusal for the given lists, or nil if there
// are none.
func notReadyError(to Mode, lists []ListReadiness) error {
	if len(lists) == 0 {
		return nil
	}
	ids := make([]string, len(lists))
	reasons := make([]string, len(lists))
	for i, l := range lists {
		ids[i] = l.ID
		reasons[i] = l.reason()
	}
	return &Error{
		Code: EREFUSED,
		Message: fmt.Sprintf("cannot switch to %s: %s; force the switch to proceed anyway",
			to, strings.Join(reasons, "; ")),
		NotReady: ids,
	}
}
