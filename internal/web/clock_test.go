package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore/storetest"
	"accord/internal/web"
)

// The console has one clock and one business time zone: the service's.
// newYearsEve is 16:30 UTC on 2026-12-31, already 00:30 on 2027-01-01 in
// Shanghai and still 11:30 on 2026-12-31 in New York, so "today", "this
// year" and the time a page shows all tell which clock and zone answered.
var newYearsEve = time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)

func TestServer_ClockAndZoneFromService(t *testing.T) {
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	tests := []struct {
		name      string
		zone      *time.Location // nil: the default, Asia/Shanghai
		year      string         // the calendar page's default year
		from, to  string         // the compliance console's default 7 days
		lastLogin string         // the admin's sign-in, on the users page
	}{
		{"Shanghai by default", nil, "2027", "2026-12-26", "2027-01-01", "2027-01-01 00:30:00"},
		{"New York when configured", newYork, "2026", "2026-12-25", "2026-12-31", "2026-12-31 11:30:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClockedConsole(t, collect.Options{Now: func() time.Time { return newYearsEve }, Zone: tt.zone})

			body := c.get(t, "/compliance/calendar")
			if want := `action="/compliance/calendar/` + tt.year + `"`; !strings.Contains(body, want) {
				t.Errorf("calendar without ?year= does not show %s (want %s)", tt.year, want)
			}
			body = c.get(t, "/compliance")
			for _, want := range []string{`name="from" value="` + tt.from + `"`, `name="to" value="` + tt.to + `"`} {
				if !strings.Contains(body, want) {
					t.Errorf("compliance console's default period: missing %s", want)
				}
			}
			body = c.get(t, "/admin/users")
			if want := `<td class="last-login">` + tt.lastLogin + `</td>`; !strings.Contains(body, want) {
				t.Errorf("users page: missing %s", want)
			}
		})
	}
}

// clockedConsole is a server over an empty database whose service runs on
// a given clock, with an administrator signed in.
type clockedConsole struct {
	srv    *web.Server
	cookie string
}

func newClockedConsole(t *testing.T, o collect.Options) *clockedConsole {
	t.Helper()
	o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := collect.New(storetest.OpenSQLite(t), o)
	srv, err := web.New(svc, web.Options{Log: o.Log, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	u := auth.User{Username: "root", Roles: []auth.Role{auth.Admin}}
	if _, err := svc.CreateUser(ctx, collect.System("test"), u, password); err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.Login(ctx, u.Username, password, "")
	if err != nil {
		t.Fatal(err)
	}
	return &clockedConsole{srv: srv, cookie: tok}
}

func (c *clockedConsole) get(t *testing.T, path string) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.AddCookie(&http.Cookie{Name: "accord_session", Value: c.cookie})
	w := httptest.NewRecorder()
	c.srv.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, w.Code, w.Body)
	}
	return w.Body.String()
}

// TestNoClockOfItsOwn keeps web on the service's clock and zone: no file of
// the package (tests aside) reads the wall clock or picks a zone itself.
func TestNoClockOfItsOwn(t *testing.T) {
	banned := map[string]bool{"Now": true, "Since": true, "Until": true, "LoadLocation": true, "FixedZone": true, "Local": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		timePkg := ""
		for _, imp := range f.Imports {
			if imp.Path.Value == `"time"` {
				timePkg = "time"
				if imp.Name != nil {
					timePkg = imp.Name.Name
				}
			}
		}
		if timePkg == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == timePkg && banned[sel.Sel.Name] {
					t.Errorf("%s: time.%s; use the server's s.now() and s.zone() (the service's clock and zone)",
						fset.Position(sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
