package collect

import (
	"bytes"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestWorkbench_NextCase: "Get next case" hands a collector their open
// cases highest value first, each once a day, and nobody else's.
func TestWorkbench_NextCase(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	col := e.as(auth.Collector)
	wb, err := e.svc.Workbench(cwCtx, col, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if wb.Owner.Kind != casework.ToCollector || wb.Total == 0 || wb.NotWorked != wb.Total {
		t.Fatalf("workbench: owner %v, %d cases, %d not worked", wb.Owner, wb.Total, wb.NotWorked)
	}
	if !slices.IsSortedFunc(wb.Cases, func(a, b sqlstore.Case) int { return int(b.EV - a.EV) }) {
		t.Error("queue not ordered by expected value")
	}
	for i := range min(3, len(wb.Cases)) {
		id, err := e.svc.NextCase(cwCtx, col)
		if err != nil || id != wb.Cases[i].ID {
			t.Errorf("NextCase #%d = %d, %v; want %d", i+1, id, err, wb.Cases[i].ID)
		}
	}
	if wb2, _ := e.svc.Workbench(cwCtx, col, 1000); wb2.NotWorked != wb.Total-min(3, len(wb.Cases)) {
		t.Errorf("not worked today = %d after three", wb2.NotWorked)
	}
	page, err := e.svc.Case(cwCtx, col, wb.Cases[0].ID)
	if err != nil || len(page.Events) == 0 || len(page.Case.Reasons) == 0 || page.Script.TextZH == "" || len(page.Factors) == 0 {
		t.Errorf("case page: %d events, %d reasons, script %q, %v", len(page.Events), len(page.Case.Reasons), page.Script.TextZH, err)
	}
	if page.Borrower.NationalID == "" || page.Borrower.NationalID[6:14] != "********" {
		t.Errorf("national id not masked: %q", page.Borrower.NationalID)
	}
	// A case owned by someone else is not found (ids cannot be probed); a supervisor sees it.
	var other int64
	for _, c := range e.openCases(t) {
		if c.Owner != wb.Owner {
			other = c.ID
			break
		}
	}
	if _, err := e.svc.Case(cwCtx, col, other); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("collector opened case %d of someone else: %v", other, err)
	}
	if _, err := e.svc.Case(cwCtx, e.as(auth.Supervisor), other); err != nil {
		t.Errorf("supervisor: %v", err)
	}
	if list, _, err := e.svc.Cases(cwCtx, col, sqlstore.CaseFilter{Limit: 1000}); err != nil || len(list) != wb.Total {
		t.Errorf("collector's case list = %d, %v; want their %d", len(list), err, wb.Total)
	}
	if _, err := e.svc.Workbench(cwCtx, e.as(auth.Auditor), 10); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("auditor workbench: %v", err)
	}
}

// TestLogCaseContact_Outcomes: a collector logs calls and notes; they show
// on the timeline, in the case's counters and in the audit log, and a
// payment is attributed to the case. A promise to pay needs the promise
// book (package negotiation, whose tests cover promises end to end):
// without one it is refused, naming the field, and nothing is recorded.
func TestLogCaseContact_Outcomes(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 600)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		wb, err := e.svc.Workbench(cwCtx, col, 100)
		if err != nil || len(wb.Cases) < 1 {
			t.Fatalf("workbench: %d cases, %v", len(wb.Cases), err)
		}
		keep := wb.Cases[0]
		err = e.svc.LogCaseContact(cwCtx, col, keep.ID, CaseContact{Outcome: compliance.Connected, PromiseAmount: money.Yuan(100),
			PromiseDue: cwStart.AddDays(2), Note: "下周发工资"})
		if fs := errs.FieldsOf(err); errs.CodeOf(err) != errs.Invalid || len(fs) != 1 || fs[0].Field != "promise_due" {
			t.Errorf("promise without a promise book: %v", err)
		}
		if err := e.svc.LogCaseContact(cwCtx, col, keep.ID, CaseContact{Outcome: compliance.Connected, PromiseAmount: money.Yuan(1),
			PromiseDue: cwStart.AddDays(90)}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("promise 90 days ahead: %v", err)
		}
		if err := e.svc.LogCaseContact(cwCtx, col, keep.ID, CaseContact{Outcome: compliance.Connected, Note: "下周发工资"}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.LogCaseContact(cwCtx, col, keep.ID, CaseContact{Outcome: compliance.NoAnswer}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddCaseNote(cwCtx, col, keep.ID, "已核实工作单位"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.AddCaseNote(cwCtx, col, keep.ID, "  "); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("empty note: %v", err)
		}
		e.setDay(cwStart.AddDays(1))
		if _, _, err := e.svc.RecordPayment(cwCtx, e.as(auth.Supervisor), ledger.Payment{ExternalID: "PTP-1",
			LoanID: keep.LoanIDs[0], Amount: money.Yuan(100), PaidOn: cwStart.AddDays(1), Channel: "app"}); err != nil {
			t.Fatal(err)
		}
		e.run(t, cwStart.AddDays(1))
		var k sqlstore.Case
		e.read(t, func(tx *sqlstore.Tx) error {
			var err error
			k, err = tx.Case(cwCtx, keep.ID)
			return err
		})
		if !k.PromiseDue.IsZero() || k.Attempts != 2 || k.Connected != 1 || k.Recovered < money.Yuan(100) || k.LastProgressOn.IsZero() {
			t.Errorf("case: due %s attempts %d/%d recovered %s", k.PromiseDue, k.Attempts, k.Connected, k.Recovered)
		}
		for _, want := range []struct {
			id         int64
			kind, code string
		}{{keep.ID, "contact", "connected"}, {keep.ID, "contact", "no_answer"}, {keep.ID, "note", ""}, {keep.ID, "payment", ""}} {
			if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = ? AND code = ?", want.id, want.kind, want.code); n != 1 {
				t.Errorf("case %d has %d %s/%s events, want 1", want.id, n, want.kind, want.code)
			}
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action IN ('case.note', 'case.contact') AND entity_id = ?",
			strconv.FormatInt(keep.ID, 10)); n != 3 {
			t.Errorf("audit events for the case = %d, want 3", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM case_payments WHERE case_id = ?", keep.ID); n != 1 {
			t.Errorf("payment attributions = %d, want 1", n)
		}
	})
}

// TestReassignCases_Audited: a supervisor moves cases with a reason; each
// move is on the case's timeline and in the audit log, and the nightly run
// leaves locked cases where the supervisor put them.
func TestReassignCases_Audited(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	sup := e.as(auth.Supervisor)
	q, err := e.svc.Queues(cwCtx, sup, sqlstore.CaseFilter{Limit: 3, OrderByEV: true})
	if err != nil || len(q.Cases) != 3 || len(q.Teams) == 0 {
		t.Fatalf("queues: %d cases, %d teams, %v", len(q.Cases), len(q.Teams), err)
	}
	var to casework.Owner
	for _, tl := range q.Teams {
		for _, c := range tl.Collectors {
			if c.Active && c.ID != q.Cases[0].Owner.ID && c.ID != q.Cases[1].Owner.ID {
				to = casework.Owner{Kind: casework.ToCollector, ID: c.ID}
			}
		}
	}
	ids := []int64{q.Cases[0].ID, q.Cases[1].ID}
	r := Reassignment{CaseIDs: ids, To: to, Reason: "借款人投诉原催收员，换人跟进", Lock: true}
	for _, bad := range []Reassignment{{CaseIDs: ids, To: to}, {To: to, Reason: "x"},
		{CaseIDs: ids, To: casework.Owner{Kind: casework.ToCollector, ID: 9999}, Reason: "x"}} {
		if _, err := e.svc.ReassignCases(cwCtx, sup, bad); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("ReassignCases(%+v) = %v, want Invalid", bad, err)
		}
	}
	if _, err := e.svc.ReassignCases(cwCtx, e.as(auth.Collector), r); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("collector reassigned: %v", err)
	}
	n, err := e.svc.ReassignCases(cwCtx, sup, r)
	if err != nil || n != 2 {
		t.Fatalf("ReassignCases = %d, %v", n, err)
	}
	for _, id := range ids {
		if n := e.count(t, "SELECT COUNT(*) FROM case_events WHERE case_id = ? AND kind = 'assigned' AND code = 'manual' AND zh LIKE ?",
			id, "%借款人投诉%"); n != 1 {
			t.Errorf("case %d: %d manual assignment events with the reason", id, n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'case.reassign' AND entity_id = ? AND actor_username = 'supervisor'",
			strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("case %d: %d audit events", id, n)
		}
	}
	e.run(t, cwStart.AddDays(1))
	e.read(t, func(tx *sqlstore.Tx) error {
		for _, id := range ids {
			c, err := tx.Case(cwCtx, id)
			if err != nil {
				return err
			}
			if c.Owner != to || !c.Locked {
				t.Errorf("case %d after the next night: owner %v locked %v, want %v locked", id, c.Owner, c.Locked, to)
			}
		}
		return nil
	})
	if err := e.svc.UnlockCase(cwCtx, sup, ids[0]); err != nil {
		t.Fatal(err)
	}
}

// TestDashboard: the dashboard after a few nights, and its Excel export.
func TestDashboard(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 400)
		e.run(t, cwStart)
		if _, err := e.svc.Simulate(cwCtx, SimulateOptions{From: cwStart.AddDays(1), Days: 3}, nil); err != nil {
			t.Fatal(err)
		}
		d, err := e.svc.Dashboard(cwCtx, e.as(auth.Auditor), 0)
		if err != nil {
			t.Fatal(err)
		}
		if d.AsOf != cwStart.AddDays(3) || len(d.Flow) == 0 || len(d.Cure) != DashboardMonths || len(d.Recovery) != len(d.Buckets)-1 ||
			len(d.Collectors) == 0 || len(d.Teams) == 0 || len(d.Agencies) != 2 {
			t.Fatalf("dashboard: %+v", d)
		}
		collected := money.Amount(0)
		for _, c := range d.Collectors {
			collected += c.Collected
		}
		if last := d.Cure[len(d.Cure)-1]; last.Opened == 0 || collected == 0 {
			t.Errorf("this month: %+v, collected by collectors %s", last, collected)
		}
		var buf bytes.Buffer
		if err := d.WriteXLSX(&buf); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if sheets := f.GetSheetList(); len(sheets) != 7 {
			t.Errorf("sheets = %v", sheets)
		}
		if _, err := e.svc.Dashboard(cwCtx, e.as(auth.Collector), 0); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("collector dashboard: %v", err)
		}
	})
}
