package httpapi

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// limitClass picks the bucket a route draws from.
type limitClass uint8

const (
	classAPI limitClass = iota
	classImpex
	classImpexFile
)

// Limits are requests per second per tenant and class. OCI documents only
// the impex ones (120 rps; 40 rps for file-content); the default for the
// other APIs is generous, as the issue asks. Zero means the default.
type Limits struct {
	API       float64 // default 50,000
	Impex     float64 // default 120
	ImpexFile float64 // default 40
}

func (l Limits) withDefaults() Limits {
	if l.API == 0 {
		l.API = 50_000
	}
	if l.Impex == 0 {
		l.Impex = 120
	}
	if l.ImpexFile == 0 {
		l.ImpexFile = 40
	}
	return l
}

func (l Limits) rate(c limitClass) float64 {
	switch c {
	case classImpex:
		return l.Impex
	case classImpexFile:
		return l.ImpexFile
	}
	return l.API
}

// limiter is a token bucket per (tenant, class) holding one second of
// requests. It is safe for concurrent use.
type limiter struct {
	limits Limits
	now    func() time.Time

	mu      sync.Mutex // guards buckets
	buckets map[bucketKey]*bucket
}

type bucketKey struct {
	tenant string
	class  limitClass
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{limits: l, now: now, buckets: map[bucketKey]*bucket{}}
}

// allow takes a token and sets the X-RateLimit-* headers; when the bucket is
// empty it sets Retry-After and returns false.
func (l *limiter) allow(ctx *fasthttp.RequestCtx, tenant string, c limitClass) bool {
	rate := l.limits.rate(c)
	now := l.now()
	l.mu.Lock()
	b := l.buckets[bucketKey{tenant, c}]
	if b == nil {
		b = &bucket{tokens: rate, last: now}
		l.buckets[bucketKey{tenant, c}] = b
	}
	b.tokens = math.Min(rate, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	remaining := int(b.tokens)
	wait := (1 - b.tokens) / rate
	l.mu.Unlock()
	h := &ctx.Response.Header
	h.Set("X-RateLimit-Limit", strconv.Itoa(int(rate*60))) // per minute, as documented
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining*60/max(1, int(rate))))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(time.Second).Unix(), 10))
	if !ok {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait))))
	}
	return ok
}
