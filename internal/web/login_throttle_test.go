package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accord/internal/audit"
	"accord/internal/sqlstore/storetest"
)

// TestLogin_Throttled: after five wrong passwords the right one is refused
// with the very page a wrong password gets, and every failure is audited
// with the client's address.
func TestLogin_Throttled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Quiet: true})
	post := func(pw string) (int, string) {
		rec := e.do(t, request{role: anonymous, method: "POST", url: "/login", body: form("username", "collector", "password", pw)})
		return rec.Code, rec.Body.String()
	}
	var wrongBody string
	for range 5 {
		code, body := post("not the password")
		if code != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", code)
		}
		wrongBody = body
	}
	code, body := post(password)
	if code != http.StatusUnauthorized || !strings.Contains(body, `id="login-error"`) {
		t.Fatalf("locked account with the right password: %d", code)
	}
	if stripTokens(body) != stripTokens(wrongBody) {
		t.Error("a locked account's page differs from a wrong password's")
	}
	var failed, locked int
	if err := e.db.AuditEvents(ctx, func(ev audit.Event) error {
		switch ev.Action {
		case "user.login_failed":
			failed++
			if !strings.Contains(string(ev.Summary), `"address":"192.0.2.1"`) {
				t.Errorf("failure audited without the client address: %s", ev.Summary)
			}
		case "user.login_locked":
			locked++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if failed != 5 || locked != 1 {
		t.Errorf("audited %d failures and %d locked attempts, want 5 and 1", failed, locked)
	}
}

// stripTokens drops what differs between any two renderings of a page
// (nonces, request ids) so that two pages can be compared.
func stripTokens(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "nonce") || strings.Contains(line, "csrf") || strings.Contains(line, "request") {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
