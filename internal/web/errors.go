package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
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
	s.writeProblem(w, r, s.problem(r, err))
}

// wantsJSON reports whether r should be answered with problem+json rather
// than a console page.
func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.Contains(r.Header.Get("Accept"), "json")
}

// writeProblem answers with p: problem+json for API and JSON clients, a
// sign-in redirect or an HTML page (a styled 404 for not found) for the
// console.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, p *huma.ErrorModel) {
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(p.Status)
		_ = json.NewEncoder(w).Encode(p)
		return
	}
	if p.Status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.render(w, r, p.Status, "error.html", map[string]any{"Problem": p, "NotFound": p.Status == http.StatusNotFound})
}

// notFound answers a path no route matches: problem+json under /api/, the
// console's 404 page elsewhere.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	p := &huma.ErrorModel{Type: "about:blank", Title: http.StatusText(http.StatusNotFound), Status: http.StatusNotFound, Instance: r.URL.Path}
	if wantsJSON(r) {
		p.Detail = "No such resource."
	}
	s.writeProblem(w, r, p)
}

// tooLarge answers a request whose body is over limit bytes with 413,
// naming the limit.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	w.Header().Set("Connection", "close")
	s.writeProblem(w, r, &huma.ErrorModel{Type: "about:blank", Title: http.StatusText(http.StatusRequestEntityTooLarge),
		Status: http.StatusRequestEntityTooLarge, Detail: tooLargeDetail(limit), Instance: r.URL.Path})
}

func tooLargeDetail(limit int64) string {
	return fmt.Sprintf("The request body is larger than the limit of %s (%d bytes).", sizeText(limit), limit)
}

// sizeText writes n bytes for people: 16 KiB, 1 MiB, 512 MiB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// logError logs an error the user cannot act on.
func (s *Server) logError(msg string, err error, attrs ...any) {
	s.log.Error(msg, append(attrs, slog.Any("err", err))...)
}
