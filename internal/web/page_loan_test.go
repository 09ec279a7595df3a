package web_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var allocTotal = regexp.MustCompile(`<tr class="alloc-seq-\d+">(?:<td[^>]*>[^<]*</td>)*<td class="num">([0-9,.]+)</td></tr>`)

// TestLoanPaymentAllocationAndReversal posts a payment through the loan
// page, reads how it was applied, and reverses it with a reason and a
// confirmation.
func TestLoanPaymentAllocationAndReversal(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 20})
	loanID, half := overdueLoan(t, e)
	loan := strconv.FormatInt(loanID, 10)
	// A collector may post payments but not reverse them. (Posting may make
	// the borrower current and close the case that puts them in the
	// collector's scope, so the supervisor posts below.)
	if rec := e.do(t, request{role: auth.Collector, method: "GET", url: "/loans/" + strconv.FormatInt(e.loanID, 10)}); rec.Code != 200 ||
		!strings.Contains(rec.Body.String(), "payment-link") || strings.Contains(rec.Body.String(), "reverse-form") {
		t.Errorf("collector's loan page = %d; shows payments without reversal forms: %v", rec.Code, !strings.Contains(rec.Body.String(), "reverse-form"))
	}
	rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: "/loans/" + loan + "/payments",
		body: form("amount", half.String(), "paid_on", "2026-03-19", "external_id", "WEB-PAY-1", "channel", "withholding")})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("post payment = %d: %s", rec.Code, rec.Body.String())
	}
	loc := rec.Header().Get("Location")
	if !strings.Contains(loc, "posted=1") || !strings.Contains(loc, "payment=") {
		t.Fatalf("Location = %q", loc)
	}
	loc, _, _ = strings.Cut(loc, "#") // a browser does not send the fragment
	page := e.do(t, request{role: auth.Supervisor, method: "GET", url: loc})
	body := page.Body.String()
	if page.Code != 200 || !strings.Contains(body, `id="allocation"`) || !strings.Contains(body, "还款已入账") || !strings.Contains(body, half.Grouped()) {
		t.Fatalf("loan page after posting = %d, no allocation panel:\n%.3000s", page.Code, body)
	}
	if !strings.Contains(body, "代扣") {
		t.Error("the payment channel is not shown as a label")
	}
	var sum money.Amount
	for _, m := range allocTotal.FindAllStringSubmatch(body, -1) {
		a, err := money.Parse(strings.ReplaceAll(m[1], ",", ""))
		if err != nil {
			t.Fatal(err)
		}
		sum += a
	}
	if sum != half {
		t.Errorf("the allocation lines add up to %s, want the payment's %s", sum, half)
	}
	// The page shows what the ledger stored for this payment.
	pid := loc[strings.Index(loc, "payment=")+len("payment="):]
	id, _ := strconv.ParseInt(pid, 10, 64)
	lp, err := e.svc.Loan(ctx, collect.Actor{User: e.users[auth.Admin]}, loanID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var stored money.Amount
	for _, a := range lp.Allocations {
		if a.PaymentID == id {
			stored += a.Amount
			if a.Seq == 0 {
				t.Errorf("half the overdue amount went to credit: %+v", a)
			}
			if !strings.Contains(body, `class="alloc-seq-`+strconv.Itoa(a.Seq)+`"`) {
				t.Errorf("no allocation row for instalment %d", a.Seq)
			}
		}
	}
	if stored != half {
		t.Errorf("the ledger stored %s for the payment", stored)
	}

	// Reversal: not for a collector (no payment:reverse).
	rev := "/loans/" + loan + "/payments/" + pid + "/reverse"
	if rec := e.do(t, request{role: auth.Collector, method: "POST", url: rev, body: form("reason", "x", "confirm", "1")}); rec.Code != http.StatusForbidden {
		t.Errorf("collector reversing = %d, want 403", rec.Code)
	}
	if rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/loans/" + loan}); !strings.Contains(rec.Body.String(), `action="`+rev+`"`) ||
		!strings.Contains(rec.Body.String(), "data-confirm=") {
		t.Error("a supervisor does not see the reversal form with its confirmation")
	}
	if rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: rev, body: form("reason", "wrong account")}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "confirm") {
		t.Errorf("reversal without the confirmation = %d", rec.Code)
	}
	if rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: rev, body: form("confirm", "1")}); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(rec.Body.String(), "reason") {
		t.Errorf("reversal without a reason = %d", rec.Code)
	}
	// A payment of another loan cannot be reversed through this loan's page.
	other := "/loans/" + strconv.FormatInt(e.loanID, 10) + "/payments/" + pid + "/reverse"
	if rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: other, body: form("reason", "x", "confirm", "1")}); rec.Code != http.StatusNotFound {
		t.Errorf("reversal through another loan = %d, want 404", rec.Code)
	}
	rec = e.do(t, request{role: auth.Supervisor, method: "POST", url: rev, body: form("reason", "wrong account", "confirm", "1")})
	if rec.Code != http.StatusSeeOther || !strings.Contains(rec.Header().Get("Location"), "reversed=1") {
		t.Fatalf("reversal = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	lp, err = e.svc.Loan(ctx, collect.Actor{User: e.users[auth.Admin]}, loanID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lp.Payments {
		if p.ID == id && (!p.Reversed || p.ReversalReason != "wrong account") {
			t.Errorf("payment after the reversal = %+v", p)
		}
	}
	for _, a := range lp.Allocations {
		if a.PaymentID == id {
			t.Errorf("the reversed payment still has allocation lines: %+v", a)
		}
	}
	if rec := e.do(t, request{role: auth.Supervisor, method: "GET", url: "/loans/" + loan + "?reversed=1"}); !strings.Contains(rec.Body.String(), `id="reversed-notice"`) ||
		strings.Contains(rec.Body.String(), `action="`+rev+`"`) {
		t.Error("after the reversal: no notice, or the form is still offered")
	}
	if rec := e.do(t, request{role: auth.Supervisor, method: "POST", url: rev, body: form("reason", "again", "confirm", "1")}); rec.Code != http.StatusConflict {
		t.Errorf("reversing twice = %d, want 409", rec.Code)
	}
}

// overdueLoan finds a loan with an overdue amount and returns it with half
// of that amount.
func overdueLoan(t *testing.T, e *env) (int64, money.Amount) {
	t.Helper()
	var rows []sqlstore.LoanRow
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		rows, _, err = tx.Loans(ctx, sqlstore.LoanFilter{Limit: 1000})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Loan.ID == e.loanID {
			continue
		}
		lp, err := e.svc.Loan(ctx, collect.Actor{User: e.users[auth.Admin]}, r.Loan.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if lp.Position.OverdueTotal() > 200 && lp.Position.PenaltyDue > 0 {
			return r.Loan.ID, lp.Position.OverdueTotal() / 2
		}
	}
	t.Fatal("no overdue loan with a penalty in the demo portfolio")
	return 0, 0
}
