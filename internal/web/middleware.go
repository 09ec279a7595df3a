package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/errs"
)

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keyPath
)

// principal is who is making a request and how they proved it.
type principal struct {
	User    auth.User
	Session *auth.Session // nil for API tokens
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func principalOf(ctx context.Context) *principal {
	p, _ := ctx.Value(keyPrincipal).(*principal)
	return p
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// validRequestID reports whether a caller's X-Request-Id may be kept: 1 to
// 64 letters, digits, '.', '_' or '-'. Anything else is replaced, so that
// logs and the echoed header carry nothing a caller crafted beyond that.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// observe assigns a request id, recovers panics, logs the request and
// records metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		id := r.Header.Get("X-Request-Id")
		if !validRequestID(id) {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		client := s.resolveClient(r)
		ctx = withClientAddr(ctx, client)
		r = r.WithContext(context.WithValue(ctx, keyPath, r.URL.Path))
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "request_id", id, "panic", v)
				if sw.status == 0 {
					http.Error(sw, "Internal error.", http.StatusInternalServerError)
				}
			}
			pattern := r.Pattern
			if pattern == "" {
				pattern = "unmatched"
			}
			d := s.now().Sub(start)
			s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(sw.status)).Inc()
			s.metrics.latency.WithLabelValues(pattern).Observe(d.Seconds())
			if !strings.HasPrefix(r.URL.Path, "/static/") {
				s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.Int("status", sw.status), slog.Duration("duration", d), slog.String("request_id", id),
					slog.String("client", client.IP)) // ties the audit trail's request ids to an address
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// authenticate identifies the caller from a bearer token or a session
// cookie. It never rejects: routes decide what an anonymous caller may do.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r) // its bearer token is the metrics token, not a user's
			return
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			u, err := s.svc.UserByToken(r.Context(), strings.TrimPrefix(h, "Bearer "))
			if err != nil {
				s.error(w, r, errs.Errorf(errs.Unauthorized, "Invalid or revoked API token."))
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), keyPrincipal, &principal{User: u}))
		} else if c, err := r.Cookie(sessionCookie); err == nil {
			u, sess, err := s.svc.UserBySession(r.Context(), c.Value)
			if err == nil {
				r = r.WithContext(context.WithValue(r.Context(), keyPrincipal, &principal{User: u, Session: &sess}))
			}
		}
		next.ServeHTTP(w, r)
	})
}

const sessionCookie = "accord_session"

// csrfOK reports whether a state-changing request made with a session cookie
// carries the session's CSRF token (header X-CSRF-Token, as htmx sends it,
// or form field csrf_token). Bearer-token requests need none: a browser
// never attaches them by itself.
func csrfOK(r *http.Request, p *principal) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	if p == nil || p.Session == nil {
		return true // anonymous: the route itself will refuse or is public (login)
	}
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" && r.PostForm != nil {
		// Only a form guard has already parsed (within the body limit);
		// the check itself never reads a body.
		tok = r.PostForm.Get("csrf_token")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(p.Session.CSRFToken)) == 1
}

// guard enforces a route's permission and CSRF for console and plain
// handlers. API operations use the equivalent huma middleware.
func (s *Server) guard(perm auth.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r.Context())
		// Decide whatever can be decided without the body first: an
		// anonymous caller, and a signed-in one whose CSRF token comes in
		// the header (htmx) or who sends no form, is refused before a byte
		// of the body is read. Only a plain HTML form, whose token is in
		// the body, is parsed (within its limit) before the CSRF check.
		if p == nil || r.Header.Get("X-CSRF-Token") != "" || !formBody(r) {
			if err := check(r, p, perm); err != nil {
				s.error(w, r, err)
				return
			}
		}
		if err := parseForm(r); err != nil {
			if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
				s.tooLarge(w, r, mbe.Limit)
				return
			}
			s.error(w, r, errs.Errorf(errs.Invalid, "The form could not be read: %v.", err))
			return
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err := check(r, p, perm); err != nil {
			s.error(w, r, err)
			return
		}
		h(w, r)
	}
}

// formMemory is how much of a multipart form is kept in memory; file parts
// beyond it go to temporary files, which guard removes when the handler
// returns. Bodies are capped before this (see limitBody) and anonymous ones
// at anonBodyLimit, far below it, so an anonymous request never spools to
// disk.
const formMemory = 1 << 20

// formBody reports whether r carries a form body (URL-encoded or
// multipart).
func formBody(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

// parseForm parses a state-changing request's form body, if it has one,
// so that the CSRF field and the handler see the same values and a body
// over its limit is an error here rather than a silently empty form.
func parseForm(r *http.Request) error {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		return r.ParseForm()
	case "multipart/form-data":
		return r.ParseMultipartForm(formMemory)
	}
	return nil
}

// Body limits. Every request passes limitBody, which caps its body with
// http.MaxBytesReader before anything reads it: at the limit its route
// declares (Route.MaxBody; imports), else defaultBodyLimit, and at
// anonBodyLimit for a caller who has not signed in, whatever the route
// (except routes whose caller signs the request, permSigned). A
// Content-Length over the limit is refused at once, without reading.
const (
	defaultBodyLimit int64 = 1 << 20  // console forms and JSON
	anonBodyLimit    int64 = 16 << 10 // the sign-in form is all an anonymous caller may post
)

// limitBody caps the request body (see above) and answers paths no route
// matches with the console's 404 page or problem+json.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := s.mux.Handler(r)
		limit := defaultBodyLimit
		if n, ok := s.bodyLimits[pattern]; ok && n > 0 {
			limit = n
		}
		if principalOf(r.Context()) == nil && !s.signed[pattern] {
			limit = min(limit, anonBodyLimit)
		}
		if r.ContentLength > limit {
			s.tooLarge(w, r, limit)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if pattern == "" {
			// Unmatched: let the mux answer redirects and 405s; replace
			// its plain-text 404 with ours.
			next.ServeHTTP(&notFoundWriter{ResponseWriter: w, s: s, r: r}, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// notFoundWriter passes a response through unless it is a 404, which it
// replaces with Server.notFound.
type notFoundWriter struct {
	http.ResponseWriter
	s        *Server
	r        *http.Request
	replaced bool
}

func (w *notFoundWriter) WriteHeader(code int) {
	if code == http.StatusNotFound && !w.replaced {
		w.replaced = true
		w.ResponseWriter.Header().Del("Content-Type")
		w.s.notFound(w.ResponseWriter, w.r)
		return
	}
	if !w.replaced {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *notFoundWriter) Write(b []byte) (int, error) {
	if w.replaced {
		return len(b), nil // the mux's "404 page not found"
	}
	return w.ResponseWriter.Write(b)
}

func (w *notFoundWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// contentSecurityPolicy allows scripts, styles, images and fonts from this
// site only: no inline script or style, no eval, no framing, forms post
// only here. Charts and page behaviour live in /static/js.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// secureHeaders sets the security headers on every response. Responses are
// not cached (they carry personal data) unless a handler says otherwise, as
// the static files do.
func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if isHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests a browser made from another
// site (Sec-Fetch-Site, or Origin against Host), sign-in included, before
// any session is looked up. Clients that are not browsers send neither
// header and pass; they authenticate with bearer tokens.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.error(w, r, errs.Errorf(errs.Forbidden, "Cross-origin request refused."))
	}))
	return cop.Handler(next)
}

// check is the one authorisation decision for every route.
func check(r *http.Request, p *principal, perm auth.Permission) error {
	if perm == permPublic || perm == permSigned {
		return nil
	}
	if p == nil {
		return errs.Errorf(errs.Unauthorized, "Sign in first.")
	}
	if !csrfOK(r, p) {
		return errs.Errorf(errs.Forbidden, "Missing or wrong CSRF token; reload the page and try again.")
	}
	if !p.User.Can(perm) {
		return errs.Errorf(errs.Forbidden, "Your role may not do this (%s).", perm)
	}
	return nil
}

// permPublic marks the few routes anyone may call (login, health, assets).
const permPublic auth.Permission = "public"

// permSigned marks routes that a partner system authenticates by signing
// the request itself (the SMS gateway's delivery reports): no user, no
// staff permission; the handler verifies the signature and answers 401
// without a valid one.
const permSigned auth.Permission = "signed"
