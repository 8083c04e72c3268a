package httpapi

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"strings"

	"github.com/valyala/fasthttp"

	"ociedge/oci"
	"ociedge/oci/auth"
	"ociedge/oci/impex"
)

// Impex is the import/export service the impex routes call; *impex.Service
// implements it.
type Impex interface {
	Initiate(org string, req impex.InitiateImport) (*impex.ImportLinks, error)
	Upload(org, uploadLinkID string, r io.Reader) (*impex.UploadResult, error)
	ImportStatus(org, id string) (*impex.ImportStatus, error)
	ImportResults(org, id string) (io.ReadCloser, int64, error)
	DeleteImport(org, id string) error
	ListImports(org string, availableOnly bool) []string
	InitiateExport(org string, objs impex.ExportObjects) (*impex.ExportLinks, error)
	ExportStatus(org, id string) (*impex.ExportStatus, error)
	ExportFile(org, id string) (io.ReadCloser, int64, error)
	DeleteExport(org, id string) error
	InitiateGraphExport(org string) (*impex.ExportLinks, error)
	GraphExportStatus(org, id string) (*impex.ExportStatus, error)
	GraphExportFile(org, id string) (io.ReadCloser, int64, error)
	DeleteGraphExport(org, id string) error
	InitiateReservationsExport(org string, req impex.ReservationsExportRequest) (*impex.ExportLinks, error)
	ReservationsExportStatus(org, id string) (*impex.ExportStatus, error)
	ReservationsExportFile(org, id string) (io.ReadCloser, int64, error)
	DeleteReservationsExport(org, id string) error
}

var _ Impex = (*impex.Service)(nil)

func (s *Server) impexRoutes() []route {
	if s.cfg.Impex == nil {
		return nil
	}
	x := s.cfg.Impex
	imp := []string{auth.ScopeImpexInventoryRW}
	exp := []string{auth.ScopeImpexInventory, auth.ScopeImpexInventoryRW}
	graph := []string{auth.ScopeImpexGraphs, auth.ScopeImpexGraphsRW}
	r := func(name, method, path string, scopes []string, class limitClass, h func(*fasthttp.RequestCtx, params) error) route {
		return route{name: name, method: method, pattern: split(impexBase + path), scopes: scopes, class: class, impex: true, handle: h}
	}
	return append([]route{
		r("import_upload", "POST", "/availability-records/imports/uploadlink/{id}", imp, classImpex, s.importUpload),
		r("import_initiate", "POST", "/availability-records/imports", imp, classImpex, s.importInitiate),
		r("import_list", "GET", "/availability-records/imports", imp, classImpex, s.importList),
		r("import_status", "GET", "/availability-records/imports/{id}/status", imp, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return reply(ctx)(x.ImportStatus(p.org, p.id))
		}),
		r("import_file", "GET", "/availability-records/imports/{id}/file-content", imp, classImpexFile, func(ctx *fasthttp.RequestCtx, p params) error {
			return sendFile(ctx)(x.ImportResults(p.org, p.id))
		}),
		r("import_delete", "DELETE", "/availability-records/imports/{id}", imp, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return noContent(ctx, x.DeleteImport(p.org, p.id))
		}),
		r("export_initiate", "POST", "/availability-records/exports", exp, classImpex, s.exportInitiate),
		r("export_status", "GET", "/availability-records/exports/{id}/status", exp, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return reply(ctx)(x.ExportStatus(p.org, p.id))
		}),
		r("export_file", "GET", "/availability-records/exports/{id}/file-content", exp, classImpexFile, func(ctx *fasthttp.RequestCtx, p params) error {
			return sendFile(ctx)(x.ExportFile(p.org, p.id))
		}),
		r("export_delete", "DELETE", "/availability-records/exports/{id}", exp, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return noContent(ctx, x.DeleteExport(p.org, p.id))
		}),
		r("graph_export_initiate", "POST", "/location-graph/exports", graph, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return reply(ctx)(x.InitiateGraphExport(p.org))
		}),
		r("graph_export_status", "GET", "/location-graph/exports/{id}/status", graph, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return reply(ctx)(x.GraphExportStatus(p.org, p.id))
		}),
		r("graph_export_file", "GET", "/location-graph/exports/{id}/file-content", graph, classImpexFile, func(ctx *fasthttp.RequestCtx, p params) error {
			return sendFile(ctx)(x.GraphExportFile(p.org, p.id))
		}),
		r("graph_export_delete", "DELETE", "/location-graph/exports/{id}", graph, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return noContent(ctx, x.DeleteGraphExport(p.org, p.id))
		}),
	}, s.reservationExportRoutes(r)...)
}

// reservationExportRoutes are the reservations export (reference §5.5,
// I-R1..4): initiating and deleting need impex-inventory.rw, reading the
// status and the file the read scope too.
func (s *Server) reservationExportRoutes(r func(string, string, string, []string, limitClass, func(*fasthttp.RequestCtx, params) error) route) []route {
	x := s.cfg.Impex
	rw := []string{auth.ScopeImpexInventoryRW}
	read := []string{auth.ScopeImpexInventory, auth.ScopeImpexInventoryRW}
	return []route{
		r("reservation_export_initiate", "POST", "/reservations/exports", rw, classImpex, s.reservationExportInitiate),
		r("reservation_export_status", "GET", "/reservations/exports/{id}/status", read, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return reply(ctx)(x.ReservationsExportStatus(p.org, p.id))
		}),
		r("reservation_export_file", "GET", "/reservations/exports/{id}/file-content", read, classImpexFile, func(ctx *fasthttp.RequestCtx, p params) error {
			return sendFile(ctx)(x.ReservationsExportFile(p.org, p.id))
		}),
		r("reservation_export_delete", "DELETE", "/reservations/exports/{id}", rw, classImpex, func(ctx *fasthttp.RequestCtx, p params) error {
			return noContent(ctx, x.DeleteReservationsExport(p.org, p.id))
		}),
	}
}

func (s *Server) reservationExportInitiate(ctx *fasthttp.RequestCtx, p params) error {
	var req impex.ReservationsExportRequest
	if err := s.decode(ctx, &req); err != nil {
		return err
	}
	return reply(ctx)(s.cfg.Impex.InitiateReservationsExport(p.org, req))
}

// reply writes v as a 200 JSON answer, or returns err.
func reply(ctx *fasthttp.RequestCtx) func(v any, err error) error {
	return func(v any, err error) error {
		if err != nil {
			return err
		}
		writeValue(ctx, fasthttp.StatusOK, v)
		return nil
	}
}

func noContent(ctx *fasthttp.RequestCtx, err error) error {
	if err == nil {
		ctx.SetStatusCode(fasthttp.StatusNoContent)
	}
	return err
}

// sendFile streams an NDJSON file; fasthttp closes it when sent.
func sendFile(ctx *fasthttp.RequestCtx) func(rc io.ReadCloser, size int64, err error) error {
	return func(rc io.ReadCloser, size int64, err error) error {
		if err != nil {
			return err
		}
		ctx.SetStatusCode(fasthttp.StatusOK)
		ctx.SetContentType("application/x-ndjson")
		ctx.SetBodyStream(rc, int(size))
		return nil
	}
}

func (s *Server) importInitiate(ctx *fasthttp.RequestCtx, p params) error {
	var req impex.InitiateImport
	if err := s.decode(ctx, &req); err != nil {
		return err
	}
	return reply(ctx)(s.cfg.Impex.Initiate(p.org, req))
}

func (s *Server) importList(ctx *fasthttp.RequestCtx, p params) error {
	avail := string(ctx.QueryArgs().Peek("available"))
	if avail != "" && avail != "true" && avail != "false" {
		return &oci.Error{Code: oci.InvalidRequestParameter, Parameter: "available", Message: "'available' must be true or false"}
	}
	writeValue(ctx, fasthttp.StatusOK, map[string][]string{"imports": nonNil(s.cfg.Impex.ListImports(p.org, avail == "true"))})
	return nil
}

func (s *Server) exportInitiate(ctx *fasthttp.RequestCtx, p params) error {
	var body struct {
		Objects *impex.ExportObjects `json:"objects"`
	}
	if err := s.decode(ctx, &body); err != nil {
		return err
	}
	if body.Objects == nil {
		return &oci.Error{Code: oci.InvalidRequestParameter, Parameter: "objects", Message: "'objects' with 'groups' or 'locations' is required"}
	}
	return reply(ctx)(s.cfg.Impex.InitiateExport(p.org, *body.Objects))
}

// importUpload streams the multipart file part (form field fileUpload, or
// the first file part) straight into the import: the file never sits whole
// in memory. A body that is not multipart is taken as the file itself.
func (s *Server) importUpload(ctx *fasthttp.RequestCtx, p params) error {
	body := ctx.RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(ctx.PostBody())
	}
	ct := string(ctx.Request.Header.ContentType())
	mt, mp, _ := mime.ParseMediaType(ct)
	if !strings.HasPrefix(mt, "multipart/") {
		return s.upload(ctx, p, body)
	}
	if mp["boundary"] == "" {
		return &oci.Error{Code: oci.InvalidRequest, Message: "The format of the message is incorrect: multipart body without a boundary"}
	}
	mr := multipart.NewReader(body, mp["boundary"])
	for {
		part, err := mr.NextPart()
		if err != nil {
			return &oci.Error{Code: oci.InvalidRequest, Message: "The format of the message is incorrect: no file part 'fileUpload' in the multipart body"}
		}
		if part.FormName() == "fileUpload" || part.FileName() != "" {
			return s.upload(ctx, p, part)
		}
		part.Close()
	}
}

func (s *Server) upload(ctx *fasthttp.RequestCtx, p params, r io.Reader) error {
	res, err := s.cfg.Impex.Upload(p.org, p.id, r)
	if oci.ErrorCode(err) == impex.FileTooLarge {
		drain(ctx)
		return &oci.Error{Code: codeTooLarge, Message: err.(*oci.Error).Message}
	}
	return reply(ctx)(res, err)
}
