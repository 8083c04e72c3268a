package bench

import (
	"errors"
	"fmt"

	"ociedge/bench/wire"
)

// edgeStatus reads the edge's admin status.
func (r *Runner) edgeStatus() (wire.EdgeStatus, error) {
	var st wire.EdgeStatus
	var perr error
	c := callOf("admin-status", wire.AdminStatus(), func(code int, b []byte) string {
		if code == 200 {
			st, perr = wire.ParseEdgeStatus(b)
		}
		return ""
	})
	c.Auth = "Bearer " + r.cfg.AdminToken
	rep := r.edge.Send(c)
	if !rep.OK() {
		return st, callError("reading the edge's status (is --admin-token right?)", c, rep)
	}
	return st, perr
}

// setEdgeMode asks the edge for a mode change.
func (r *Runner) setEdgeMode(mode string) error {
	c := callOf("admin-mode", wire.SetMode(mode, false), nil)
	c.Auth = "Bearer " + r.cfg.AdminToken
	if rep := r.edge.Send(c); !rep.OK() {
		return callError("setting the edge's mode to "+mode, c, rep)
	}
	return nil
}

var errNoAdminToken = errors.New("needs the edge's admin token (--admin-token)")

func (r *Runner) needAdmin() error {
	if r.cfg.AdminToken == "" {
		return fmt.Errorf("%s %w", r.sc.name, errNoAdminToken)
	}
	return nil
}
