package collect

import (
	"slices"
	"testing"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

// scopeBook picks, after the first nightly run of a demo book, an open
// case the collector user owns, one another collector owns and one placed
// with the agency agent's agency.
type scopeBook struct {
	own, other, placed sqlstore.Case
}

func newScopeBook(t *testing.T, e *cwEnv) scopeBook {
	t.Helper()
	var bk scopeBook
	var me int64
	e.read(t, func(tx *sqlstore.Tx) error {
		c, err := tx.CollectorByUser(cwCtx, e.users[auth.Collector].ID)
		me = c.ID
		return err
	})
	agency := e.users[auth.AgencyAgent].AgencyID
	for _, c := range e.openCases(t) {
		switch {
		case c.Owner == casework.Owner{Kind: casework.ToCollector, ID: me} && bk.own.ID == 0:
			bk.own = c
		case c.Owner.Kind == casework.ToCollector && c.Owner.ID != me && bk.other.ID == 0:
			bk.other = c
		case c.Owner == casework.Owner{Kind: casework.ToAgency, ID: agency} && bk.placed.ID == 0:
			bk.placed = c
		}
	}
	if bk.own.ID == 0 || bk.other.ID == 0 || bk.placed.ID == 0 || agency == 0 {
		t.Fatalf("the demo book lacks a case of each kind: %+v (agency %d)", bk, agency)
	}
	e.read(t, func(tx *sqlstore.Tx) error { // with their loan ids
		for _, c := range []*sqlstore.Case{&bk.own, &bk.other, &bk.placed} {
			list, _, err := tx.Cases(cwCtx, sqlstore.CaseFilter{IDs: []int64{c.ID}})
			if err != nil || len(list) != 1 || len(list[0].LoanIDs) == 0 {
				t.Fatalf("case %d: %+v, %v", c.ID, list, err)
			}
			*c = list[0]
		}
		return nil
	})
	return bk
}

// TestScope_SingleRecords: a collector and an agency agent reach the
// borrower, loans, registered contacts and contact panel of their own
// cases; anything else is NotFound, worded as a missing record; wide roles
// reach everything.
func TestScope_SingleRecords(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		type reach struct {
			role auth.Role
			c    sqlstore.Case
			ok   bool
		}
		for _, r := range []reach{
			{auth.Collector, bk.own, true}, {auth.Collector, bk.other, false}, {auth.Collector, bk.placed, false},
			{auth.AgencyAgent, bk.placed, true}, {auth.AgencyAgent, bk.own, false},
			{auth.Supervisor, bk.other, true}, {auth.Compliance, bk.placed, true}, {auth.Auditor, bk.own, true},
		} {
			by := e.as(r.role)
			b := r.c.BorrowerID
			want := func(what string, err error) {
				t.Helper()
				switch {
				case r.ok && err != nil:
					t.Errorf("%s, %s of case %d: %v, want it", r.role, what, r.c.ID, err)
				case !r.ok && errs.CodeOf(err) != errs.NotFound:
					t.Errorf("%s, %s of case %d: %v, want NotFound", r.role, what, r.c.ID, err)
				}
			}
			_, err := e.svc.Borrower(cwCtx, by, b)
			want("borrower", err)
			_, err = e.svc.RegisteredContacts(cwCtx, by, b)
			want("registered contacts", err)
			_, err = e.svc.Loan(cwCtx, by, r.c.LoanIDs[0], 0)
			want("loan", err)
			if r.role != auth.Auditor { // the contact panel needs contact:log or compliance:read
				_, err = e.svc.ContactPanel(cwCtx, by, b, 0)
				want("contact panel", err)
			}
			if r.role != auth.Compliance && r.role != auth.Auditor { // case pages need case:work
				_, err = e.svc.Case(cwCtx, by, r.c.ID)
				want("case", err)
			}
			if !r.ok {
				_, missing := e.svc.Borrower(cwCtx, by, 1_000_000)
				_, err := e.svc.Borrower(cwCtx, by, b)
				if errs.MessageOf(err) != "Borrower "+itoa64(b)+" not found." || errs.CodeOf(missing) != errs.NotFound {
					t.Errorf("%s: out of scope says %q, a missing borrower %q: they must read alike", r.role, errs.MessageOf(err), errs.MessageOf(missing))
				}
			}
		}
	})
}

// TestScope_Lists: lists hold only the caller's scope, filtered in SQL, so
// that totals and pages are right too.
func TestScope_Lists(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		for _, r := range []struct {
			role     auth.Role
			in, out  []sqlstore.Case
			wideView bool
		}{
			{role: auth.Collector, in: []sqlstore.Case{bk.own}, out: []sqlstore.Case{bk.other, bk.placed}},
			{role: auth.AgencyAgent, in: []sqlstore.Case{bk.placed}, out: []sqlstore.Case{bk.own, bk.other}},
			{role: auth.Supervisor, in: []sqlstore.Case{bk.own, bk.other, bk.placed}, wideView: true},
		} {
			by := e.as(r.role)
			bs, total, err := e.svc.Borrowers(cwCtx, by, sqlstore.BorrowerFilter{Limit: 1000})
			if err != nil || total != len(bs) {
				t.Fatalf("%s: Borrowers = %d of %d, %v", r.role, len(bs), total, err)
			}
			ids := make([]int64, len(bs))
			for i, b := range bs {
				ids[i] = b.ID
			}
			loans, ltotal, err := e.svc.Loans(cwCtx, by, sqlstore.LoanFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range loans {
				if !slices.Contains(ids, l.Loan.BorrowerID) {
					t.Errorf("%s: loan %d of borrower %d is listed, its borrower is not", r.role, l.Loan.ID, l.Loan.BorrowerID)
				}
			}
			cases, _, err := e.svc.Cases(cwCtx, by, sqlstore.CaseFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			caseIDs := make([]int64, len(cases))
			for i, c := range cases {
				caseIDs[i] = c.ID
			}
			for _, c := range r.in {
				if !slices.Contains(ids, c.BorrowerID) || !slices.Contains(caseIDs, c.ID) {
					t.Errorf("%s: case %d or its borrower %d missing from the lists", r.role, c.ID, c.BorrowerID)
				}
			}
			for _, c := range r.out {
				if slices.Contains(ids, c.BorrowerID) || slices.Contains(caseIDs, c.ID) {
					t.Errorf("%s: case %d or its borrower %d listed outside the scope", r.role, c.ID, c.BorrowerID)
				}
			}
			all := e.count(t, "SELECT COUNT(*) FROM borrowers")
			if r.wideView != (total == all) || (!r.wideView && ltotal == 0) {
				t.Errorf("%s: %d of %d borrowers, %d loans listed", r.role, total, all, ltotal)
			}
			// A search by exact external id of a borrower outside the scope finds nothing.
			for _, c := range r.out {
				ext := e.externalID(t, c.BorrowerID)
				if _, n, err := e.svc.Borrowers(cwCtx, by, sqlstore.BorrowerFilter{ExternalID: &ext}); err != nil || n != 0 {
					t.Errorf("%s: search for %s outside the scope found %d, %v", r.role, ext, n, err)
				}
			}
		}
	})
}

func (e *cwEnv) externalID(t *testing.T, borrowerID int64) string {
	t.Helper()
	var ext string
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(cwCtx, borrowerID)
		ext = b.ExternalID
		return err
	})
	return ext
}

// TestScope_RevealPII: a collector reveals only for the borrowers of the
// cases they work; a supervisor reveals for anyone; every reveal and every
// refused reveal is audited.
func TestScope_RevealPII(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		col := e.as(auth.Collector)
		if rev, err := e.svc.RevealPII(cwCtx, col, bk.own.BorrowerID, "call back"); err != nil || rev.NationalID == "" {
			t.Errorf("collector revealing on their own case: %+v, %v", rev, err)
		}
		if _, err := e.svc.RevealPII(cwCtx, col, bk.other.BorrowerID, "curious"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("collector revealing on someone else's case: %v, want NotFound", err)
		}
		if _, err := e.svc.RevealPII(cwCtx, e.as(auth.Supervisor), bk.other.BorrowerID, "escalation"); err != nil {
			t.Errorf("supervisor: %v", err)
		}
		if _, err := e.svc.RevealPII(cwCtx, e.as(auth.AgencyAgent), bk.placed.BorrowerID, "placement"); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("agency agent (no pii:reveal): %v, want Forbidden", err)
		}
		var got []string
		err := e.db.AuditEvents(cwCtx, func(ev audit.Event) error {
			if ev.EntityType == "borrower" && (ev.Action == "pii.reveal" || ev.Action == "pii.reveal_refused") {
				got = append(got, ev.Action+" "+ev.Actor.Username+" "+ev.EntityID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"pii.reveal collector " + itoa64(bk.own.BorrowerID),
			"pii.reveal_refused collector " + itoa64(bk.other.BorrowerID),
			"pii.reveal supervisor " + itoa64(bk.other.BorrowerID),
			"pii.reveal_refused agency_agent " + itoa64(bk.placed.BorrowerID),
		}
		if !slices.Equal(got, want) {
			t.Errorf("audited reveals:\n got %q\nwant %q", got, want)
		}
	})
}

// TestScope_RecordPayment: a collector records payments only on the loans
// of the borrowers they work; another loan reads as a missing one.
func TestScope_RecordPayment(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		col := e.as(auth.Collector)
		pay := ledger.Payment{ExternalID: "P-SCOPE-1", LoanID: bk.other.LoanIDs[0], Amount: 10_00, PaidOn: cwStart, Channel: "bank"}
		_, _, err := e.svc.RecordPayment(cwCtx, col, pay)
		if errs.CodeOf(err) != errs.Invalid || !slices.ContainsFunc(errs.FieldsOf(err), func(f errs.FieldError) bool { return f.Field == "loan_id" }) {
			t.Errorf("collector paying into someone else's loan: %v, want loan_id invalid", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM payments WHERE external_id = 'P-SCOPE-1'"); n != 0 {
			t.Errorf("%d payments stored", n)
		}
		pay.LoanID = bk.own.LoanIDs[0]
		if _, created, err := e.svc.RecordPayment(cwCtx, col, pay); err != nil || !created {
			t.Errorf("collector paying into their own case's loan: created %v, %v", created, err)
		}
	})
}

// TestScope_ContactRefusalTellsNothing: a contact request naming a case and
// a borrower outside the caller's scope is refused alike whether or not the
// two belong together, so it cannot map cases to borrowers.
func TestScope_ContactRefusalTellsNothing(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		col := e.as(auth.Collector)
		for _, c := range []sqlstore.Case{bk.other, bk.placed} { // bk.other's borrower with its own case, then with another's
			req := ContactRequest{BorrowerID: bk.other.BorrowerID, CaseID: c.ID, Channel: compliance.Call, To: "phone:1",
				Outcome: compliance.NoAnswer, Purpose: compliance.PurposeCollection}
			want := "case_id: case " + itoa64(c.ID) + " is not a case of borrower " + itoa64(bk.other.BorrowerID)
			_, err := e.svc.LogContact(cwCtx, col, req)
			if errs.CodeOf(err) != errs.Invalid || errs.MessageOf(err) != want {
				t.Errorf("log a contact on case %d: %v, want %q", c.ID, err, want)
			}
			if _, err := e.svc.CheckContact(cwCtx, col, req); errs.CodeOf(err) != errs.Invalid || errs.MessageOf(err) != want {
				t.Errorf("check a contact on case %d: %v, want %q", c.ID, err, want)
			}
			req.BorrowerID = 0 // the case alone: not found, as a missing one
			if _, err := e.svc.LogContact(cwCtx, col, req); errs.CodeOf(err) != errs.NotFound || errs.MessageOf(err) != "Case "+itoa64(c.ID)+" not found." {
				t.Errorf("log a contact on case %d alone: %v, want it not found", c.ID, err)
			}
		}
	})
}
