package web

import (
	"errors"
	"net/http"
	"path"

	"accord/internal/errs"
)

// importKinds are the kinds the import page offers.
var importKinds = []string{"borrowers", "contacts", "loans", "payments"}

// handleImportShow handles "GET /admin/import".
func (s *Server) handleImportShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "import.html", map[string]any{"Kinds": importKinds, "Kind": r.URL.Query().Get("kind")})
}

// handleImportUpload handles "POST /admin/import": a multipart form with
// the kind, a dry-run box and the file. The result, or every row error the
// importer reports, is shown on the import page.
func (s *Server) handleImportUpload(w http.ResponseWriter, r *http.Request) {
	kind := r.PostFormValue("kind")
	data := map[string]any{"Kinds": importKinds, "Kind": kind}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		s.importFailed(w, r, data, errs.Field("file", "is required"))
		return
	}
	defer f.Close()
	name := path.Base(hdr.Filename)
	data["Filename"] = name
	res, err := s.svc.Import(r.Context(), actorOf(r), kind, name, f, r.PostFormValue("dry_run") != "")
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		s.tooLarge(w, r, mbe.Limit)
		return
	}
	if err != nil {
		s.importFailed(w, r, data, err)
		return
	}
	data["Result"] = res
	s.render(w, r, http.StatusOK, "import.html", data)
}

// importFailed shows the import page with the error: an invalid file with
// its row errors (422), anything else as the console's error page.
func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, data map[string]any, err error) {
	if errs.CodeOf(err) != errs.Invalid {
		s.error(w, r, err)
		return
	}
	data["Error"] = errs.MessageOf(err)
	data["Fields"] = errs.FieldsOf(err)
	s.render(w, r, http.StatusUnprocessableEntity, "import.html", data)
}
