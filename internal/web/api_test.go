package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"accord/internal/auth"
)

const problemJSON = "application/problem+json"

// TestAPI runs the JSON API scenarios on both engines, in order: later
// scenarios see the payments earlier ones posted.
func TestAPI(t *testing.T) {
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, o.open(t), envOpts{})
			for _, sc := range apiScenarios {
				t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
			}
		})
	}
}

func payment(ext, amount, paidOn string) string {
	return `{"external_id":"` + ext + `","loan_id":{loan},"amount":"` + amount + `","paid_on":"` + paidOn + `","channel":"app"}`
}

var problem = map[string]string{"Content-Type": problemJSON}

var apiScenarios = []scenario{
	// Bad input: RFC 9457 problems with field-level details.
	{name: "amount not a number", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "abc", "2026-03-19"), wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"status":422`, `"title":"Unprocessable Entity"`, `"location":"body.amount"`}, wantHeaders: problem},
	{name: "amount with three decimals", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "1.001", "2026-03-19"), wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"location":"body.amount"`}, wantHeaders: problem},
	{name: "missing fields", role: auth.Collector, method: "POST", url: "/api/v1/payments", body: `{}`,
		wantStatus:   http.StatusUnprocessableEntity,
		wantContains: []string{"external_id", "loan_id", "amount", "paid_on", `"errors":[`}, wantHeaders: problem},
	{name: "invalid date", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "10.00", "2026-02-30"), wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"location":"body.paid_on"`}, wantHeaders: problem},
	{name: "date in the future", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "10.00", "2026-04-01"), wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"location":"body.paid_on"`, "in the future"}, wantHeaders: problem},
	{name: "unknown loan", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: `{"external_id":"P-API-1","loan_id":999999,"amount":"10.00","paid_on":"2026-03-19"}`, wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"location":"body.loan_id"`, "no loan with id 999999"}, wantHeaders: problem},
	{name: "malformed JSON", role: auth.Collector, method: "POST", url: "/api/v1/payments", body: `{"external_id":`,
		wantStatus: http.StatusBadRequest, wantHeaders: problem},
	{name: "unknown channel", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body:       `{"external_id":"P-API-1","loan_id":{loan},"amount":"10.00","paid_on":"2026-03-19","channel":"cash in a bag"}`,
		wantStatus: http.StatusUnprocessableEntity, wantContains: []string{`"location":"body.channel"`}},
	{name: "loan as_of not a date", role: auth.Auditor, method: "GET", url: "/api/v1/loans/{loan}?as_of=yesterday",
		wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"as_of"}, wantHeaders: problem},
	{name: "unknown loan is 404", role: auth.Auditor, method: "GET", url: "/api/v1/loans/999999",
		wantStatus: http.StatusNotFound, wantContains: []string{`"status":404`}, wantHeaders: problem},
	{name: "bad token is 401", method: "GET", url: "/api/v1/me", headers: map[string]string{"Authorization": "Bearer acc_nope"},
		wantStatus: http.StatusUnauthorized, wantHeaders: problem},

	// Posting payments: idempotent by Idempotency-Key and by external id.
	{name: "post a payment with a key", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "10.00", "2026-03-19"), headers: map[string]string{"Idempotency-Key": "k-1"},
		wantStatus: http.StatusCreated, wantContains: []string{`"external_id":"P-API-1"`, `"amount":"10.00"`, `"loan_id":{loan}`}},
	{name: "same key and body replays", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "10.00", "2026-03-19"), headers: map[string]string{"Idempotency-Key": "k-1"},
		wantStatus: http.StatusOK, wantContains: []string{`"external_id":"P-API-1"`}},
	{name: "same key, other body is a conflict", role: auth.Collector, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-2", "20.00", "2026-03-19"), headers: map[string]string{"Idempotency-Key": "k-1"},
		wantStatus: http.StatusConflict, wantContains: []string{"Idempotency-Key"}, wantHeaders: problem},
	{name: "same external id without a key replays", role: auth.Supervisor, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "10.00", "2026-03-19"), wantStatus: http.StatusOK},
	{name: "same external id, other amount is a conflict", role: auth.Supervisor, method: "POST", url: "/api/v1/payments",
		body: payment("P-API-1", "11.00", "2026-03-19"), wantStatus: http.StatusConflict, wantHeaders: problem},
	{name: "the loan lists the payment", role: auth.AgencyAgent, method: "GET", url: "/api/v1/loans/{loan}/payments",
		wantStatus: http.StatusOK, wantContains: []string{`"external_id":"P-API-1"`}},
	{name: "reverse needs a reason", role: auth.Supervisor, method: "POST", url: "/api/v1/payments/{payment}/reverse", body: `{}`,
		wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"reason"}},
	{name: "reverse", role: auth.Supervisor, method: "POST", url: "/api/v1/payments/{payment}/reverse", body: `{"reason":"bounced"}`,
		wantStatus: http.StatusOK, wantContains: []string{`"reversed":true`, `"reversal_reason":"bounced"`}},
	{name: "reverse twice is a conflict", role: auth.Supervisor, method: "POST", url: "/api/v1/payments/{payment}/reverse", body: `{"reason":"again"}`,
		wantStatus: http.StatusConflict, wantContains: []string{"already reversed"}},

	// Personal data: masked for everyone, revealed (and audited) on request.
	// The env's borrower is not delinquent: the payment above closed the
	// case that placed them in the collectors' queue, so from here only the
	// wide roles reach them (object scope; rbac_scope_test.go).
	{name: "collector without a case does not reach the borrower", role: auth.Collector, method: "GET", url: "/api/v1/borrowers/{borrower}",
		wantStatus: http.StatusNotFound, wantContains: []string{"Borrower {borrower} not found."}},
	{name: "borrower is masked", role: auth.Supervisor, method: "GET", url: "/api/v1/borrowers/{borrower}",
		wantStatus: http.StatusOK, wantContains: []string{`"masked":true`, "****"}},
	{name: "reveal without a reason", role: auth.Collector, method: "POST", url: "/api/v1/borrowers/{borrower}/reveal", body: `{}`,
		wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"reason"}},
	{name: "compliance may not reveal", role: auth.Compliance, method: "POST", url: "/api/v1/borrowers/{borrower}/reveal",
		body: `{"reason":"audit"}`, wantStatus: http.StatusForbidden, wantHeaders: problem},
	{name: "supervisor reveals", role: auth.Supervisor, method: "POST", url: "/api/v1/borrowers/{borrower}/reveal",
		body: `{"reason":"borrower disputes the debt"}`, wantStatus: http.StatusOK, wantContains: []string{`"national_id":"`, `"phones":["+86`}},
	{name: "the reveal is in the audit log", role: auth.Auditor, method: "GET", url: "/api/v1/audit?limit=5",
		wantStatus: http.StatusOK, wantContains: []string{`"action":"pii.reveal"`, `"entity_id":"{borrower}"`, "borrower disputes the debt", `"username":"supervisor"`}},
	{name: "collector outside the scope may not reveal", role: auth.Collector, method: "POST", url: "/api/v1/borrowers/{borrower}/reveal",
		body: `{"reason":"curious"}`, wantStatus: http.StatusNotFound},
	{name: "the refused reveal is in the audit log", role: auth.Auditor, method: "GET", url: "/api/v1/audit?limit=5",
		wantStatus: http.StatusOK, wantContains: []string{`"action":"pii.reveal_refused"`, `"refused":"scope"`, `"username":"collector"`}},

	// Imports through the API: all or nothing, errors by row and column.
	{name: "import with a bad row", role: auth.Admin, method: "POST", url: "/api/v1/imports?kind=borrowers&filename=b.csv",
		body:    "external_id,name,national_id\nAPI-B1,赵六,440305199001151232\nAPI-B2,钱七,440305199001151233\n",
		headers: map[string]string{"Content-Type": "text/csv"}, wantStatus: http.StatusUnprocessableEntity,
		wantContains: []string{`"location":"row[3].national_id"`}, wantHeaders: problem},
	{name: "nothing of it was written", role: auth.Admin, method: "GET", url: "/api/v1/borrowers?external_id=API-B1",
		wantStatus: http.StatusOK, wantContains: []string{`"total":0`}},
	{name: "import dry run", role: auth.Admin, method: "POST", url: "/api/v1/imports?kind=borrowers&dry_run=true",
		body: "external_id,name\nAPI-B1,赵六\n", headers: map[string]string{"Content-Type": "text/csv"},
		wantStatus: http.StatusOK, wantContains: []string{`"dry_run":true`, `"created":1`}},
	{name: "import", role: auth.Admin, method: "POST", url: "/api/v1/imports?kind=borrowers",
		body: "external_id,name\nAPI-B1,赵六\n", headers: map[string]string{"Content-Type": "text/csv"},
		wantStatus: http.StatusOK, wantContains: []string{`"dry_run":false`, `"created":1`}},
	{name: "import again changes nothing", role: auth.Admin, method: "POST", url: "/api/v1/imports?kind=borrowers",
		body: "external_id,name\nAPI-B1,赵六\n", headers: map[string]string{"Content-Type": "text/csv"},
		wantStatus: http.StatusOK, wantContains: []string{`"created":0`, `"unchanged":1`}},
	{name: "import needs a kind", role: auth.Admin, method: "POST", url: "/api/v1/imports",
		body: "external_id,name\nAPI-B1,赵六\n", headers: map[string]string{"Content-Type": "text/csv"},
		wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"kind"}},

	{name: "me", role: auth.Collector, method: "GET", url: "/api/v1/me", wantStatus: http.StatusOK,
		wantContains: []string{`"username":"collector"`, `"payment:write"`}, wantNotContains: []string{`"import:run"`, "password"}},
}

// TestAPI_Lists checks pagination and filters on the list endpoints.
func TestAPI_Lists(t *testing.T) {
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, o.open(t), envOpts{})
			var all struct {
				Total int
				Items []struct {
					ID int64
				}
			}
			e.getJSON(t, auth.Auditor, "/api/v1/borrowers?limit=1000", &all)
			if all.Total != 50 || len(all.Items) != 50 {
				t.Fatalf("all borrowers: total %d, %d items; want 50", all.Total, len(all.Items))
			}
			tests := []struct {
				name      string
				url       string
				wantTotal int // -1: do not check
				wantIDs   []int64
			}{
				{"first page", "/api/v1/borrowers?limit=5", 50, idsOf(all.Items[:5])},
				{"second page", "/api/v1/borrowers?limit=5&offset=5", 50, idsOf(all.Items[5:10])},
				{"past the end", "/api/v1/borrowers?limit=5&offset=50", 50, nil},
				{"by external id", "/api/v1/borrowers?external_id=NOPE", 0, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var got struct {
						Total int
						Items []struct{ ID int64 }
					}
					e.getJSON(t, auth.Auditor, tt.url, &got)
					if got.Total != tt.wantTotal || !equalIDs(idsOf(got.Items), tt.wantIDs) {
						t.Errorf("total %d, ids %v; want %d, %v", got.Total, idsOf(got.Items), tt.wantTotal, tt.wantIDs)
					}
				})
			}
			t.Run("loan filters", func(t *testing.T) {
				type loanList struct {
					Total int
					Items []struct {
						Loan struct {
							BorrowerID int64 `json:"borrower_id"`
							Status     string
						}
						Position struct{ DPD int }
						Bucket   string
					}
				}
				var l loanList
				e.getJSON(t, auth.Auditor, "/api/v1/loans?borrower_id="+itoa(e.borrowerID), &l)
				for _, it := range l.Items {
					if it.Loan.BorrowerID != e.borrowerID {
						t.Errorf("borrower filter returned a loan of borrower %d", it.Loan.BorrowerID)
					}
				}
				if l.Total == 0 || l.Total != len(l.Items) {
					t.Errorf("borrower %d: total %d, %d items", e.borrowerID, l.Total, len(l.Items))
				}
				var d loanList
				e.getJSON(t, auth.Auditor, "/api/v1/loans?status=delinquent&min_dpd=1&limit=1000", &d)
				if d.Total == 0 {
					t.Error("no delinquent loans in the demo portfolio")
				}
				for _, it := range d.Items {
					if it.Loan.Status != "delinquent" || it.Position.DPD < 1 {
						t.Errorf("delinquent filter returned %+v", it)
					}
				}
				var m1 loanList
				e.getJSON(t, auth.Auditor, "/api/v1/loans?bucket=M1&limit=1000", &m1)
				for _, it := range m1.Items {
					if it.Bucket != "M1" || it.Position.DPD < 1 || it.Position.DPD > 30 {
						t.Errorf("bucket filter returned %+v", it)
					}
				}
			})
			for _, sc := range []scenario{
				{name: "limit 0", role: auth.Auditor, method: "GET", url: "/api/v1/borrowers?limit=0", wantStatus: 422, wantContains: []string{"limit"}, wantHeaders: problem},
				{name: "limit too big", role: auth.Auditor, method: "GET", url: "/api/v1/loans?limit=5000", wantStatus: 422, wantContains: []string{"limit"}},
				{name: "limit not a number", role: auth.Auditor, method: "GET", url: "/api/v1/loans?limit=ten", wantStatus: 422, wantContains: []string{"limit"}},
				{name: "negative offset", role: auth.Auditor, method: "GET", url: "/api/v1/borrowers?offset=-1", wantStatus: 422, wantContains: []string{"offset"}},
				{name: "unknown status", role: auth.Auditor, method: "GET", url: "/api/v1/loans?status=happy", wantStatus: 422, wantContains: []string{"status"}},
			} {
				t.Run(sc.name, func(t *testing.T) { sc.run(t, e) })
			}
		})
	}
}

func (e *env) getJSON(t *testing.T, role auth.Role, url string, v any) {
	t.Helper()
	rec := e.do(t, request{role: role, method: "GET", url: url})
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func idsOf(items []struct{ ID int64 }) []int64 {
	var out []int64
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
