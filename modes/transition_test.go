package modes

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

var (
	allReady = Readiness{Lists: []ListReadiness{
		{ID: "online-us", Mapped: true, Imported: true, ItemsCached: 5000, State: "following deltas"},
		{ID: "phoenix", Mapped: true, Imported: true, ItemsCached: 1200, State: "following deltas"},
	}}
	importing = Readiness{Lists: []ListReadiness{
		{ID: "online-us", Mapped: true, Imported: true, ItemsCached: 5000, State: "following deltas"},
		{ID: "phoenix", Mapped: true, Imported: false, ItemsCached: 1200, State: "full import running"},
	}}
	unmapped = Readiness{Lists: []ListReadiness{
		{ID: "online-us", Mapped: true, Imported: true, ItemsCached: 5000},
		{ID: "ghost", Mapped: false},
	}}
	noLists = Readiness{}
)

type transitionCase struct {
	name         string
	from, to     Mode
	r            Readiness
	force        bool
	want         Mode
	wantCode     string   // "" = success
	wantNotReady []string // ids in the error
}

func transitionCases() []transitionCase {
	cp, cache, oci := CommercePlatform, OCICacheEnabled, OmnichannelInventory
	return []transitionCase{
		{name: "stay commerce platform", from: cp, to: cp, r: importing, want: cp},
		{name: "stay cache enabled", from: cache, to: cache, r: importing, want: cache},
		{name: "stay oci, lists not ready", from: oci, to: oci, r: importing, want: oci},
		{name: "activate", from: cp, to: cache, r: noLists, want: cache},
		{name: "activate with lists importing", from: cp, to: cache, r: importing, want: cache},
		{name: "skip cache step", from: cp, to: oci, r: allReady, want: cp, wantCode: EREFUSED},
		{name: "skip cache step forced", from: cp, to: oci, r: allReady, force: true, want: cp, wantCode: EREFUSED},
		{name: "enter oci, all ready", from: cache, to: oci, r: allReady, want: oci},
		{name: "enter oci, no lists", from: cache, to: oci, r: noLists, want: oci},
		{name: "enter oci, import running", from: cache, to: oci, r: importing, want: cache,
			wantCode: EREFUSED, wantNotReady: []string{"phoenix"}},
		{name: "enter oci, list not in graph", from: cache, to: oci, r: unmapped, want: cache,
			wantCode: EREFUSED, wantNotReady: []string{"ghost"}},
		{name: "enter oci forced, import running", from: cache, to: oci, r: importing, force: true, want: oci},
		{name: "enter oci forced, list not in graph", from: cache, to: oci, r: unmapped, force: true, want: oci},
		{name: "deactivate cache", from: cache, to: cp, r: importing, want: cp},
		{name: "deactivate oci to cache", from: oci, to: cache, r: importing, want: cache},
		{name: "deactivate oci to commerce platform", from: oci, to: cp, r: unmapped, want: cp},
		{name: "invalid target", from: cache, to: Mode(3), r: allReady, want: cache, wantCode: EINVALID},
		{name: "invalid target forced", from: cache, to: Mode(9), r: allReady, force: true, want: cache, wantCode: EINVALID},
		{name: "invalid current", from: Mode(3), to: cp, r: allReady, want: Mode(3), wantCode: EINVALID},
		{name: "both invalid and equal", from: Mode(200), to: Mode(200), want: Mode(200), wantCode: EINVALID},
	}
}

func TestTransition(t *testing.T) {
	for _, tc := range transitionCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Transition(tc.from, tc.to, tc.r, tc.force)
			if got != tc.want {
				t.Errorf("Transition(%s, %s) mode = %s; want %s", tc.from, tc.to, got, tc.want)
			}
			checkError(t, err, tc.wantCode, tc.wantNotReady)
		})
	}
}

func checkError(t *testing.T, err error, code string, notReady []string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("err = %v; want nil", err)
		}
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T); want *Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Errorf("code = %q; want %q (%v)", e.Code, code, err)
	}
	if !slices.Equal(e.NotReady, notReady) {
		t.Errorf("NotReady = %q; want %q", e.NotReady, notReady)
	}
}

// Every ordered pair of the three modes has at least one case above, so a
// new rule cannot slip in untested.
func TestTransitionCoversEveryPair(t *testing.T) {
	covered := map[[2]Mode]bool{}
	for _, tc := range transitionCases() {
		covered[[2]Mode{tc.from, tc.to}] = true
	}
	for _, from := range All() {
		for _, to := range All() {
			if !covered[[2]Mode{from, to}] {
				t.Errorf("no transition case for %s -> %s", from, to)
			}
		}
	}
}

func TestTransitionRefusalNamesListsAndReasons(t *testing.T) {
	r := Readiness{Lists: []ListReadiness{
		{ID: "phoenix", Mapped: true, ItemsCached: 1200, State: "full import running"},
		{ID: "online-us", Mapped: true, Imported: true, ItemsCached: 5000},
		{ID: "ghost", Mapped: false},
		{ID: "austin", Mapped: true},
	}}
	_, err := Transition(OCICacheEnabled, OmnichannelInventory, r, false)
	want := []string{
		`cannot switch to OMNICHANNEL_INVENTORY: `,
		`inventory list "austin" is not ready: full import not completed (0 items cached); `,
		`inventory list "ghost" is not mapped to the location graph (Location Type N/A); `,
		`inventory list "phoenix" is not ready: full import running (1200 items cached); `,
		`force the switch to proceed anyway`,
	}
	if got := fmt.Sprint(err); got != strings.Join(want, "") {
		t.Errorf("message:\n got %s\nwant %s", got, strings.Join(want, ""))
	}
	checkError(t, err, EREFUSED, []string{"austin", "ghost", "phoenix"})
}

func TestTransitionSkipMessageSaysWhatToDo(t *testing.T) {
	_, err := Transition(CommercePlatform, OmnichannelInventory, allReady, true)
	want := "cannot switch from COMMERCE_PLATFORM to OMNICHANNEL_INVENTORY: switch to OCI_CACHE_ENABLED first and let the cache fill"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v; want %s", err, want)
	}
}

func TestTransitionDoesNotReorderCallersLists(t *testing.T) {
	r := Readiness{Lists: []ListReadiness{{ID: "b"}, {ID: "a"}}}
	Transition(OCICacheEnabled, OmnichannelInventory, r, false)
	if r.Lists[0].ID != "b" {
		t.Errorf("caller's lists reordered: %+v", r.Lists)
	}
}

func TestErrorCode(t *testing.T) {
	_, err := Transition(CommercePlatform, OmnichannelInventory, noLists, false)
	wrapped := fmt.Errorf("cannot change mode: %w", err)
	if got := ErrorCode(wrapped); got != EREFUSED {
		t.Errorf("ErrorCode(wrapped) = %q; want %q", got, EREFUSED)
	}
	if got := ErrorCode(errors.New("other")); got != "" {
		t.Errorf("ErrorCode(other) = %q; want empty", got)
	}
	if got := ErrorCode(nil); got != "" {
		t.Errorf("ErrorCode(nil) = %q; want empty", got)
	}
}
