package web_test

import (
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
)

// scenario is one request and what its response must show, in the style
// of pocketbase's ApiScenario. URLs and bodies may use {borrower}, {loan}
// and {payment} for the env's records.
type scenario struct {
	name            string
	role            auth.Role // anonymous when empty
	method, url     string
	body            string
	headers         map[string]string
	noCSRF          bool
	wantStatus      int
	wantContains    []string
	wantNotContains []string
	wantHeaders     map[string]string // header → substring of its value, or "=" and the whole value
}

func (e *env) expand(s string) string {
	return strings.NewReplacer("{borrower}", itoa(e.borrowerID), "{loan}", itoa(e.loanID), "{payment}", itoa(e.paymentID)).Replace(s)
}

// run performs the scenario and checks the response.
func (sc scenario) run(t *testing.T, e *env) string {
	t.Helper()
	rec := e.do(t, request{role: sc.role, method: sc.method, url: e.expand(sc.url), body: e.expand(sc.body),
		headers: sc.headers, noCSRF: sc.noCSRF})
	body := rec.Body.String()
	if rec.Code != sc.wantStatus {
		t.Errorf("%s %s as %q: status %d, want %d; body: %.400s", sc.method, sc.url, sc.role, rec.Code, sc.wantStatus, body)
	}
	for _, s := range sc.wantContains {
		if !strings.Contains(body, e.expand(s)) {
			t.Errorf("%s %s: body lacks %q: %.400s", sc.method, sc.url, s, body)
		}
	}
	for _, s := range sc.wantNotContains {
		if strings.Contains(body, e.expand(s)) {
			t.Errorf("%s %s: body contains %q", sc.method, sc.url, s)
		}
	}
	for h, want := range sc.wantHeaders {
		want = e.expand(want)
		got := rec.Header().Get(h)
		if exact, ok := strings.CutPrefix(want, "="); ok && got != exact {
			t.Errorf("%s %s: header %s = %q, want %q", sc.method, sc.url, h, got, exact)
		} else if !ok && !strings.Contains(got, want) {
			t.Errorf("%s %s: header %s = %q, want it to contain %q", sc.method, sc.url, h, got, want)
		}
	}
	return body
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
