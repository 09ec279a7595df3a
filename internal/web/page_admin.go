package web

import (
	"net/http"
	"strconv"
	"strings"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
)

// registerAdmin declares the administrator's console pages: users and
// imports.
func (s *Server) registerAdmin() {
	s.handle("GET", "/admin/users", auth.PermUserManage, s.handleAdminUsers)
	s.handle("POST", "/admin/users", auth.PermUserManage, s.handleAdminUserCreate)
	s.handle("POST", "/admin/users/{id}", auth.PermUserManage, s.handleAdminUserChange)
	s.handle("POST", "/admin/users/{id}/disable", auth.PermUserManage, s.handleAdminUserDisable(true))
	s.handle("POST", "/admin/users/{id}/enable", auth.PermUserManage, s.handleAdminUserDisable(false))
	s.handle("POST", "/admin/users/{id}/password", auth.PermUserManage, s.handleAdminUserPassword)
	s.handle("POST", "/admin/users/{id}/unlock", auth.PermUserManage, s.handleAdminUserUnlock)
	s.handle("GET", "/admin/import", auth.PermImport, s.handleImportShow)
	s.handleWithLimit("POST", "/admin/import", auth.PermImport, s.opts.MaxImportBytes, s.handleImportUpload)
}

// handleWithLimit is handle for a route whose body may exceed the default
// limit (a file upload): limitBody caps it at maxBody instead.
func (s *Server) handleWithLimit(method, pattern string, perm auth.Permission, maxBody int64, h http.HandlerFunc) {
	s.routes = append(s.routes, Route{Method: method, Pattern: pattern, Perm: perm, MaxBody: maxBody})
	s.bodyLimits[method+" "+pattern] = maxBody
	s.mux.HandleFunc(method+" "+pattern, s.guard(perm, h))
}

// handleAdminUsers handles "GET /admin/users".
func (s *Server) handleAdminUsers(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.UserAdmin(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_users.html", map[string]any{"Dir": d, "Roles": auth.Roles, "Done": r.URL.Query().Get("done")})
}

// formRoles reads the checked role boxes.
func formRoles(r *http.Request) []auth.Role {
	var out []auth.Role
	for _, v := range r.PostForm["roles"] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, auth.Role(v))
		}
	}
	return out
}

// formID reads an optional id field: empty is 0 (none).
func formID(r *http.Request, field string) (int64, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Field(field, "is not a valid id")
	}
	return n, nil
}

func (s *Server) adminDone(w http.ResponseWriter, r *http.Request, what string) {
	http.Redirect(w, r, "/admin/users?done="+what, http.StatusSeeOther)
}

// handleAdminUserCreate handles "POST /admin/users".
func (s *Server) handleAdminUserCreate(w http.ResponseWriter, r *http.Request) {
	team, err := formID(r, "team_id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	agency, err := formID(r, "agency_id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := auth.User{Username: strings.TrimSpace(r.PostFormValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Roles: formRoles(r), Language: r.PostFormValue("language")}
	if u.Language != "" && !validLang(u.Language) {
		s.error(w, r, errs.Field("language", "must be zh-CN or en"))
		return
	}
	created, err := s.svc.CreateUser(r.Context(), actorOf(r), u, r.PostFormValue("password"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if team != 0 || agency != 0 {
		if _, err := s.svc.ChangeUser(r.Context(), actorOf(r), created.ID, collect.UserChange{TeamID: &team, AgencyID: &agency}); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.adminDone(w, r, "created")
}

// handleAdminUserChange handles "POST /admin/users/{id}": roles, team and
// agency.
func (s *Server) handleAdminUserChange(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	team, err := formID(r, "team_id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	agency, err := formID(r, "agency_id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	roles := formRoles(r)
	if _, err := s.svc.ChangeUser(r.Context(), actorOf(r), id, collect.UserChange{Roles: &roles, TeamID: &team, AgencyID: &agency}); err != nil {
		s.error(w, r, err)
		return
	}
	s.adminDone(w, r, "changed")
}

// handleAdminUserDisable handles "POST /admin/users/{id}/disable" and
// ".../enable".
func (s *Server) handleAdminUserDisable(disable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.error(w, r, err)
			return
		}
		if _, err := s.svc.ChangeUser(r.Context(), actorOf(r), id, collect.UserChange{Disabled: &disable}); err != nil {
			s.error(w, r, err)
			return
		}
		if disable {
			s.adminDone(w, r, "disabled")
		} else {
			s.adminDone(w, r, "enabled")
		}
	}
}

// handleAdminUserPassword handles "POST /admin/users/{id}/password": a new
// password, which ends the user's sessions.
func (s *Server) handleAdminUserPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.svc.UserByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.svc.SetPassword(r.Context(), actorOf(r), u.Username, r.PostFormValue("password")); err != nil {
		s.error(w, r, err)
		return
	}
	s.adminDone(w, r, "password")
}

// handleAdminUserUnlock handles "POST /admin/users/{id}/unlock": clears the
// failed sign-ins and the lock of the user's name.
func (s *Server) handleAdminUserUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, err := s.svc.UserByID(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.svc.UnlockUser(r.Context(), actorOf(r), u.Username); err != nil {
		s.error(w, r, err)
		return
	}
	s.adminDone(w, r, "unlocked")
}
