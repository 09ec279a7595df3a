package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore/storetest"
	"accord/internal/web"
)

// TestHTTPSecurity covers the HTTP-level hardening: headers, cross-origin
// refusal, body limits, 404s, static files, /metrics, trusted proxies.
func TestHTTPSecurity(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 5, Cycle: true})

	t.Run("security headers on every response", func(t *testing.T) {
		for _, r := range []request{
			{role: auth.Admin, method: "GET", url: "/"},
			{role: auth.Admin, method: "GET", url: "/borrowers/999999999"},
			{role: anonymous, method: "GET", url: "/login"},
			{role: anonymous, method: "GET", url: "/no/such/page"},
			{role: anonymous, method: "GET", url: "/healthz"},
			{role: anonymous, method: "GET", url: "/static/css/app.css"},
			{role: anonymous, method: "GET", url: "/api/v1/borrowers"},
			{role: auth.Admin, method: "GET", url: "/api/v1/borrowers"},
			{role: auth.Admin, method: "GET", url: "/api/v1/openapi.json"},
			{role: auth.Collector, method: "POST", url: "/borrowers/1/reveal", noCSRF: true},
		} {
			rec := e.do(t, r)
			h := rec.Header()
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") ||
				!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s %s: Content-Security-Policy %q", r.method, r.url, csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("%s %s: nosniff %q, Referrer-Policy %q, X-Frame-Options %q", r.method, r.url,
					h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"), h.Get("X-Frame-Options"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s %s: HSTS over plain HTTP", r.method, r.url)
			}
			if !strings.HasPrefix(r.url, "/static/") && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s %s: Cache-Control %q, want no-store", r.method, r.url, h.Get("Cache-Control"))
			}
		}
	})

	t.Run("pages carry no inline script or style", func(t *testing.T) {
		inline := regexp.MustCompile(`(?i)<script(\s+type="application/json"[^>]*)?>|<script(\s[^>]*)?>[^<]|\son[a-z]+\s*=|\sstyle\s*=|javascript:`)
		for _, url := range []string{"/", "/dashboard", "/queues", "/borrowers", "/no/such/page", "/borrowers/999999999"} {
			rec := e.do(t, request{role: auth.Admin, method: "GET", url: url})
			body := rec.Body.String()
			for _, m := range inline.FindAllStringSubmatch(body, -1) {
				if strings.HasPrefix(strings.ToLower(m[0]), `<script type="application/json"`) {
					continue // data, not code: the browser does not run it
				}
				t.Errorf("GET %s (%d): inline script or style %q", url, rec.Code, m[0])
			}
		}
		// Every template, including pages the scenario above does not reach.
		err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(filepath.Join("templates", path))
			if err != nil {
				return err
			}
			for _, m := range inline.FindAllString(string(b), -1) {
				if !strings.HasPrefix(strings.ToLower(m), `<script type="application/json"`) {
					t.Errorf("templates/%s: inline script or style %q", path, m)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	t.Run("request ids are kept only when plain", func(t *testing.T) {
		for id, keep := range map[string]bool{"req-42": true, "a.b_c-D9": true, "<script>alert(1)</script>": false,
			"a b": false, "id\"quoted": false, "张三": false, strings.Repeat("x", 65): false} {
			rec := e.do(t, request{method: "GET", url: "/healthz", headers: map[string]string{"X-Request-Id": id}})
			got := rec.Header().Get("X-Request-Id")
			if (got == id) != keep || got == "" {
				t.Errorf("X-Request-Id %q answered as %q; keep %v", id, got, keep)
			}
		}
	})

	t.Run("cross-origin posts are refused, sign-in included", func(t *testing.T) {
		body := form("username", string(auth.Admin), "password", password)
		for _, h := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Origin": "https://evil.example"},
		} {
			rec := e.do(t, request{role: anonymous, method: "POST", url: "/login", body: body, headers: h})
			if rec.Code != http.StatusForbidden || rec.Header().Get("Set-Cookie") != "" {
				t.Errorf("cross-origin sign-in with %v: %d, cookie %q", h, rec.Code, rec.Header().Get("Set-Cookie"))
			}
			rec = e.do(t, request{role: auth.Collector, method: "POST", url: e.expand("/borrowers/{borrower}/reveal"), body: form("reason", "x"), headers: h})
			if rec.Code != http.StatusForbidden {
				t.Errorf("cross-origin console post with %v: %d", h, rec.Code)
			}
		}
		rec := e.do(t, request{role: anonymous, method: "POST", url: "/login", body: body,
			headers: map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://example.com"}})
		if rec.Code != http.StatusSeeOther {
			t.Errorf("same-origin sign-in: %d %.300s", rec.Code, rec.Body)
		}
	})

	t.Run("a CSRF token of the right length but wrong value is refused", func(t *testing.T) {
		s := e.sessions[auth.Collector]
		forged := strings.Repeat("A", len(s.csrf))
		rec := e.do(t, request{role: auth.Collector, method: "POST", url: "/borrowers/" + itoa(e.borrowerID) + "/reveal",
			body: form("reason", "x", "csrf_token", forged), noCSRF: true})
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "CSRF") {
			t.Errorf("forged form token: %d", rec.Code)
		}
		rec = e.do(t, request{role: auth.Collector, method: "POST", url: "/borrowers/" + itoa(e.borrowerID) + "/reveal",
			body: form("reason", "x", "csrf_token", s.csrf), noCSRF: true})
		if rec.Code == http.StatusForbidden {
			t.Errorf("the right form token was refused: %.300s", rec.Body)
		}
	})

	t.Run("body limits", func(t *testing.T) {
		// An anonymous caller's body is refused before it is read when it
		// is for a route that needs a sign-in ...
		for _, url := range []string{"/borrowers/1/reveal", "/api/v1/imports?kind=borrowers"} {
			tripwire := &tripwireBody{t: t, r: strings.NewReader(strings.Repeat("x", 64<<10))}
			req := httptest.NewRequest("POST", url, tripwire)
			req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusSeeOther {
				t.Errorf("anonymous POST %s: %d, want 401 or a sign-in redirect", url, rec.Code)
			}
			if tripwire.read {
				t.Errorf("anonymous POST %s: the body was read", url)
			}
		}
		// A signed-in caller whose CSRF token is in the header is refused
		// for a wrong token or a missing permission before the body is
		// read, too.
		s := e.sessions[auth.Collector]
		for _, c := range []struct{ url, token string }{
			{"/queues/reassign", s.csrf},                                        // collectors may not reassign
			{"/borrowers/" + itoa(e.borrowerID) + "/reveal", "wrong-" + s.csrf}, // wrong token
		} {
			tripwire := &tripwireBody{t: t, r: strings.NewReader(form("reason", "x"))}
			rec := serve(e.srv, "POST", c.url, "application/x-www-form-urlencoded", tripwire,
				map[string]string{"Cookie": "accord_session=" + s.cookie, "X-CSRF-Token": c.token})
			if rec.Code != http.StatusForbidden || tripwire.read {
				t.Errorf("POST %s with header token %q: %d, body read %v; want 403 unread", c.url, c.token, rec.Code, tripwire.read)
			}
		}
		// ... and capped small on the sign-in form, announced or not.
		big := form("username", "admin", "password", strings.Repeat("p", 20<<10))
		rec := e.do(t, request{role: anonymous, method: "POST", url: "/login", body: big})
		wantTooLarge(t, rec, "16 KiB", false)
		rec = serve(e.srv, "POST", "/login", "application/x-www-form-urlencoded", io.MultiReader(strings.NewReader(big)), nil)
		wantTooLarge(t, rec, "16 KiB", false)
		rec = serve(e.srv, "POST", "/login", "application/x-www-form-urlencoded", io.MultiReader(strings.NewReader(big)),
			map[string]string{"Accept": "application/json"})
		wantTooLarge(t, rec, "16 KiB", true)

		// A signed-in console form over 1 MiB, without Content-Length: 413,
		// not a silently empty form.
		rec = serve(e.srv, "POST", "/borrowers/"+itoa(e.borrowerID)+"/reveal", "application/x-www-form-urlencoded",
			io.MultiReader(strings.NewReader(form("csrf_token", s.csrf, "reason", strings.Repeat("r", 2<<20)))),
			map[string]string{"Cookie": "accord_session=" + s.cookie})
		wantTooLarge(t, rec, "1 MiB", false)
		// The same as multipart.
		var mp bytes.Buffer
		mw := multipart.NewWriter(&mp)
		_ = mw.WriteField("csrf_token", s.csrf)
		fw, _ := mw.CreateFormFile("file", "big.csv")
		_, _ = fw.Write(bytes.Repeat([]byte("x"), 2<<20))
		_ = mw.Close()
		rec = serve(e.srv, "POST", "/borrowers/"+itoa(e.borrowerID)+"/reveal", mw.FormDataContentType(), io.MultiReader(&mp),
			map[string]string{"Cookie": "accord_session=" + s.cookie})
		wantTooLarge(t, rec, "1 MiB", false)
		// A JSON API body over the default limit.
		rec = serve(e.srv, "POST", "/api/v1/payments", "application/json", io.MultiReader(strings.NewReader(`{"x":"`+strings.Repeat("y", 2<<20)+`"}`)),
			map[string]string{"Authorization": "Bearer " + e.tokens[auth.Admin]})
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB JSON body: %d %.300s", rec.Code, rec.Body)
		}
	})

	t.Run("imports stream under their own limit", func(t *testing.T) {
		srv, err := web.New(e.svc, web.Options{MaxImportBytes: 4 << 10})
		if err != nil {
			t.Fatal(err)
		}
		header := "external_id,name\n"
		hdr := map[string]string{"Authorization": "Bearer " + e.tokens[auth.Admin]}
		big := header + strings.Repeat("x", 8<<10)
		for _, body := range []io.Reader{strings.NewReader(big), io.MultiReader(strings.NewReader(big))} {
			rec := serve(srv, "POST", "/api/v1/imports?kind=borrowers&dry_run=true", "text/csv", body, hdr)
			wantTooLarge(t, rec, "4 KiB", true)
		}
		// Under the limit the file is read (and here refused for its bad
		// row, which shows it was parsed).
		rec := serve(srv, "POST", "/api/v1/imports?kind=borrowers&dry_run=true", "text/csv",
			io.MultiReader(strings.NewReader(header+"B-1,\n")), hdr)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("small import: %d %.400s", rec.Code, rec.Body)
		}
		for _, rt := range srv.Routes() {
			if rt.Pattern == "/api/v1/imports" && rt.MaxBody != 4<<10 {
				t.Errorf("import route declares MaxBody %d", rt.MaxBody)
			}
		}
	})

	t.Run("404 pages", func(t *testing.T) {
		for _, r := range []request{
			{role: auth.Admin, method: "GET", url: "/no/such/page"},
			{role: anonymous, method: "GET", url: "/no/such/page"},
			{role: auth.Admin, method: "GET", url: "/borrowers/999999999"},
		} {
			rec := e.do(t, r)
			body := rec.Body.String()
			if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
				!strings.Contains(body, `id="not-found"`) || !strings.Contains(body, "页面不存在") || !strings.Contains(body, `href="/static/css/app.css"`) {
				t.Errorf("GET %s as %q: %d %s %.300s", r.url, r.role, rec.Code, rec.Header().Get("Content-Type"), body)
			}
		}
		rec := e.do(t, request{role: auth.Admin, method: "GET", url: "/no/such/page", headers: map[string]string{"Cookie": "accord_lang=en"}})
		if !strings.Contains(rec.Body.String(), "Page not found") {
			t.Errorf("English 404: %.300s", rec.Body)
		}
		for _, url := range []string{"/api/v1/nothing-here", "/api/v1/borrowers/999999999"} {
			rec := e.do(t, request{role: auth.Admin, method: "GET", url: url})
			var p struct{ Status int }
			if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" ||
				json.Unmarshal(rec.Body.Bytes(), &p) != nil || p.Status != 404 {
				t.Errorf("GET %s: %d %s %.200s", url, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
		}
		// A known path with another method is still 405, not 404.
		if rec := e.do(t, request{role: anonymous, method: "DELETE", url: "/login"}); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("DELETE /login: %d", rec.Code)
		}
	})

	t.Run("no directory listings", func(t *testing.T) {
		for _, url := range []string{"/static/", "/static/css/", "/static/vendor", "/static/js/", "/static/nothing.js"} {
			rec := e.do(t, request{role: anonymous, method: "GET", url: url})
			if rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), `<a href="app.css">`) || strings.Contains(rec.Body.String(), "<pre>") {
				t.Errorf("GET %s: %d %.200s", url, rec.Code, rec.Body)
			}
		}
		for _, url := range []string{"/static/css/app.css", "/static/js/charts.js", "/static/js/console.js"} {
			if rec := e.do(t, request{role: anonymous, method: "GET", url: url}); rec.Code != http.StatusOK {
				t.Errorf("GET %s: %d", url, rec.Code)
			}
		}
	})

	t.Run("metrics", func(t *testing.T) {
		get := func(srv *web.Server, peer string, h map[string]string) int {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.RemoteAddr = peer
			for k, v := range h {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code == http.StatusOK && !strings.Contains(rec.Body.String(), "go_goroutines") {
				t.Errorf("metrics body: %.200s", rec.Body)
			}
			return rec.Code
		}
		const remote, local = "203.0.113.5:4000", "127.0.0.1:4000"
		if c := get(e.srv, remote, nil); c != http.StatusNotFound {
			t.Errorf("remote, no token configured: %d, want 404", c)
		}
		if c := get(e.srv, local, nil); c != http.StatusOK {
			t.Errorf("loopback: %d, want 200", c)
		}
		if c := get(e.srv, "[::1]:4000", nil); c != http.StatusOK {
			t.Errorf("IPv6 loopback: %d, want 200", c)
		}
		if c := get(e.srv, local, map[string]string{"X-Forwarded-For": "198.51.100.7"}); c != http.StatusNotFound {
			t.Errorf("loopback proxy relaying for a remote client: %d, want 404", c)
		}
		if c := get(e.srv, remote, map[string]string{"Authorization": "Bearer " + e.tokens[auth.Admin]}); c != http.StatusNotFound {
			t.Errorf("remote with a user's API token: %d, want 404", c)
		}
		srv, err := web.New(e.svc, web.Options{MetricsToken: "scrape-secret"})
		if err != nil {
			t.Fatal(err)
		}
		if c := get(srv, remote, map[string]string{"Authorization": "Bearer scrape-secret"}); c != http.StatusOK {
			t.Errorf("remote with the metrics token: %d, want 200", c)
		}
		for _, h := range []map[string]string{nil, {"Authorization": "Bearer scrape-secreT"}, {"Authorization": "scrape-secret"}} {
			if c := get(srv, remote, h); c != http.StatusUnauthorized {
				t.Errorf("remote with %v: %d, want 401", h, c)
			}
		}
	})

	t.Run("secure cookies and HSTS behind a trusted proxy", func(t *testing.T) {
		proxies, err := web.ParseTrustedProxies("10.0.0.0/8")
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(e.svc, web.Options{TrustedProxies: proxies})
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		lsrv, err := web.New(e.svc, web.Options{TrustedProxies: proxies, Log: slog.New(slog.NewJSONHandler(&logs, nil))})
		if err != nil {
			t.Fatal(err)
		}
		for _, peer := range []string{"10.0.0.2:5000", "203.0.113.50:5000"} {
			req := httptest.NewRequest("GET", "/healthz", nil)
			req.RemoteAddr = peer
			req.Header.Set("X-Forwarded-For", "198.51.100.9")
			lsrv.ServeHTTP(httptest.NewRecorder(), req)
		}
		if l := logs.String(); !strings.Contains(l, `"client":"198.51.100.9"`) || !strings.Contains(l, `"client":"203.0.113.50"`) {
			t.Errorf("request log lacks the client addresses (proxied, then direct): %s", l)
		}
		login := func(peer string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/login", strings.NewReader(form("username", string(auth.Auditor), "password", password)))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-For", "198.51.100.9")
			req.RemoteAddr = peer
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			return rec
		}
		rec := login("10.0.0.2:5000")
		c := sessionCookieOf(rec)
		if rec.Code != http.StatusSeeOther || c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("sign-in through the trusted proxy: %d, cookie %+v", rec.Code, c)
		}
		if !strings.Contains(rec.Header().Get("Strict-Transport-Security"), "max-age=") {
			t.Errorf("no HSTS through the TLS proxy")
		}
		rec = login("203.0.113.50:5000") // claims https but is not our proxy
		if c := sessionCookieOf(rec); rec.Code != http.StatusSeeOther || c == nil || c.Secure {
			t.Errorf("sign-in from an untrusted peer claiming https: %d, cookie %+v", rec.Code, c)
		}
		if rec.Header().Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS for an untrusted peer's X-Forwarded-Proto")
		}
	})
}

// tripwireBody is a request body that records whether anyone read it.
type tripwireBody struct {
	t    *testing.T
	r    io.Reader
	read bool
}

func (b *tripwireBody) Read(p []byte) (int, error) { b.read = true; return b.r.Read(p) }

// serve sends one request with body to srv; a body that is not a
// *strings.Reader or *bytes.Buffer goes without Content-Length, as a
// chunked upload would.
func serve(srv http.Handler, method, url, ct string, body io.Reader, headers map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, url, body)
	req.Header.Set("Content-Type", ct)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

func wantTooLarge(t *testing.T, rec *httptest.ResponseRecorder, limit string, problemJSON bool) {
	t.Helper()
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), limit) {
		t.Errorf("status %d, want 413 naming %s: %.300s", rec.Code, limit, rec.Body)
	}
	if problemJSON && rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("413 as %q, want application/problem+json", rec.Header().Get("Content-Type"))
	}
}

func sessionCookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == "accord_session" && c.Value != "" {
			return c
		}
	}
	return nil
}
