package negotiation_test

import (
	"fmt"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// owingCases returns n open cases, each owing at least minOverdue, of n
// different borrowers.
func owingCases(t *testing.T, e *env, n int, minOverdue money.Amount) []sqlstore.Case {
	t.Helper()
	var list []sqlstore.Case
	open := casework.Open
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		list, _, err = tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, Limit: 500})
		return err
	})
	var out []sqlstore.Case
	seen := map[int64]bool{}
	for _, c := range list {
		if c.Overdue >= minOverdue && !seen[c.BorrowerID] {
			seen[c.BorrowerID] = true
			out = append(out, c)
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d of %d open cases owe %s", len(out), len(list), minOverdue)
	return nil
}

// payPath posts payments to a loan one way a payment reaches Accord.
type payPath struct {
	name string
	pay  func(t *testing.T, e *env, loanID int64, ps []ledger.Payment)
}

var payPaths = []payPath{
	{"console", func(t *testing.T, e *env, _ int64, ps []ledger.Payment) {
		for _, p := range ps {
			if _, _, err := e.svc.RecordPayment(ctx, e.as(auth.Supervisor), p); err != nil {
				t.Fatalf("RecordPayment(%s): %v", p.ExternalID, err)
			}
		}
	}},
	{"api", func(t *testing.T, e *env, _ int64, ps []ledger.Payment) {
		for _, p := range ps {
			// POST /api/v1/payments with an Idempotency-Key.
			if _, _, err := e.svc.RecordPaymentKeyed(ctx, e.as(auth.Admin), "key-"+p.ExternalID, p); err != nil {
				t.Fatalf("RecordPaymentKeyed(%s): %v", p.ExternalID, err)
			}
		}
	}},
	{"import", func(t *testing.T, e *env, loanID int64, ps []ledger.Payment) {
		var ext string
		e.read(t, func(tx *sqlstore.Tx) error {
			l, err := tx.Loan(ctx, loanID)
			ext = l.ExternalID
			return err
		})
		var b strings.Builder
		b.WriteString("external_id,loan_external_id,amount,paid_on\n")
		for _, p := range ps {
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", p.ExternalID, ext, p.Amount, p.PaidOn)
		}
		if _, err := e.svc.Import(ctx, e.as(auth.Admin), "payments", "payments.csv", strings.NewReader(b.String()), false); err != nil {
			t.Fatalf("Import: %v", err)
		}
	}},
}

// TestPaymentPaths_MatchPromisesAtOnce: whichever way a payment arrives —
// posted from the console, through the API or in an imported file — it
// is credited to the borrower's open promises first in first out the
// moment it is posted, not at the next nightly run: a promise it fills is
// kept at once and the case's counters and open promise follow. An
// imported file with two payments of one borrower credits them in date
// order. Importing the same file again credits nothing more.
func TestPaymentPaths_MatchPromisesAtOnce(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		e.run(t, start)
		col := e.as(auth.Supervisor) // takes the promises; sees every case
		cases := owingCases(t, e, len(payPaths), money.Yuan(600))
		for i, path := range payPaths {
			c := cases[i]
			e.setDay(start)
			for _, np := range []negotiation.NewPromise{{Amount: money.Yuan(200), Due: start.AddDays(3)}, {Amount: money.Yuan(300), Due: start.AddDays(6)}} {
				if _, err := e.neg.RecordPromise(ctx, col, c.ID, np); err != nil {
					t.Fatalf("%s: RecordPromise: %v", path.name, err)
				}
			}
			before := e.caseOf(t, c.ID)
			loan := c.LoanIDs[0]
			e.setDay(start.AddDays(2))
			// Listed in the wrong order on purpose: the earlier payment is
			// credited first.
			ps := []ledger.Payment{
				{ExternalID: path.name + "-2", LoanID: loan, Amount: money.Yuan(100), PaidOn: start.AddDays(2), Channel: "bank_transfer"},
				{ExternalID: path.name + "-1", LoanID: loan, Amount: money.Yuan(150), PaidOn: start.AddDays(1), Channel: "bank_transfer"},
			}
			path.pay(t, e, loan, ps)
			got := e.promises(t, col, c.ID)
			checkPromises(t, got, []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
			if len(got) == 2 && got[0].JudgedOn != start.AddDays(2) {
				t.Errorf("%s: first promise judged on %s, want the posting day %s", path.name, got[0].JudgedOn, start.AddDays(2))
			}
			after := e.caseOf(t, c.ID)
			if after.PromisesKept != before.PromisesKept+1 || after.PromiseDue != start.AddDays(6) {
				t.Errorf("%s: case kept %d (was %d), open promise due %s; want one more kept and the second open",
					path.name, after.PromisesKept, before.PromisesKept, after.PromiseDue)
			}
			if after.Overdue >= before.Overdue {
				t.Errorf("%s: case overdue %s after the payments, was %s: the case was not brought up to date", path.name, after.Overdue, before.Overdue)
			}
			if len(got) != 2 {
				continue
			}
			n := e.count(t, "SELECT COUNT(*) FROM promise_matches WHERE promise_id IN (?, ?)", got[0].ID, got[1].ID)
			if n != 3 { // 150 → first; 100 → 50 first, 50 second
				t.Errorf("%s: %d promise matches, want 3", path.name, n)
			}
			// Posting the same payments again credits nothing more.
			path.pay(t, e, loan, ps)
			checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
		}
		// The nightly run finds nothing left to credit.
		if sum := e.run(t, start.AddDays(2)); sum.PromisesJudged != 0 {
			t.Errorf("the night judged %d promises, want 0 (none due)", sum.PromisesJudged)
		}
		for i := range payPaths {
			checkPromises(t, e.promises(t, col, cases[i].ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
		}
	})
}
