package negotiation_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// pickCase returns one of the collector's open cases with at least min
// overdue.
func pickCase(t *testing.T, e *env, col collect.Actor, minOverdue money.Amount) sqlstore.Case {
	t.Helper()
	wb, err := e.svc.Workbench(ctx, col, 200)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range wb.Cases {
		if c.Overdue >= minOverdue {
			return c
		}
	}
	t.Fatalf("no case of the collector's %d owes %s", len(wb.Cases), minOverdue)
	return sqlstore.Case{}
}

func (e *env) pay(t *testing.T, ext string, loanID int64, amount money.Amount) ledger.Payment {
	t.Helper()
	p, _, err := e.svc.RecordPayment(ctx, e.as(auth.Supervisor), ledger.Payment{ExternalID: ext, LoanID: loanID, Amount: amount,
		PaidOn: e.today, Channel: "app"})
	if err != nil {
		t.Fatalf("RecordPayment(%s): %v", ext, err)
	}
	return p
}

func (e *env) promises(t *testing.T, col collect.Actor, caseID int64) []promise.Promise {
	t.Helper()
	list, err := e.neg.ListPromises(ctx, col, caseID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestPromises_EndToEnd: a collector takes two promises on a case, one in
// a call logged through the governor; partial payments fill them first in
// first out; the first is kept as soon as it is filled, a reversal takes
// that back and a new payment restores it; the nightly run leaves the
// second open until its date and then judges it partly kept, once.
func TestPromises_EndToEnd(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 600)
		e.run(t, start)
		col := e.as(auth.Collector)
		c := pickCase(t, e, col, money.Yuan(600))
		loan := c.LoanIDs[0]

		first, err := e.neg.RecordPromise(ctx, col, c.ID, negotiation.NewPromise{Amount: money.Yuan(200), Due: start.AddDays(3),
			Channel: "call", Note: "发工资后还", LogContact: true})
		if err != nil {
			t.Fatalf("RecordPromise in a call: %v", err)
		}
		second, err := e.neg.RecordPromise(ctx, col, c.ID, negotiation.NewPromise{Amount: money.Yuan(300), Due: start.AddDays(6)})
		if err != nil {
			t.Fatalf("RecordPromise: %v", err)
		}
		if first.ContactID == 0 || second.ContactID != 0 || first.TakenBy != "collector" || first.CollectorID == 0 ||
			first.Status != promise.Open {
			t.Errorf("promises as taken: %+v / %+v", first, second)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE case_id = ? AND outcome = 'connected'", c.ID); n != 1 {
			t.Errorf("contact attempts logged = %d, want 1 (only the promise made in a call)", n)
		}
		for _, bad := range []struct {
			np    negotiation.NewPromise
			field string
		}{
			{negotiation.NewPromise{Amount: money.Yuan(100), Due: start.AddDays(31)}, "due"},
			{negotiation.NewPromise{Amount: c.Balance + 1, Due: start.AddDays(3)}, "amount"},
			{negotiation.NewPromise{Amount: 0, Due: start.AddDays(3)}, "amount"},
			{negotiation.NewPromise{Amount: money.Yuan(100), Due: start.AddDays(3), Channel: "fax"}, "channel"},
		} {
			_, err := e.neg.RecordPromise(ctx, col, c.ID, bad.np)
			if fs := errs.FieldsOf(err); errs.CodeOf(err) != errs.Invalid || len(fs) == 0 || fs[0].Field != bad.field {
				t.Errorf("RecordPromise(%+v) = %v, want invalid %s", bad.np, err, bad.field)
			}
		}
		if got := e.caseOf(t, c.ID); got.PromiseDue != first.Due || got.PromiseAmount != first.Amount {
			t.Errorf("case's open promise = %s %s, want the first", got.PromiseAmount, got.PromiseDue)
		}
		before := e.caseOf(t, c.ID)

		// Day 1: 150 goes to the first promise.
		e.setDay(start.AddDays(1))
		e.pay(t, "PTP-1", loan, money.Yuan(150))
		// Day 2: 100 fills the first (kept early) and puts 50 on the second.
		e.setDay(start.AddDays(2))
		p2 := e.pay(t, "PTP-2", loan, money.Yuan(100))
		checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
		if got := e.caseOf(t, c.ID); got.PromisesKept != before.PromisesKept+1 || got.PromiseDue != second.Due {
			t.Errorf("after the first is kept: kept %d (was %d), open promise due %s", got.PromisesKept, before.PromisesKept, got.PromiseDue)
		}
		// Posting the same payment again matches nothing more.
		e.pay(t, "PTP-2", loan, money.Yuan(100))
		checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
		// A reversal takes it back; a new payment fills it again.
		if _, err := e.svc.ReversePayment(ctx, e.as(auth.Supervisor), p2.ID, "bounced"); err != nil {
			t.Fatal(err)
		}
		checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Open, money.Yuan(150)}, {promise.Open, 0}})
		if got := e.caseOf(t, c.ID); got.PromisesKept != before.PromisesKept {
			t.Errorf("after the reversal: kept %d, want %d", got.PromisesKept, before.PromisesKept)
		}
		e.pay(t, "PTP-3", loan, money.Yuan(100))
		checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})

		// The nightly runs: nothing is due before day 4; the second is
		// judged on day 7, once.
		if sum := e.run(t, start.AddDays(4)); sum.PromisesJudged != 0 {
			t.Errorf("day 4 judged %d promises, want 0", sum.PromisesJudged)
		}
		checkPromises(t, e.promises(t, col, c.ID), []want{{promise.Kept, money.Yuan(200)}, {promise.Open, money.Yuan(50)}})
		if sum := e.run(t, start.AddDays(7)); sum.PromisesJudged != 1 {
			t.Errorf("day 7 judged %d promises, want 1", sum.PromisesJudged)
		}
		if sum := e.run(t, start.AddDays(7)); sum.PromisesJudged != 0 {
			t.Errorf("day 7 again judged %d promises, want 0", sum.PromisesJudged)
		}
		got := e.promises(t, col, c.ID)
		checkPromises(t, got, []want{{promise.Kept, money.Yuan(200)}, {promise.PartlyKept, money.Yuan(50)}})
		if got[1].JudgedOn != start.AddDays(7) {
			t.Errorf("second judged on %s, want %s", got[1].JudgedOn, start.AddDays(7))
		}
		after := e.caseOf(t, c.ID)
		if after.PromiseBrokenOn != start.AddDays(7) {
			t.Errorf("case's last broken promise on %s, want %s", after.PromiseBrokenOn, start.AddDays(7))
		}
		if after.PromisesKept != before.PromisesKept+1 || after.PromisesBroken != before.PromisesBroken+1 || !after.PromiseDue.IsZero() {
			t.Errorf("case after judgement: kept %d broken %d open %s; want %d, %d, none", after.PromisesKept, after.PromisesBroken,
				after.PromiseDue, before.PromisesKept+1, before.PromisesBroken+1)
		}
		for code, n := range map[string]int{"made": 2, "kept": 2, "open": 1, "partly_kept": 1} {
			if got := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'promise' AND code = ?", c.ID, code); got != n {
				t.Errorf("%s promise events = %d, want %d", code, got, n)
			}
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'promise.record' AND entity_id = ?",
			strconv.FormatInt(c.ID, 10)); n != 2 {
			t.Errorf("promise.record audit events = %d, want 2", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'promise.judge'"); n != 1 {
			t.Errorf("promise.judge audit events = %d, want 1", n)
		}

		// The dashboard: one kept and one partly kept for the collector and
		// their team, a promise-kept rate of 50%.
		d, err := e.svc.Dashboard(ctx, e.as(auth.Auditor), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, rows := range []struct {
			name string
			id   int64
			list []collect.CollectorRow
		}{{"collector", first.CollectorID, d.Collectors}, {"team", first.TeamID, d.Teams}} {
			found := false
			for _, r := range rows.list {
				if r.ID != rows.id {
					if r.Promises.Judged() != 0 || r.Promises.Rate != -1 {
						t.Errorf("%s %d without promises: %+v", rows.name, r.ID, r.Promises)
					}
					continue
				}
				found = true
				if p := r.Promises; p.Kept != 1 || p.Partly != 1 || p.Broken != 0 || p.Rate != 0.5 || p.KeptPct() != "50.0%" {
					t.Errorf("%s %d promises: %+v", rows.name, r.ID, p)
				}
			}
			if !found {
				t.Errorf("no dashboard row for %s %d", rows.name, rows.id)
			}
		}
		var buf bytes.Buffer
		if err := d.WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := f.GetRows("催收员 Collectors", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(xrows) < 2 || len(xrows[0]) != 11 || xrows[0][10] != "承诺兑现率 Promise-kept rate" {
			t.Fatalf("collectors sheet header: %v", xrows[0])
		}
		exported := false
		for _, r := range xrows[1:] {
			if r[0] != strconv.FormatInt(first.CollectorID, 10) {
				continue
			}
			exported = true
			if len(r) < 11 || r[7] != "1" || r[8] != "1" || r[10] != "0.5" {
				t.Errorf("collector %d in the export: %v", first.CollectorID, r)
			}
		}
		if !exported {
			t.Errorf("collector %d missing from the export", first.CollectorID)
		}
	})
}

type want struct {
	status promise.Status
	paid   money.Amount
}

func checkPromises(t *testing.T, got []promise.Promise, ws []want) {
	t.Helper()
	if len(got) != len(ws) {
		t.Fatalf("%d promises, want %d", len(got), len(ws))
	}
	for i, w := range ws {
		if got[i].Status != w.status || got[i].Paid != w.paid {
			t.Errorf("promise %d: %s paid %s, want %s paid %s", i+1, got[i].Status, got[i].Paid, w.status, w.paid)
		}
	}
}

// TestCancelPromise: a collector cancels an open promise with a reason;
// it no longer takes payments; a closed one cannot be cancelled; an
// auditor may not, and a collector of another case sees nothing.
func TestCancelPromise(t *testing.T) {
	t.Parallel()
	e := newEnv(t, openSQLite(t), 600)
	e.run(t, start)
	col := e.as(auth.Collector)
	c := pickCase(t, e, col, money.Yuan(150))
	p, err := e.neg.RecordPromise(ctx, col, c.ID, negotiation.NewPromise{Amount: money.Yuan(100), Due: start.AddDays(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.neg.CancelPromise(ctx, col, p.ID, " "); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("cancel without a reason: %v", err)
	}
	if _, err := e.neg.CancelPromise(ctx, e.as(auth.Auditor), p.ID, "x"); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("auditor cancels: %v", err)
	}
	got, err := e.neg.CancelPromise(ctx, col, p.ID, "借款人改口")
	if err != nil || got.Status != promise.Cancelled || got.CancelReason != "借款人改口" {
		t.Fatalf("CancelPromise = %+v, %v", got, err)
	}
	if _, err := e.neg.CancelPromise(ctx, col, p.ID, "again"); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("cancel twice: %v", err)
	}
	e.pay(t, "C-1", c.LoanIDs[0], money.Yuan(100))
	if list := e.promises(t, col, c.ID); len(list) != 1 || list[0].Paid != 0 || list[0].Status != promise.Cancelled {
		t.Errorf("cancelled promise after a payment: %+v", list)
	}
	if c2 := e.caseOf(t, c.ID); !c2.PromiseDue.IsZero() {
		t.Errorf("case still shows an open promise due %s", c2.PromiseDue)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'promise.cancel'"); n != 1 {
		t.Errorf("promise.cancel audit events = %d, want 1", n)
	}
	if _, err := e.neg.ListPromises(ctx, e.as(auth.FieldAgent), c.ID); errs.CodeOf(err) != errs.NotFound && errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("another worker lists the case's promises: %v", err)
	}
}
