package ocapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/valyala/fasthttp"

	"ociedge/proxy/inventory"
)

// Transport error codes, beside inventory's.
const (
	EPARAM        = "EPARAM"        // bad query or path parameter
	EMALFORMED    = "EMALFORMED"    // the body is not the JSON document expected
	ETOOLARGE     = "ETOOLARGE"     // the body is over the cap
	EMEDIATYPE    = "EMEDIATYPE"    // wrong Content-Type
	EMETHOD       = "EMETHOD"       // method not allowed on the path
	EUNAUTHORIZED = "EUNAUTHORIZED" // Authorize refused
)

// codes is the one table from error code to HTTP status and OCAPI fault type.
var codes = map[string]struct {
	status int
	fault  string
}{
	inventory.EINVALID:        {http.StatusBadRequest, "MalformedDocumentException"},
	EMALFORMED:                {http.StatusBadRequest, "MalformedDocumentException"},
	EPARAM:                    {http.StatusBadRequest, "InvalidParameterException"},
	EUNAUTHORIZED:             {http.StatusUnauthorized, "UnauthorizedException"},
	inventory.ELISTNOTFOUND:   {http.StatusNotFound, "InventoryListNotFoundException"},
	inventory.ERECORDNOTFOUND: {http.StatusNotFound, "ProductInventoryRecordNotFoundException"},
	inventory.ENOTFOUND:       {http.StatusNotFound, "NotFoundException"},
	EMETHOD:                   {http.StatusMethodNotAllowed, "MethodNotAllowedException"},
	inventory.ECONFLICT:       {http.StatusConflict, "ConflictException"},
	inventory.EUNAVAILABLE:    {http.StatusConflict, "ConflictException"},
	inventory.EREADONLY:       {http.StatusConflict, "InventoryRecordReadOnlyException"},
	ETOOLARGE:                 {http.StatusRequestEntityTooLarge, "RequestEntityTooLargeException"},
	EMEDIATYPE:                {http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException"},
	inventory.EINTERNAL:       {http.StatusInternalServerError, "InternalServerErrorException"},
	inventory.ESTORE:          {http.StatusServiceUnavailable, "ServiceUnavailableException"},
}

// statusOf returns the status and fault type of err.
func statusOf(err error) (int, string, string) {
	code := inventory.ErrorCode(err)
	c, ok := codes[code]
	if !ok {
		c, code = codes[inventory.EINTERNAL], inventory.EINTERNAL
	}
	return c.status, c.fault, code
}

var errUnauthorized = inventory.Errorf(EUNAUTHORIZED, "the request is not authorized")

// domainFields maps inventory's field names to the document's.
var domainFields = map[string]string{
	"allocation":                  "allocation.amount",
	"allocationResetDate":         "allocation.reset_date",
	"preorderBackorderAllocation": "pre_order_back_order_allocation",
	"handling":                    "pre_order_back_order_handling",
	"inStockDate":                 "in_stock_date",
	"turnover":                    "inventory_turnover",
	"onOrder":                     "quantity_on_order",
	"perpetual":                   "perpetual_flag",
	"productId":                   "product_id",
	"listId":                      "inventory_list_id",
	"custom":                      "c_*",
}

type faultDoc struct {
	V     string    `json:"_v"`
	Fault faultBody `json:"fault"`
}

type faultBody struct {
	Type      string         `json:"type"`
	Message   string         `json:"message"`
	Arguments map[string]any `json:"arguments,omitempty"`
}

// fault writes err as an OCAPI fault.
func (h *Handler) fault(ctx *fasthttp.RequestCtx, rt route, err error) {
	status, typ, code := statusOf(err)
	msg := err.Error()
	args := map[string]any{}
	var e *inventory.Error
	if errors.As(err, &e) {
		msg = e.Message
		h.faultArgs(args, code, e, rt)
	}
	if code == EMETHOD {
		ctx.Response.Header.Set("Allow", allowed(rt))
	}
	if status == http.StatusInternalServerError {
		h.log.Error("OCAPI inventory request failed", errField(err))
	}
	writeJSON(ctx, status, faultDoc{V: rt.version, Fault: faultBody{typ, msg, args}})
}

func (h *Handler) faultArgs(args map[string]any, code string, e *inventory.Error, rt route) {
	switch code {
	case inventory.ELISTNOTFOUND:
		args["inventoryListId"] = rt.list
	case inventory.ERECORDNOTFOUND:
		args["inventoryListId"], args["productId"] = rt.list, rt.product
	case EPARAM:
		args["parameter"] = e.Field
	case inventory.EINVALID:
		if f, ok := domainFields[e.Field]; ok {
			args["property"] = f
		}
	case EMALFORMED:
		if e.Field != "" {
			args["property"] = e.Field
		}
	}
}

func allowed(rt route) string {
	if rt.hasProduct {
		return "GET, PUT, PATCH, DELETE"
	}
	return "GET"
}

func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic("BUG: cannot encode response: " + err.Error())
	}
	ctx.SetStatusCode(status)
	ctx.SetContentType("application/json; charset=UTF-8")
	ctx.SetBody(b)
}
