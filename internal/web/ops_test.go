package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"accord/internal/sqlstore/storetest"
	"accord/internal/web"
)

func TestOps(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{})
	scenarios := []scenario{
		{name: "healthz", method: "GET", url: "/healthz", wantStatus: 200, wantContains: []string{"ok"}},
		{name: "readyz", method: "GET", url: "/readyz", wantStatus: 200, wantContains: []string{"ready"}},
		{name: "static asset", method: "GET", url: "/static/vendor/htmx.min.js", wantStatus: 200, wantContains: []string{"htmx"},
			wantHeaders: map[string]string{"Cache-Control": "max-age"}},
		{name: "request id is echoed", method: "GET", url: "/healthz", headers: map[string]string{"X-Request-Id": "req-42"},
			wantStatus: 200, wantHeaders: map[string]string{"X-Request-Id": "=req-42"}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
	}
	t.Run("metrics from this host", func(t *testing.T) {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = "127.0.0.1:40000" // /metrics answers loopback peers (and token holders) only
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		for _, want := range []string{
			"# TYPE accord_http_requests_total counter",
			`accord_http_requests_total{route="GET /healthz",status="200"} 2`,
			`accord_http_requests_total{route="GET /readyz",status="200"} 1`,
			"accord_http_request_duration_seconds_bucket", "go_goroutines"} {
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
				t.Errorf("GET /metrics = %d, body lacks %q", rec.Code, want)
			}
		}
	})
	t.Run("readyz without the database", func(t *testing.T) {
		srv, err := web.New(e.svc, web.Options{Ready: func(context.Context) error { return errors.New("connection refused") }})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "refused") {
			t.Errorf("readyz = %d %q, want 503 without the cause", rec.Code, rec.Body)
		}
	})
}

// TestOpenAPI checks the served OpenAPI document: valid JSON, OpenAPI
// 3.1.0, and every API route of Server.Routes() in it with its method and
// permission.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 1})
	rec := e.do(t, request{method: "GET", url: "/api/v1/openapi.json"})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d", rec.Code)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title string }
		Paths   map[string]map[string]struct {
			OperationID string                `json:"operationId"`
			Permission  string                `json:"x-permission"`
			Security    []map[string][]string `json:"security"`
		}
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title == "" || doc.Components.SecuritySchemes["bearer"] == nil {
		t.Errorf("openapi %q, title %q, security schemes %v", doc.OpenAPI, doc.Info.Title, doc.Components.SecuritySchemes)
	}
	n := 0
	for _, rt := range e.srv.Routes() {
		if !rt.API {
			if strings.HasPrefix(rt.Pattern, "/api/") {
				t.Logf("%s %s is served under /api/ but not described in the OpenAPI document", rt.Method, rt.Pattern)
			}
			continue
		}
		n++
		op, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]
		switch {
		case !ok:
			t.Errorf("%s %s is missing from openapi.json", rt.Method, rt.Pattern)
		case op.OperationID == "" || op.Permission != string(rt.Perm) || len(op.Security) == 0:
			t.Errorf("%s %s: operation %q, x-permission %q, security %v; want an id, %q and bearer",
				rt.Method, rt.Pattern, op.OperationID, op.Permission, op.Security, rt.Perm)
		}
	}
	if n < 10 {
		t.Errorf("only %d API routes registered", n)
	}
}

// FuzzAPIPaymentJSON posts arbitrary bodies to POST /api/v1/payments
// through the handler: whatever arrives, the answer is never a 5xx.
func FuzzAPIPaymentJSON(f *testing.F) {
	e := newEnv(f, storetest.OpenSQLite(f), envOpts{Borrowers: 3, Quiet: true})
	for _, seed := range []string{
		`{"external_id":"F-1","loan_id":1,"amount":"10.00","paid_on":"2026-03-19"}`,
		`{"external_id":"F-1","loan_id":1,"amount":"10.00","paid_on":"2026-03-19","channel":"app"}`,
		`{"external_id":"F-2","loan_id":1,"amount":"99999999999999.99","paid_on":"2026-03-19"}`,
		`{"external_id":"F-3","loan_id":-1,"amount":"-1","paid_on":"0000-00-00"}`,
		`{"external_id":"F-4","loan_id":9223372036854775807,"amount":"1e3","paid_on":"2026-02-29"}`,
		`{"external_id":"","loan_id":1.5,"amount":10,"paid_on":null}`,
		`{"external_id":"F-5","loan_id":"1","amount":"0.001","paid_on":"2026-03-19T00:00:00Z","extra":true}`,
		`{"external_id":"\u0000","loan_id":1,"amount":"1.00","paid_on":"1969-12-31"}`,
		`[]`, `null`, `"x"`, `{`, ``, `{"amount":{}}`, `{"paid_on":"9999-12-31","amount":"1.00","loan_id":1,"external_id":"F-6"}`,
	} {
		f.Add([]byte(seed), "")
		f.Add([]byte(seed), "fuzz-key")
	}
	f.Fuzz(func(t *testing.T, body []byte, key string) {
		req := httptest.NewRequest("POST", "/api/v1/payments", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("POST /api/v1/payments %q (key %q) = %d: %s", body, key, rec.Code, rec.Body)
		}
		if rec.Code >= 400 && !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") {
			t.Errorf("error %d is %q, want problem+json", rec.Code, rec.Header().Get("Content-Type"))
		}
	})
}
