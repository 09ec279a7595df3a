package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"accord/internal/auth"
)

// TestNavScoring: the console's navigation links to the scoring dashboard
// for the roles that may read it (dashboard:read), labelled in the user's
// language, and not for the others.
func TestNavScoring(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	get := func(role auth.Role, lang string) string {
		req := httptest.NewRequest("GET", "/workbench", nil)
		req.Header.Set("Authorization", "Bearer "+w.tokens[role])
		req.AddCookie(&http.Cookie{Name: langCookie, Value: lang})
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s /workbench: status %d", role, rec.Code)
		}
		return rec.Body.String()
	}
	for _, tt := range []struct {
		role      auth.Role
		lang, tag string
	}{
		{auth.Supervisor, "zh-CN", `<a href="/scoring" id="nav-scoring">评分监控</a>`},
		{auth.Supervisor, "en", `<a href="/scoring" id="nav-scoring">Scoring</a>`},
		{auth.Admin, "zh-CN", `<a href="/scoring" id="nav-scoring">评分监控</a>`},
	} {
		if body := get(tt.role, tt.lang); !strings.Contains(body, tt.tag) {
			t.Errorf("%s in %s: navigation lacks %s", tt.role, tt.lang, tt.tag)
		}
	}
	for _, r := range []auth.Role{auth.Collector, auth.Negotiator} {
		if auth.RoleCan(r, auth.PermDashboardRead) {
			t.Fatalf("%s may read the dashboard: pick another role", r)
		}
		if strings.Contains(get(r, "zh-CN"), `id="nav-scoring"`) {
			t.Errorf("%s's navigation links to /scoring", r)
		}
	}
}

// TestNavLinks_OfferPoliciesAndVisits: the offer-policy console and the
// field-visit pages are reachable from the navigation by exactly the roles
// whose permission their routes need.
func TestNavLinks_OfferPoliciesAndVisits(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	links := []struct {
		id   string
		perm auth.Permission
		zh   string
	}{
		{"nav-offer-policies", auth.PermStrategyEdit, "协商政策"},
		{"nav-visits-today", auth.PermVisitWork, "今日外访"},
		{"nav-visits", auth.PermVisitApprove, "外访审批"},
	}
	seen := map[string]bool{}
	for _, role := range auth.Roles {
		if !auth.RoleCan(role, auth.PermCaseWork) || w.tokens[role] == "" {
			continue // the page used here is the workbench
		}
		req := httptest.NewRequest("GET", "/workbench", nil)
		req.Header.Set("Authorization", "Bearer "+w.tokens[role])
		req.AddCookie(&http.Cookie{Name: langCookie, Value: "zh-CN"})
		rec := httptest.NewRecorder()
		w.srv.ServeHTTP(rec, req)
		body := rec.Body.String()
		for _, l := range links {
			has := strings.Contains(body, `id="`+l.id+`">`+l.zh+`</a>`)
			if has != auth.RoleCan(role, l.perm) {
				t.Errorf("%s: link %s shown = %v, but the role's %s = %v", role, l.id, has, l.perm, auth.RoleCan(role, l.perm))
			}
			seen[l.id] = seen[l.id] || has
		}
	}
	for _, l := range links {
		if !seen[l.id] {
			t.Errorf("no role saw %s", l.id)
		}
	}
}
