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
