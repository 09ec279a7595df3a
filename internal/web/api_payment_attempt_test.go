package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

// TestAPI_PaymentAttempts: the payment system records a failed auto-debit
// (201), the same again is 200 and the same reference with other details
// 409; bad input is 422 naming the field and writes nothing; a role without
// payment:write gets 403; on both engines.
func TestAPI_PaymentAttempts(t *testing.T) {
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, o.open(t), envOpts{})
			body := func(ext, amount, status string) string {
				return `{"external_id":"` + ext + `","loan_id":` + strconv.FormatInt(e.loanID, 10) + `,"amount":"` + amount +
					`","attempted_on":"2026-03-19","status":"` + status + `","reason":"余额不足"}`
			}
			post := func(role auth.Role, b string) (int, string) {
				rec := e.do(t, request{role: role, method: http.MethodPost, url: "/api/v1/payment-attempts", body: b})
				return rec.Code, rec.Body.String()
			}
			if code, b := post(auth.Collector, body("DD-1", "1065.62", "failed")); code != http.StatusCreated ||
				!strings.Contains(b, `"channel":"withholding"`) || !strings.Contains(b, `"amount":"1065.62"`) {
				t.Fatalf("record = %d %s", code, b)
			}
			if code, _ := post(auth.Collector, body("DD-1", "1065.62", "failed")); code != http.StatusOK {
				t.Errorf("same attempt again = %d, want 200", code)
			}
			if code, _ := post(auth.Collector, body("DD-1", "1065.62", "succeeded")); code != http.StatusConflict {
				t.Errorf("same reference, other status = %d, want 409", code)
			}
			for _, tc := range []struct{ name, body, field string }{
				{"unknown status", body("DD-2", "10.00", "bounced"), "status"},
				{"negative amount", body("DD-3", "-1.00", "failed"), "amount"},
				{"future date", strings.Replace(body("DD-4", "10.00", "failed"), "2026-03-19", "2027-03-19", 1), "attempted_on"},
				{"unknown loan", strings.Replace(body("DD-5", "10.00", "failed"), strconv.FormatInt(e.loanID, 10), "999999", 1), "loan_id"},
			} {
				if code, b := post(auth.Collector, tc.body); code != http.StatusUnprocessableEntity || !strings.Contains(b, tc.field) {
					t.Errorf("%s = %d %s, want 422 naming %s", tc.name, code, b, tc.field)
				}
			}
			if code, _ := post(auth.Auditor, body("DD-6", "10.00", "failed")); code != http.StatusForbidden {
				t.Errorf("auditor = %d, want 403", code)
			}
			var n int
			if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
				a, err := tx.PaymentAttemptByExternalID(ctx, "DD-1")
				n = int(a.ID)
				return err
			}); err != nil || n == 0 {
				t.Fatalf("attempt DD-1 not stored: %v", err)
			}
			for _, ext := range []string{"DD-2", "DD-3", "DD-4", "DD-5", "DD-6"} {
				if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
					_, err := tx.PaymentAttemptByExternalID(ctx, ext)
					return err
				}); err == nil {
					t.Errorf("refused attempt %s was stored", ext)
				}
			}
		})
	}
}
