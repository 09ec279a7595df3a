package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/errs"
)

// statusOf maps an error code to its HTTP status.
var statusOf = map[errs.Code]int{
	errs.Invalid:      http.StatusUnprocessableEntity,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Forbidden:    http.StatusForbidden,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Internal:     http.StatusInternalServerError,
}

// problem turns any error into an RFC 9457 problem (huma's ErrorModel) with
// field-level details. Internal errors are logged and shown as
// "Internal error." only.
func (s *Server) problem(r *http.Request, err error) *huma.ErrorModel {
	code := errs.CodeOf(err)
	if code == errs.Internal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r.Context()), "err", err)
	}
	status := statusOf[code]
	p := &huma.ErrorModel{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: errs.MessageOf(err), Instance: r.URL.Path}
	for _, f := range errs.FieldsOf(err) {
		loc := "body." + f.Field
		if f.Row > 0 {
			loc = "row[" + itoa(f.Row) + "]." + f.Field
		}
		p.Errors = append(p.Errors, &huma.ErrorDetail{Message: f.Message, Location: loc})
	}
	return p
}

// apiError converts an error returned by the service into a huma error.
func (s *Server) apiError(r *http.Request, err error) error {
	var se huma.StatusError
	if errors.As(err, &se) {
		return err
	}
	return s.problem(r, err)
}

// error is the single funnel for errors outside huma: problem+json for API
// and JSON clients, an HTML page for the console.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	p := s.problem(r, err)
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "json") {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(p.Status)
		_ = json.NewEncoder(w).Encode(p)
		return
	}
	if p.Status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+r.URL.RequestURI(), http.StatusSeeOther)
		return
	}
	s.render(w, r, p.Status, "error.html", map[string]any{"Problem": p})
}

// logError logs an error the user cannot act on.
func (s *Server) logError(msg string, err error, attrs ...any) {
	s.log.Error(msg, append(attrs, slog.Any("err", err))...)
}
