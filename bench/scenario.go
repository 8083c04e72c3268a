package bench

import (
	"context"
	"fmt"
	"strings"
)

// need says whether a scenario uses a server.
type need int

const (
	needNone need = iota
	needOptional
	needRequired
)

// scenario is one named workload: what servers it needs and how it runs.
type scenario struct {
	name    string
	summary string
	// edge and core: which servers it talks to. A core-only scenario takes
	// the core from Config.Target; the others take the edge from Target and
	// the core from Config.Core.
	edge, core need
	// load: whether it runs the load driver (and so needs a rate or
	// --closed); knee: whether --knee applies.
	load, knee bool
	run        func(ctx context.Context, r *Runner, rep *Report) error
}

// scenarios lists every scenario, in the order help shows them.
var scenarios = []*scenario{
	browseScenario,
	checkoutScenario,
	flashsaleScenario,
	importScenario,
	freshnessScenario,
	fillScenario,
	outageScenario,
	crosscheckScenario,
	coreAvailabilityScenario,
	coreReserveScenario,
	coreImportScenario,
	baselineScenario,
}

// Scenarios returns each scenario's name and one-line summary, for help.
func Scenarios() [][2]string {
	out := make([][2]string, len(scenarios))
	for i, s := range scenarios {
		out[i] = [2]string{s.name, s.summary}
	}
	return out
}

func findScenario(name string) (*scenario, error) {
	var names []string
	for _, s := range scenarios {
		if s.name == name {
			return s, nil
		}
		names = append(names, s.name)
	}
	return nil, fmt.Errorf("unknown scenario %q; one of: %s", name, strings.Join(names, ", "))
}

// coreOnly reports whether the scenario drives only the core (and so takes
// it from Target).
func (s *scenario) coreOnly() bool { return s.edge == needNone && s.core == needRequired }
