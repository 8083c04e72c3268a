package ocapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/valyala/fasthttp"

	"ociedge/proxy/inventory"
)

// errTooLarge is the cause of an ETOOLARGE error from a body reader.
var errTooLarge = errors.New("the request body is too large")

func tooLarge(limit int64) error {
	return &inventory.Error{Code: ETOOLARGE, Message: fmt.Sprintf("the request body is larger than %d bytes", limit), Err: errTooLarge}
}

// bodyReader returns the request body as a stream that fails with
// ETOOLARGE past limit. With a server that sets StreamRequestBody the body
// is read as it arrives; otherwise fasthttp has already read it.
func bodyReader(ctx *fasthttp.RequestCtx, limit int64) (io.Reader, error) {
	if cl := ctx.Request.Header.ContentLength(); cl > 0 && int64(cl) > limit {
		return nil, tooLarge(limit)
	}
	r := ctx.RequestBodyStream()
	if r == nil {
		r = bytes.NewReader(ctx.PostBody())
	}
	return &limitReader{r: r, left: limit + 1, limit: limit}, nil
}

// readBody reads a whole (small) body.
func readBody(ctx *fasthttp.RequestCtx, limit int) ([]byte, error) {
	r, err := bodyReader(ctx, int64(limit))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

type limitReader struct {
	r     io.Reader
	left  int64
	limit int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, tooLarge(l.limit)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left <= 0 {
		return n, tooLarge(l.limit)
	}
	return n, err
}

// mediaType returns the media type of the Content-Type header, "" if none.
func mediaType(ctx *fasthttp.RequestCtx) string {
	ct := ctx.Request.Header.ContentType()
	if len(ct) == 0 {
		return ""
	}
	mt, _, err := mime.ParseMediaType(string(ct))
	if err != nil {
		return "invalid"
	}
	return mt
}
