package web

import (
	"net/http"
	"net/url"
	"strings"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
)

// safeNext returns next when it is a path on this site, and "/" otherwise.
// Browsers are lenient with what follows a Location header: they drop tabs
// and line breaks, read a backslash as a slash, and treat "//host" as
// another site, so anything but a plain absolute path is refused: control
// characters, backslashes, a leading "//" (also when percent-encoded), dot
// segments, a scheme or a host.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.Path, "/\\") {
		return "/"
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." { // "/.//evil" resolves to "//evil"
			return "/"
		}
	}
	return next
}

// handleLoginShow handles "GET /login".
func (s *Server) handleLoginShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login.html", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
}

// handleLogin handles "POST /login".
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	username, next := r.PostFormValue("username"), safeNext(r.PostFormValue("next"))
	tok, u, err := s.svc.LoginFrom(r.Context(), collect.LoginAttempt{Username: username, Password: r.PostFormValue("password"),
		Addr: clientIP(r), RequestID: requestID(r.Context())})
	if errs.CodeOf(err) == errs.Unauthorized {
		s.render(w, r, http.StatusUnauthorized, "login.html", map[string]any{"Failed": true, "Username": username, "Next": next})
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: isHTTPS(r), MaxAge: int(s.opts.SessionTTL.Seconds())})
	if validLang(u.Language) {
		if _, err := r.Cookie(langCookie); err != nil {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: u.Language, Path: "/", MaxAge: 365 * 86400, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout handles "POST /logout".
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.Logout(r.Context(), c.Value); err != nil {
			s.error(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handleLang handles "GET /lang/{lang}": it switches the console language
// and returns to the page the user was on.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !validLang(lang) {
		s.error(w, r, errs.Errorf(errs.NotFound, "Unknown language."))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 86400, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
	next, _ := url.QueryUnescape(r.URL.Query().Get("next"))
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
}

// handleHome handles "GET /": the overview for those who may see it, the
// borrower search for everyone else.
func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	if principalOf(r.Context()).User.Can(auth.PermPortfolioRead) {
		s.handleOverview(w, r)
		return
	}
	http.Redirect(w, r, "/borrowers", http.StatusSeeOther)
}
