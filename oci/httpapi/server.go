// Package httpapi puts the oci domain on the wire at the real OCI headless
// API paths (reference oci-api.md §3–§5) with fasthttp: the Availability,
// Reservation and Impex APIs, the Account-Manager token endpoint, the core's
// own admin API, health and metrics. Handlers only decode, call the domain
// and encode; errors become problem+json through one status table.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"
	"go.uber.org/zap"

	"ociedge/oci"
	"ociedge/oci/auth"
)

// Config configures a Server. Core and Auth are required.
type Config struct {
	Core *oci.Core
	Auth *auth.Authority
	// Impex serves the import/export routes; nil answers them 404.
	Impex Impex
	// Logger defaults to a no-op logger.
	Logger *zap.Logger
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Registry, if set, receives the HTTP metrics and serves /metrics.
	Registry *prometheus.Registry
	// Limits are the per-tenant rate limits. Zero fields get generous defaults.
	Limits Limits
	// MaxBodyBytes bounds JSON request bodies. Default 4 MiB.
	MaxBodyBytes int
	// AdminPage, if set, serves GET /admin (the core's status page).
	AdminPage fasthttp.RequestHandler
}

// Server is the core's HTTP server. It is safe for concurrent use.
type Server struct {
	cfg     Config
	core    *oci.Core
	auth    *auth.Authority
	log     *zap.Logger
	now     func() time.Time
	limiter *limiter
	metrics *httpMetrics
	routes  []route
	srv     *fasthttp.Server
}

// New validates cfg and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Core == nil || cfg.Auth == nil {
		return nil, errors.New("httpapi: Config.Core and Config.Auth are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 4 << 20
	}
	s := &Server{cfg: cfg, core: cfg.Core, auth: cfg.Auth, log: cfg.Logger, now: cfg.Now,
		limiter: newLimiter(cfg.Limits.withDefaults(), cfg.Now)}
	s.metrics = newHTTPMetrics(cfg.Registry)
	s.routes = s.routeTable()
	s.srv = &fasthttp.Server{
		Handler:                      s.Handle,
		Name:                         "ocicore",
		ReadTimeout:                  60 * time.Second,
		WriteTimeout:                 60 * time.Second,
		IdleTimeout:                  120 * time.Second,
		MaxRequestBodySize:           cfg.MaxBodyBytes,
		StreamRequestBody:            true, // uploads are streamed; JSON bodies are read with a limit
		DisablePreParseMultipartForm: true,
		NoDefaultServerHeader:        true,
		CloseOnShutdown:              true,
		Logger:                       zapFasthttpLogger{cfg.Logger},
	}
	return s, nil
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// Shutdown stops accepting connections and waits for the open requests.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.ShutdownWithContext(ctx) }

// Handle is the fasthttp handler: it finds the route, checks the bearer
// token's scope and tenant and the rate limit, and runs the route.
func (s *Server) Handle(ctx *fasthttp.RequestCtx) {
	start := s.now()
	name := s.serve(ctx)
	s.metrics.observe(name, string(ctx.Method()), ctx.Response.StatusCode(), s.now().Sub(start))
}

func (s *Server) serve(ctx *fasthttp.RequestCtx) string {
	path := string(ctx.URI().PathOriginal()) // segments are unescaped one by one
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	r, params, methodOK := s.match(string(ctx.Method()), path)
	if r == nil {
		if methodOK {
			s.writeError(ctx, &oci.Error{Code: codeMethodNotAllowed, Message: "method not allowed on " + path})
			return "method_not_allowed"
		}
		s.writeError(ctx, &oci.Error{Code: oci.ResourceNotFound, Message: "no such resource: " + path})
		return "not_found"
	}
	if r.scopes != nil {
		p, err := s.auth.Verify(bearer(ctx))
		if err == nil {
			err = p.Allow(params.org, r.scopes...)
		}
		if err != nil {
			s.writeAuthError(ctx, err, r.impex)
			return r.name
		}
		if !s.limiter.allow(ctx, params.org, r.class) {
			s.writeProblem(ctx, fasthttp.StatusTooManyRequests, problem{
				Type:  "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/too-many-requests",
				Title: "Too Many Requests", ErrorCode: "TooManyRequests",
				Message: "You have performed too many requests in a short period of time."})
			return r.name
		}
	}
	if err := r.handle(ctx, params); err != nil {
		s.writeError(ctx, err)
	}
	return r.name
}

func bearer(ctx *fasthttp.RequestCtx) string {
	h := string(ctx.Request.Header.Peek("Authorization"))
	if len(h) > 7 && (h[:7] == "Bearer " || h[:7] == "bearer ") {
		return h[7:]
	}
	return ""
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func zapRoute(ctx *fasthttp.RequestCtx) zap.Field { return zap.String("path", string(ctx.Path())) }

func zapErr(err error) zap.Field { return zap.Error(err) }

type zapFasthttpLogger struct{ l *zap.Logger }

func (z zapFasthttpLogger) Printf(format string, args ...any) {
	z.l.Debug(fmt.Sprintf(format, args...))
}
