package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"ociedge/oci"
	"ociedge/oci/auth"
)

// wireGraph accepts locations as objects or bare id strings (DESIGN §2).
type wireGraph struct {
	Locations []wireLocation `json:"locations"`
	Groups    []oci.Group    `json:"groups"`
}

type wireLocation struct{ oci.Location }

func (w *wireLocation) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &w.ID)
	}
	return json.Unmarshal(b, &w.Location)
}

// ParseGraph decodes a location graph in the shape of the location-graph
// export, with optional location details.
func ParseGraph(b []byte) (oci.Graph, error) {
	var w wireGraph
	if err := decodeJSON(b, &w); err != nil {
		return oci.Graph{}, err
	}
	g := oci.Graph{Groups: w.Groups}
	for _, l := range w.Locations {
		g.Locations = append(g.Locations, l.Location)
	}
	return g, nil
}

func (s *Server) graphPut(ctx *fasthttp.RequestCtx, _ params) error {
	body, err := s.readBody(ctx)
	if err != nil {
		return err
	}
	g, err := ParseGraph(body)
	if err != nil {
		return err
	}
	if err := s.core.ReplaceGraph(g); err != nil {
		return err
	}
	return s.graphGet(ctx, params{})
}

func (s *Server) graphGet(ctx *fasthttp.RequestCtx, _ params) error {
	if err := s.storeFailed(); err != nil {
		return err
	}
	g, epoch := s.core.Graph()
	writeValue(ctx, fasthttp.StatusOK, struct {
		oci.Graph
		Epoch uint64 `json:"epoch"`
	}{g, epoch})
	return nil
}

func (s *Server) invariants(ctx *fasthttp.RequestCtx, _ params) error {
	if err := s.storeFailed(); err != nil {
		return err
	}
	v := s.core.CheckInvariants()
	o := s.core.Overcommitted()
	writeValue(ctx, fasthttp.StatusOK, map[string]any{"ok": len(v) == 0, "violations": nonNil(v),
		"overcommitted": nonNil(o)})
	return nil
}

// storeFailed refuses reads that would show state a failed commit may
// have left in memory: after the store failed, only a restart tells what
// was saved.
func (s *Server) storeFailed() error {
	if err := s.core.Healthy(); err != nil {
		return &oci.Error{Code: oci.StoreUnavailable, Err: err,
			Message: "the core's store failed; restart the core to see what was saved"}
	}
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) healthz(ctx *fasthttp.RequestCtx, _ params) error {
	writeJSON(ctx, fasthttp.StatusOK, []byte(`{"status":"ok"}`))
	return nil
}

// readyz is ready when the store still takes writes.
func (s *Server) readyz(ctx *fasthttp.RequestCtx, _ params) error {
	if err := s.core.Healthy(); err != nil {
		writeValue(ctx, fasthttp.StatusServiceUnavailable, map[string]any{"status": "not ready",
			"reasons": []string{"the store cannot be written: " + err.Error()}})
		return nil
	}
	writeJSON(ctx, fasthttp.StatusOK, []byte(`{"status":"ready"}`))
	return nil
}

func (s *Server) metricsHandler(ctx *fasthttp.RequestCtx, _ params) error {
	if s.cfg.Registry == nil {
		return &oci.Error{Code: oci.ResourceNotFound, Message: "metrics are not enabled"}
	}
	fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(s.cfg.Registry, promhttp.HandlerOpts{}))(ctx)
	return nil
}

// token is the Account Manager client_credentials grant
// (POST /dwsso/oauth2/access_token, HTTP Basic, form body).
func (s *Server) token(ctx *fasthttp.RequestCtx, _ params) error {
	id, secret, ok := basicAuth(ctx)
	args := ctx.PostArgs()
	if !ok {
		id, secret = string(args.Peek("client_id")), string(args.Peek("client_secret"))
	}
	t, err := s.auth.Grant(string(args.Peek("grant_type")), id, secret, string(args.Peek("scope")))
	if err != nil {
		status := fasthttp.StatusBadRequest
		if errors.Is(err, auth.ErrInvalidClient) {
			status = fasthttp.StatusUnauthorized
		}
		code := "invalid_request"
		for _, e := range []error{auth.ErrInvalidClient, auth.ErrInvalidScope, auth.ErrInvalidGrant} {
			if errors.Is(err, e) {
				code = e.Error()
			}
		}
		writeValue(ctx, status, map[string]string{"error": code, "error_description": err.Error()})
		return nil
	}
	ctx.Response.Header.Set("Cache-Control", "no-store")
	writeValue(ctx, fasthttp.StatusOK, t)
	return nil
}

func basicAuth(ctx *fasthttp.RequestCtx) (id, secret string, ok bool) {
	h := string(ctx.Request.Header.Peek("Authorization"))
	if len(h) < 6 || (h[:6] != "Basic " && h[:6] != "basic ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h[6:])
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	return id, secret, ok
}
