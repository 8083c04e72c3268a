package httpapi

// Impex is the import/export service the impex routes call (oci/impex).
type Impex interface{}

func (s *Server) impexRoutes() []route { return nil }
