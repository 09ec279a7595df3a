package collect

import (
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestNextCase_SkipsWhoMayNotBeCalledNow: "Get next case" passes over a
// borrower the governor would refuse a call to now — one already at the
// day's limit of connected calls, one whose local time is 02:00 — and
// hands out the next; the one waiting for their morning comes back once
// their hours open.
func TestNextCase_SkipsWhoMayNotBeCalledNow(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	col := e.as(auth.Collector)
	wb, err := e.svc.Workbench(cwCtx, col, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var more []int64 // give the collector a few more cases
	for _, c := range e.openCases(t) {
		if c.Owner != wb.Owner && len(more) < 4 {
			more = append(more, c.ID)
		}
	}
	if _, err := e.svc.ReassignCases(cwCtx, e.as(auth.Supervisor), Reassignment{CaseIDs: more, To: wb.Owner, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	var queue []sqlstore.CaseRef
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		queue, err = tx.NextCaseCandidates(cwCtx, wb.Owner, cwStart, 100, 0)
		return err
	})
	if len(queue) < 4 {
		t.Fatalf("queue of %d cases", len(queue))
	}
	capped, night, next := queue[0], queue[1], queue[2]
	// Three connected calls to the first borrower today (the CN daily limit),
	// logged outside the case so that the case itself is not marked worked.
	for i := range 3 {
		req := ContactRequest{BorrowerID: capped.BorrowerID, Channel: compliance.Call, To: "phone:1", Outcome: compliance.Connected,
			StartedAt: e.clock().Add(-time.Duration(30*(i+1)) * time.Minute)}
		if _, err := e.svc.LogContact(cwCtx, e.as(auth.Supervisor), req); err != nil {
			t.Fatalf("LogContact #%d: %v", i+1, err)
		}
	}
	// The second borrower lives in London, where 10:00 in Beijing is 02:00.
	london := "Europe/London"
	if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
		_, err := tx.UpdateBorrower(cwCtx, night.BorrowerID, sqlstore.BorrowerUpdate{TimeZone: &london})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id != next.ID {
		t.Fatalf("NextCase = %d, %v; want case %d (skipping %d at the call limit and %d at night)", id, err, next.ID, capped.ID, night.ID)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE id IN (?, ?) AND worked_on IS NOT NULL", capped.ID, night.ID); n != 0 {
		t.Errorf("%d skipped cases marked worked, want 0", n)
	}
	e.mu.Lock()
	e.late = 8 * time.Hour // 18:00 in Beijing, 10:00 in London
	e.mu.Unlock()
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id != night.ID {
		t.Errorf("NextCase at 18:00 = %d, %v; want the London case %d", id, err, night.ID)
	}
	for {
		id, err := e.svc.NextCase(cwCtx, col)
		if err != nil {
			if errs.CodeOf(err) != errs.NotFound || err != ErrNoContactableCase {
				t.Errorf("queue end: %v, want ErrNoContactableCase (the capped case is left)", err)
			}
			break
		}
		if id == capped.ID {
			t.Fatalf("NextCase handed out case %d whose borrower is at the call limit", id)
		}
	}
}

// TestNextCase_SkipsCeasedBorrower: under the US profile a borrower who
// asked collectors to stop (cease) may not be called, so "Get next case"
// passes over their case.
func TestNextCase_SkipsCeasedBorrower(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	col := e.as(auth.Collector)
	if err := e.svc.ActivateProfile(cwCtx, e.as(auth.Admin), compliance.US); err != nil {
		t.Fatal(err)
	}
	wb, err := e.svc.Workbench(cwCtx, col, 10)
	if err != nil {
		t.Fatal(err)
	}
	var queue []sqlstore.CaseRef
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		queue, err = tx.NextCaseCandidates(cwCtx, wb.Owner, cwStart, 100, 0)
		return err
	})
	if len(queue) < 2 {
		t.Fatalf("queue of %d cases", len(queue))
	}
	ceased := queue[0]
	call := ContactRequest{BorrowerID: ceased.BorrowerID, CaseID: ceased.ID, Channel: compliance.Call, To: "phone:1"}
	if res, err := e.svc.CheckContact(cwCtx, col, call); err != nil || !res.Decision.Allowed() {
		t.Fatalf("before the cease flag a call is not allowed: %+v, %v", res.Decision, err)
	}
	if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(cwCtx, ceased.BorrowerID)
		if err != nil {
			return err
		}
		flags := append(b.Flags, compliance.FlagCease)
		_, err = tx.UpdateBorrower(cwCtx, ceased.BorrowerID, sqlstore.BorrowerUpdate{Flags: &flags})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id != queue[1].ID {
		t.Fatalf("NextCase = %d, %v; want %d, passing over the ceased borrower's case %d", id, err, queue[1].ID, ceased.ID)
	}
}
