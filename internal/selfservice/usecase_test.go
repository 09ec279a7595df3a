package selfservice_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/promise"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
)

func TestService_Balance(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		d := e.debtors(t, 1)[0]
		who := e.signIn(t, d).Borrower
		list, err := e.self.Balance(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		var st *selfservice.LoanStatement
		for i := range list {
			if list[i].LoanID == d.loanID {
				st = &list[i]
			}
			if page, err := e.svc.Loan(ctx, collect.System("t"), list[i].LoanID, e.svc.Today()); err != nil || page.Loan.BorrowerID != d.b.ID {
				t.Errorf("statement of loan %d, which is not the borrower's (%v)", list[i].LoanID, err)
			}
		}
		if st == nil {
			t.Fatalf("no statement of loan %d in %+v", d.loanID, list)
		}
		page, err := e.svc.Loan(ctx, collect.System("t"), d.loanID, e.svc.Today())
		if err != nil {
			t.Fatal(err)
		}
		pos := page.Position
		if st.DPD == 0 || st.Overdue == 0 {
			t.Fatalf("the case's loan shows nothing overdue: %+v", st)
		}
		if st.Overdue != pos.OverdueTotal() || st.Penalty != pos.PenaltyDue || st.Fees != pos.FeesDue ||
			st.OutstandingPrincipal != pos.OutstandingPrincipal {
			t.Errorf("statement %+v does not match the ledger's position %+v", st, pos)
		}
		if len(st.Schedule) != len(pos.Installments) {
			t.Errorf("schedule has %d lines, want %d", len(st.Schedule), len(pos.Installments))
		}
		paid := 0
		for _, p := range page.Payments {
			if !p.Reversed {
				paid++
			}
		}
		if len(st.Payments) != paid {
			t.Errorf("%d payments shown, want %d", len(st.Payments), paid)
		}
		raw, _ := json.Marshal(list)
		for _, field := range []string{"above_cap", "penalty_accrued", "fee_charged"} {
			if strings.Contains(string(raw), field) {
				t.Errorf("the statement shows %s: the part above the cost cap is never shown", field)
			}
		}
	})
}

func TestService_Promise(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		d := e.debtors(t, 1)[0]
		who := e.signIn(t, d).Borrower
		due := e.svc.Today().AddDays(5)
		res, err := e.self.Promise(ctx, who, selfservice.PromiseRequest{Amount: money.Yuan(300), Due: due})
		if err != nil {
			t.Fatal(err)
		}
		if res.Promise.CaseID != d.caseID || res.Promise.Channel != "portal" || res.Promise.Status != promise.Open {
			t.Errorf("promise = %+v", res.Promise)
		}
		list, err := e.neg.ListPromises(ctx, collect.System("t"), d.caseID)
		if err != nil || len(list) != 1 || list[0].Amount != money.Yuan(300) || list[0].Due != due {
			t.Fatalf("promises on the case = %+v, %v", list, err)
		}
		var body, purpose string
		e.read(t, func(tx *sqlstore.Tx) error {
			m, err := tx.Message(ctx, res.MessageID)
			body, purpose = m.Body, m.Purpose
			return err
		})
		if !strings.Contains(body, "300.00") || purpose != compliance.PurposeVerification || res.SMS == "" {
			t.Errorf("confirmation SMS = %q (%s, %s)", body, purpose, res.SMS)
		}
		_, err = e.self.Promise(ctx, who, selfservice.PromiseRequest{Amount: money.Yuan(300), Due: e.svc.Today().AddDays(400)})
		wantCode(t, err, errs.Invalid)
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'portal.promise'"); n != 1 {
			t.Errorf("%d portal.promise audit events, want 1", n)
		}
	})
}

func TestService_Request(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		ds := e.debtors(t, 2)
		who := e.signIn(t, ds[0]).Borrower
		_, err := e.self.Request(ctx, who, "dispute", "")
		wantCode(t, err, errs.Invalid)
		_, err = e.self.Request(ctx, who, "bogus", "x")
		wantCode(t, err, errs.Invalid)

		r, err := e.self.Request(ctx, who, selfservice.RequestDispute, "这笔借款我已经在 2 月 1 日结清，电话 13800138000")
		if err != nil {
			t.Fatal(err)
		}
		if r.CaseID != ds[0].caseID || !slices.Contains(r.FlagsAdded, compliance.FlagDisputed) ||
			strings.Contains(r.Note, "13800138000") {
			t.Errorf("request = %+v", r)
		}
		if _, err := e.self.Request(ctx, who, selfservice.RequestStopContact, ""); err != nil {
			t.Fatal(err)
		}
		var flags []string
		e.read(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, ds[0].b.ID)
			flags = b.Flags
			return err
		})
		for _, f := range []string{compliance.FlagDisputed, compliance.FlagDisputeWritten, compliance.FlagCease} {
			if !slices.Contains(flags, f) {
				t.Errorf("flags %v lack %s", flags, f)
			}
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND code IN ('portal_dispute', 'portal_stop_contact')",
			ds[0].caseID); n != 2 {
			t.Errorf("%d case events, want 2", n)
		}
		// A complaint from the other borrower touches only their flags.
		other := e.signIn(t, ds[1]).Borrower
		if _, err := e.self.Request(ctx, other, selfservice.RequestComplaint, "催收员态度恶劣"); err != nil {
			t.Fatal(err)
		}
		reqs, err := e.self.Requests(ctx, other)
		if err != nil || len(reqs) != 1 || reqs[0].Kind != "complaint" {
			t.Errorf("Requests(other) = %+v, %v", reqs, err)
		}
	})
}
