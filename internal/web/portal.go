package web

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"accord/internal/errs"
	"accord/internal/selfservice"
)

// The borrower portal (/my/…) is a surface of its own beside the staff
// console: its own session (the accord_portal cookie, short-lived, kept by
// package selfservice as a hash), its own CSRF token, its own layout and
// labels. Its routes are registered as public for the staff guard — a
// borrower holds no staff permission, and no staff session reaches the
// portal — and each handler runs behind portalGuard, which admits only a
// portal session.

const portalCookie = "accord_portal"

type ctxPortal struct{}

// portalWho returns the borrower signed in on the portal.
func portalWho(ctx context.Context) selfservice.Borrower {
	who, _ := ctx.Value(ctxPortal{}).(selfservice.Borrower)
	return who
}

// portalGuard admits a request with a valid portal session (and, for a
// POST, the session's CSRF token in the form); anyone else is sent to the
// portal's sign-in page. Without a configured portal every /my page is 404.
func (s *Server) portalGuard(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Portal == nil {
			s.notFound(w, r)
			return
		}
		c, err := r.Cookie(portalCookie)
		if err != nil {
			http.Redirect(w, r, "/my/login", http.StatusSeeOther)
			return
		}
		who, err := s.opts.Portal.Authenticate(r.Context(), c.Value, requestID(r.Context()))
		if err != nil {
			if errs.CodeOf(err) != errs.Unauthorized {
				s.logError("portal session", err)
			}
			s.clearPortalCookie(w, r)
			http.Redirect(w, r, "/my/login?expired=1", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			tok := r.PostFormValue("csrf_token")
			if tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(who.CSRFToken)) != 1 {
				s.portalError(w, r, errs.Errorf(errs.Forbidden, "Missing or wrong CSRF token; reload the page and try again."))
				return
			}
		}
		who.Addr = clientIP(r)
		h(w, r.WithContext(context.WithValue(r.Context(), ctxPortal{}, who)))
	}
}

// portalOpen wraps the sign-in handlers: 404 without a configured portal.
func (s *Server) portalOpen(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Portal == nil {
			s.notFound(w, r)
			return
		}
		h(w, r)
	}
}

func (s *Server) setPortalCookie(w http.ResponseWriter, r *http.Request, tok string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: tok, Path: "/my", MaxAge: int(maxAge.Seconds()), HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r)})
}

func (s *Server) clearPortalCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: "", Path: "/my", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r)})
}

// portalView is what every portal template receives.
type portalView struct {
	Lang     string
	Path     string
	SignedIn bool
	CSRF     string
	Error    string            // a refusal to show above the form
	Fields   map[string]string // field errors by field name
	Data     any
}

// T returns the portal's text for key in the page's language.
func (v portalView) T(key string) string { return portalLabel(v.Lang, key) }

// portalPages are the portal's templates, each parsed with
// portal_layout.html.
type portalPages struct{ set map[string]*template.Template }

func loadPortalPages() (*portalPages, error) {
	// The templates use no functions of their own (only the view's T
	// method and the values' methods): the console's loader parses every
	// template too, with its own functions.
	names, err := fs.Glob(templateFS, "templates/portal_*.html")
	if err != nil {
		return nil, err
	}
	p := &portalPages{set: map[string]*template.Template{}}
	for _, n := range names {
		base := strings.TrimPrefix(n, "templates/")
		if base == "portal_layout.html" {
			continue
		}
		t, err := template.New(base).ParseFS(templateFS, "templates/portal_layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		p.set[base] = t
	}
	return p, nil
}

// portalRender renders a portal page into a buffer, then writes it.
func (s *Server) portalRender(w http.ResponseWriter, r *http.Request, status int, page string, v portalView) {
	var t *template.Template
	ok := false
	if s.portalPages != nil {
		t, ok = s.portalPages.set[page]
	}
	if !ok {
		s.logError("portal render", fmt.Errorf("no template %s", page))
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	v.Lang, v.Path = langOf(r), r.URL.RequestURI()
	if who := portalWho(r.Context()); who.ID != 0 {
		v.SignedIn, v.CSRF = true, who.CSRFToken
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "portal_layout", v); err != nil {
		s.logError("portal render", err, "template", page)
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// portalStatus is the HTTP status of a use-case error on a portal page.
func portalStatus(err error) int {
	switch errs.CodeOf(err) {
	case errs.Invalid:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// portalFail fills v with err (its message in the page's language where
// the portal knows it, and its field errors) for re-rendering a form.
func (s *Server) portalFail(r *http.Request, v *portalView, err error) int {
	code := portalStatus(err)
	if code == http.StatusInternalServerError {
		s.logError("portal", err, "path", r.URL.Path)
		v.Error = portalLabel(langOf(r), "error.internal")
		return code
	}
	v.Error = portalMessage(langOf(r), err)
	v.Fields = map[string]string{}
	for _, f := range errs.FieldsOf(err) {
		v.Fields[f.Field] = portalFieldMessage(langOf(r), f)
	}
	return code
}

// portalError renders err on the portal's message page.
func (s *Server) portalError(w http.ResponseWriter, r *http.Request, err error) {
	v := portalView{}
	code := s.portalFail(r, &v, err)
	s.portalRender(w, r, code, "portal_message.html", v)
}
