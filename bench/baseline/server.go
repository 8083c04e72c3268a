package baseline

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/valyala/fasthttp"
)

// Server is a bare fasthttp server on 127.0.0.1:0 that answers every request
// with the same JSON body: the fastest handler this machine can run. Start
// it with StartServer; Close stops it and waits for it.
type Server struct {
	srv  *fasthttp.Server
	ln   net.Listener
	done chan struct{}
}

// StartServer serves body on a fresh loopback port.
func StartServer(body []byte) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("baseline server: %w", err)
	}
	body = append([]byte(nil), body...)
	s := &Server{ln: ln, done: make(chan struct{})}
	s.srv = &fasthttp.Server{
		Handler: func(ctx *fasthttp.RequestCtx) {
			ctx.SetContentType("application/json")
			ctx.SetBody(body)
		},
		Name:        "baseline",
		IdleTimeout: 5 * time.Second,
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// URL returns the server's base URL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops the server, waiting at most 5s for open connections.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.ShutdownWithContext(ctx)
	s.ln.Close() // Serve may not have registered ln when Shutdown ran: it returns either way
	<-s.done
	return err
}

// FixedBody returns a JSON body of exactly n bytes (at least 16): an object
// with one padding string, so that the baseline answers as many bytes as the
// route it is compared with.
func FixedBody(n int) []byte {
	n = max(n, 16)
	const open, close = `{"pad":"`, `"}`
	b := make([]byte, 0, n)
	b = append(b, open...)
	for len(b) < n-len(close) {
		b = append(b, 'x')
	}
	return append(b, close...)
}
