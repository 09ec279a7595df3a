package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore/storetest"
	"accord/internal/web"
)

const permPublic auth.Permission = "public"

const permSigned auth.Permission = "signed"

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

var errorPara = regexp.MustCompile(`<p class="error"[^>]*>([^<]*)</p>`)

// problemDetail returns the detail of a problem+json body or the first
// error paragraph of a console error page.
func problemDetail(body string) string {
	var p struct{ Detail string }
	if json.Unmarshal([]byte(body), &p) == nil && p.Detail != "" {
		return p.Detail
	}
	if m := errorPara.FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	return body[:min(len(body), 200)]
}

// routeURL turns a route pattern into a URL for existing records: {id}
// after borrowers, loans or payments is the env's borrower, loan or
// payment; other parameters get a plausible value.
func (e *env) routeURL(pattern string) string {
	p := strings.TrimSuffix(pattern, "{$}")
	if strings.HasSuffix(p, "/") && p != "/" { // a subtree such as /static/
		p += "css/app.css"
	}
	parts := strings.Split(p, "/")
	for i, part := range parts {
		m := pathParam.FindStringSubmatch(part)
		if m == nil {
			continue
		}
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		parts[i] = e.paramValue(strings.TrimSuffix(m[1], "..."), prev)
	}
	return strings.Join(parts, "/")
}

func (e *env) paramValue(name, prev string) string {
	switch {
	case name == "lang":
		return "en"
	case name == "year":
		return "2026"
	case name == "jurisdiction":
		return "CN"
	case prev == "borrowers":
		return strconv.FormatInt(e.borrowerID, 10)
	case prev == "loans":
		return strconv.FormatInt(e.loanID, 10)
	case prev == "payments":
		return strconv.FormatInt(e.paymentID, 10)
	}
	return "1"
}

// routeRequest is the request a role makes to a route in the matrix: an
// empty JSON object or form (so that allowed writes stop at validation),
// and real credentials for the sign-in form.
func (e *env) routeRequest(rt web.Route, role auth.Role) request {
	r := request{role: role, method: rt.Method, url: e.routeURL(rt.Pattern)}
	switch {
	case rt.Method == http.MethodGet || rt.Method == http.MethodHead:
	case rt.Pattern == "/login":
		user := string(role)
		if role == anonymous {
			user = string(auth.Admin)
		}
		r.body = form("username", user, "password", password)
	case strings.HasPrefix(rt.Pattern, "/api/"):
		r.body = "{}"
	default:
		r.body = form("x", "")
	}
	return r
}

// TestRBACMatrix walks every registered route × every role and anonymous
// callers. A role the route's permission grants is never refused by the
// route guard (no 401, no 403 naming the permission); a role without it
// gets 403 naming the permission; an anonymous caller gets 401 on the API
// and a redirect to the sign-in page on the console. Public routes answer
// everyone. Use cases may refuse a granted role for finer reasons (a 403
// with their own message); those are logged, not failed.
func TestRBACMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Cycle: true})
	routes := e.srv.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes registered", len(routes))
	}
	seen := map[string]bool{}
	for _, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		if seen[key] {
			t.Errorf("route %s registered twice", key)
		}
		seen[key] = true
		if rt.Perm == "" {
			t.Errorf("route %s declares no permission", key)
		}
	}
	roles := append([]auth.Role{anonymous}, auth.Roles...)
	for _, role := range roles {
		name := string(role)
		if role == anonymous {
			name = "anonymous"
		}
		t.Run(name, func(t *testing.T) {
			for _, rt := range routes {
				e.checkRoute(t, rt, role)
			}
		})
	}
}

func (e *env) checkRoute(t *testing.T, rt web.Route, role auth.Role) {
	t.Helper()
	req := e.routeRequest(rt, role)
	rec := e.do(t, req)
	got, body := rec.Code, rec.Body.String()
	where := rt.Method + " " + rt.Pattern + " (" + req.url + ")"
	guardRefusal := "Your role may not do this (" + string(rt.Perm) + ")"
	api := strings.HasPrefix(rt.Pattern, "/api/")
	switch {
	case rt.Perm == permPublic:
		if got == http.StatusUnauthorized || got == http.StatusForbidden || got >= 500 {
			t.Errorf("%s: public route answered %d: %.200s", where, got, body)
		}
	case rt.Perm == permSigned:
		// Authenticated by the caller's signature of the request, not by
		// a user: every role, and no role, is refused without one.
		if got != http.StatusUnauthorized {
			t.Errorf("%s: %s got %d for an unsigned request, want 401: %.200s", where, role, got, body)
		}
	case role == anonymous && api:
		if got != http.StatusUnauthorized {
			t.Errorf("%s: anonymous got %d, want 401", where, got)
		}
	case role == anonymous:
		if loc := rec.Header().Get("Location"); got != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("%s: anonymous got %d (Location %q), want a redirect to /login", where, got, loc)
		}
	case auth.RoleCan(role, rt.Perm):
		switch {
		case got == http.StatusUnauthorized, got == http.StatusForbidden && strings.Contains(body, guardRefusal):
			t.Errorf("%s: %s holds %s but got %d: %.200s", where, role, rt.Perm, got, body)
		case got == http.StatusForbidden && strings.Contains(body, "Missing or wrong CSRF token"):
			t.Errorf("%s: %s refused for CSRF although the token was sent", where, role)
		case got == http.StatusForbidden:
			t.Logf("%s: %s holds %s; the use case refused: %s", where, role, rt.Perm, problemDetail(body))
		case got >= 500:
			t.Errorf("%s: %s got %d: %.200s", where, role, got, body)
		}
	default:
		if got != http.StatusForbidden || !strings.Contains(body, guardRefusal) {
			t.Errorf("%s: %s lacks %s but got %d, want 403 naming the permission: %.200s", where, role, rt.Perm, got, body)
		}
	}
	// A route such as POST /logout ends the session: start a new one.
	if role != anonymous && !api {
		if _, _, err := e.svc.UserBySession(ctx, e.sessions[role].cookie); err != nil {
			e.login(t, role)
		}
	}
}
