package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/valyala/fasthttp"
	"go.uber.org/zap"
)

// call is one API request and how to read its answer.
type call struct {
	op          string // names the call in errors and logs
	method      string
	path        string // after the base URL, already escaped
	body        []byte // sent as is; nil for none
	contentType string // of body; default application/json
	basic       string // Authorization for the token endpoint; "" = bearer token
	idempotent  bool   // may be retried after any retryable failure
	once        bool   // never retried, not even after a 401 (a streamed upload)
	timeout     time.Duration
	// ok reads a 2xx answer; body is valid only during the call.
	ok func(status int, body []byte) error
	// stream, if set, reads a 2xx answer's body as a stream instead of ok.
	stream func(r io.Reader) error
	// upload, if set, gives the request a streamed body; done runs after the
	// exchange (to stop and join the writer).
	upload func(req *fasthttp.Request) (done func())
	// replayed, if set, judges the error of an attempt made after an
	// earlier one may have been applied (its answer was lost).
	replayed func(err error) error
}

// finalError is a failure that must not be retried: the answer's body was
// already being consumed.
type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// do runs k with retries: transport failures, 5xx and 429 are retried when
// k is idempotent (and, when it is not, only if the request never left or
// was refused by the rate limit); a 401 refreshes the token and retries
// once. It never retries once ctx is done.
func (c *Client) do(ctx context.Context, k *call) error {
	if c.root.Err() != nil {
		return ErrClosed
	}
	c.stats.calls.Add(1)
	reauthed, lost, fresh := false, false, false
	for attempt := 0; ; {
		err := c.attempt(ctx, k)
		if err != nil && lost && k.replayed != nil {
			err = k.replayed(err)
		}
		if err == nil {
			return nil
		}
		var fe *finalError
		if errors.As(err, &fe) {
			return c.failed(fe.err)
		}
		if tokenRejected(err) && !reauthed && !k.once {
			reauthed = true // the token was dropped: the next attempt fetches another
			continue
		}
		if staleConn(err) && !fresh && k.idempotent && !k.once {
			// A kept-alive connection the core had closed (it restarted, or
			// timed the connection out): one more try on a new connection,
			// not counted as a retry, so a core restart costs no failures.
			fresh, lost = true, lost || mayHaveApplied(err)
			c.stats.retries.Add(1)
			c.hc.CloseIdleConnections() // the others are as dead: dial anew
			continue
		}
		if !c.retry(ctx, k, attempt, err) {
			return c.failed(err)
		}
		lost = lost || mayHaveApplied(err)
		attempt++
	}
}

func (c *Client) failed(err error) error {
	if Retryable(err) {
		c.stats.unavailable.Add(1)
	}
	return err
}

// tokenRejected reports a 401 from an API route (not from the token
// endpoint): the bearer token was refused.
func tokenRejected(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == fasthttp.StatusUnauthorized && ae.Op != opToken
}

// mayHaveApplied reports a request that left but got no answer: the core
// may have acted on it.
func mayHaveApplied(err error) bool {
	var te *transportError
	return errors.As(err, &te) && te.op != opToken && !notSent(err)
}

// retry decides whether to try k again after err and waits the backoff.
func (c *Client) retry(ctx context.Context, k *call, attempt int, err error) bool {
	if k.once || attempt >= c.cfg.Retries || !Retryable(err) || ctx.Err() != nil {
		return false
	}
	if !k.idempotent && !notSent(err) && !rateLimited(err) {
		return false
	}
	d, ok := c.backoff(attempt, err)
	if !ok {
		return false
	}
	if dl, has := ctx.Deadline(); has && time.Until(dl) <= d {
		return false // the wait alone would outlast the caller
	}
	if c.wait(ctx, d) != nil {
		return false
	}
	c.stats.retries.Add(1)
	c.log.Debug("retrying a core call", zap.String("op", k.op), zap.Int("attempt", attempt+1),
		zap.Duration("after", d), zap.Error(err))
	return true
}

// backoff is the wait before retry attempt+1: the answer's Retry-After when
// it gave one (refused beyond MaxRetryAfter), else a jittered exponential
// backoff.
func (c *Client) backoff(attempt int, err error) (time.Duration, bool) {
	if ra := retryAfterOf(err); ra > 0 {
		return ra, ra <= c.cfg.MaxRetryAfter
	}
	d := c.cfg.RetryBackoff << min(attempt, 6)
	return c.jitter(min(d, 2*time.Second)), true
}

// attempt sends k once and reads the answer.
func (c *Client) attempt(ctx context.Context, k *call) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("client: %s: %w", k.op, err)
	}
	auth := k.basic
	if auth == "" {
		t, err := c.tokens.get(ctx)
		if err != nil {
			return err
		}
		auth = t.header
	}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	c.fill(req, k, auth)
	resp.StreamBody = k.stream != nil
	timeout := k.timeout
	if timeout == 0 {
		timeout = c.cfg.Timeout
	}
	var done func()
	if k.upload != nil {
		done = k.upload(req)
	}
	c.stats.attempts.Add(1)
	dl, byCtx := deadline(ctx, timeout)
	err := c.hc.DoDeadline(req, resp, dl)
	if done != nil {
		done()
	}
	if err != nil {
		if errors.Is(err, fasthttp.ErrNoFreeConns) {
			c.stats.noFreeConns.Add(1)
		}
		e := &transportError{op: k.op, err: err, ctxErr: ctx.Err()}
		if e.ctxErr == nil && byCtx && errors.Is(err, fasthttp.ErrTimeout) {
			e.ctxErr = context.DeadlineExceeded // fasthttp's timer beat the context's
		}
		return e
	}
	return c.answer(ctx, k, auth, resp)
}

func (c *Client) fill(req *fasthttp.Request, k *call, auth string) {
	req.Header.SetMethod(k.method)
	req.SetRequestURI(c.prefix + k.path)
	req.Header.Set("Authorization", auth)
	if k.body != nil {
		ct := k.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.SetContentType(ct)
		req.SetBodyRaw(k.body)
	}
}

// answer turns a response into k's result or an *APIError.
func (c *Client) answer(ctx context.Context, k *call, auth string, resp *fasthttp.Response) error {
	if k.stream != nil {
		defer resp.CloseBodyStream()
	}
	status := resp.StatusCode()
	if status < 200 || status > 299 {
		if status == fasthttp.StatusUnauthorized && k.basic == "" {
			c.stats.unauthorized.Add(1)
			c.tokens.invalidate(auth)
		}
		return newAPIError(k.op, status, errorBody(resp),
			parseRetryAfter(resp.Header.Peek("Retry-After"), c.cfg.Now()))
	}
	if k.stream != nil {
		if err := k.stream(&readErrors{r: resp.BodyStream(), op: k.op, ctx: ctx}); err != nil {
			return &finalError{err}
		}
		return nil
	}
	if k.ok != nil {
		return k.ok(status, resp.Body())
	}
	return nil
}

// errorBody is the body of an error answer, at most 64 KiB of a stream.
func errorBody(resp *fasthttp.Response) []byte {
	if r := resp.BodyStream(); r != nil && resp.StreamBody {
		b, _ := io.ReadAll(io.LimitReader(r, 64<<10))
		return b
	}
	return resp.Body()
}

// readErrors turns a streamed body's read failures into transport errors.
type readErrors struct {
	r   io.Reader
	op  string
	ctx context.Context
}

func (r *readErrors) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = unavailable(r.op, err, r.ctx)
	}
	return n, err
}
