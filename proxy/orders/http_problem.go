package orders

import (
	"encoding/json"
	"strings"

	"github.com/valyala/fasthttp"
)

// problemBase is the SCAPI problem type URI base.
const problemBase = "https://api.commercecloud.salesforce.com/documentation/error/v1/errors/"

type problemKind struct {
	status int
	slug   string // the type is problemBase + slug
	title  string
}

// problemTable maps every error code to its status and problem type: the
// only place where codes meet HTTP.
var problemTable = map[string]problemKind{
	EINVALID:        {fasthttp.StatusBadRequest, "bad-request", "Bad Request"},
	ETOOLARGE:       {fasthttp.StatusRequestEntityTooLarge, "request-entity-too-large", "Request Entity Too Large"},
	EMEDIATYPE:      {fasthttp.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported Media Type"},
	ESITENOTFOUND:   {fasthttp.StatusNotFound, "site-not-found", "Site Not Found"},
	EBASKETNOTFOUND: {fasthttp.StatusNotFound, "basket-not-found", "Basket Not Found"},
	EITEMNOTFOUND:   {fasthttp.StatusBadRequest, "product-item-not-found", "Product Item Not Found"},
	EORDERNOTFOUND:  {fasthttp.StatusNotFound, "order-not-found", "Order Not Found"},
	EUNAVAILABLE:    {fasthttp.StatusBadRequest, "product-item-not-available", "Product Item Not Available"},
	ESTATUS:         {fasthttp.StatusConflict, "order-status-transition", "Order Status Transition"},
	EUNDOFAIL:       {fasthttp.StatusConflict, "undo-fail-order", "Undo Fail Order"},
	EUNDOCANCEL:     {fasthttp.StatusConflict, "undo-cancel-order", "Undo Cancel Order"},
	EUNREACHABLE:    {fasthttp.StatusServiceUnavailable, "service-unavailable", "Service Unavailable"},
	EINTERNAL:       {fasthttp.StatusInternalServerError, "internal-server-error", "Internal Server Error"},
	ESTORE:          {fasthttp.StatusServiceUnavailable, "service-unavailable", "Service Unavailable"},
	ENOTFOUND:       {fasthttp.StatusNotFound, "not-found", "Not Found"},
	EMETHOD:         {fasthttp.StatusMethodNotAllowed, "method-not-allowed", "Method Not Allowed"},
}

// problem is the application/problem+json body (SCAPI ErrorResponse).
type problem struct {
	Title      string   `json:"title"`
	Type       string   `json:"type"`
	Detail     string   `json:"detail"`
	ProductIDs []string `json:"productIds,omitempty"`
}

func writeProblem(ctx *fasthttp.RequestCtx, err error) {
	code := ErrorCode(err)
	kind, ok := problemTable[code]
	if !ok {
		kind = problemTable[EINTERNAL]
	}
	p := problem{Title: kind.title, Type: problemBase + kind.slug, Detail: detailOf(err)}
	if e, ok := err.(*Error); ok {
		p.ProductIDs = e.ProductIDs
	}
	if code == EINTERNAL {
		p.Detail = "The edge could not complete the request; nothing was acknowledged."
	}
	if code == EUNREACHABLE {
		ctx.Response.Header.Set("Retry-After", "1")
	}
	b, _ := json.Marshal(p)
	ctx.SetStatusCode(kind.status)
	ctx.SetContentType(problemContentType(ctx))
	ctx.SetBody(b)
}

// problemContentType follows each spec: the Shopper APIs declare
// application/problem+json for errors, the (admin) Orders API
// application/json.
func problemContentType(ctx *fasthttp.RequestCtx) string {
	if strings.HasPrefix(string(ctx.Path()), ordersBase) {
		return "application/json"
	}
	return "application/problem+json"
}

// detailOf is the message of an *Error without its internal cause, or
// the error text.
func detailOf(err error) string {
	e, ok := err.(*Error)
	if !ok {
		return err.Error()
	}
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Code == EINVALID && e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}
