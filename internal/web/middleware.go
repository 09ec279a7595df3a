package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

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

// observe assigns a request id, recovers panics, logs the request and
// records metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newID()
		}
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = withClientAddr(ctx, s.resolveClient(r))
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
			d := time.Since(start)
			s.metrics.requests.WithLabelValues(pattern, strconv.Itoa(sw.status)).Inc()
			s.metrics.latency.WithLabelValues(pattern).Observe(d.Seconds())
			if !strings.HasPrefix(r.URL.Path, "/static/") {
				s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
					slog.Int("status", sw.status), slog.Duration("duration", d), slog.String("request_id", id))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// authenticate identifies the caller from a bearer token or a session
// cookie. It never rejects: routes decide what an anonymous caller may do.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	if tok == "" {
		tok = r.PostFormValue("csrf_token")
	}
	return tok != "" && tok == p.Session.CSRFToken
}

// guard enforces a route's permission and CSRF for console and plain
// handlers. API operations use the equivalent huma middleware.
func (s *Server) guard(perm auth.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := principalOf(r.Context())
		if err := check(r, p, perm); err != nil {
			s.error(w, r, err)
			return
		}
		h(w, r)
	}
}

// check is the one authorisation decision for every route.
func check(r *http.Request, p *principal, perm auth.Permission) error {
	if perm == permPublic {
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
