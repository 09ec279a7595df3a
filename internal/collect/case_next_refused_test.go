package collect

import (
	"slices"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestNextCase_RefusedCaseComesBack: a case "Get next case" passed over
// because the governor refused its borrower is not asked about again on
// every press, but once the refusal lifts (here a cease flag removed) it
// is handed out again within recheckRefused — and never while the flag
// is on.
func TestNextCase_RefusedCaseComesBack(t *testing.T) {
	t.Parallel()
	e := newCW(t, storetest.OpenSQLite(t), 600)
	e.run(t, cwStart)
	col := e.as(auth.Collector)
	if err := e.svc.ActivateProfile(cwCtx, e.as(auth.Admin), compliance.US); err != nil {
		t.Fatal(err)
	}
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
	e.read(t, func(tx *sqlstore.Tx) (err error) {
		queue, err = tx.NextCaseCandidates(cwCtx, wb.Owner, cwStart, 100, 0)
		return err
	})
	if len(queue) < 3 {
		t.Fatalf("queue of %d cases", len(queue))
	}
	ceased := queue[0]
	setFlags := func(flags []string) {
		t.Helper()
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			_, err := tx.UpdateBorrower(cwCtx, ceased.BorrowerID, sqlstore.BorrowerUpdate{Flags: &flags})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var before []string
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(cwCtx, ceased.BorrowerID)
		before = b.Flags
		return err
	})
	setFlags(append(slices.Clone(before), compliance.FlagCease))
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id != queue[1].ID {
		t.Fatalf("NextCase = %d, %v; want %d, passing over the ceased borrower's case %d", id, err, queue[1].ID, ceased.ID)
	}
	// Still ceased a minute later: passed over again.
	e.mu.Lock()
	e.late = time.Minute
	e.mu.Unlock()
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id == ceased.ID {
		t.Fatalf("NextCase with the cease flag on = %d, %v", id, err)
	}
	// The flag is removed; within recheckRefused the case is back.
	setFlags(before)
	e.mu.Lock()
	e.late = time.Minute + recheckRefused
	e.mu.Unlock()
	if id, err := e.svc.NextCase(cwCtx, col); err != nil || id != ceased.ID {
		t.Fatalf("NextCase %s after the flag was removed = %d, %v; want the case %d back", recheckRefused, id, err, ceased.ID)
	}
}

// TestUncallable: a refusal is remembered until the time the governor
// named or recheckRefused, whichever is sooner, per case and user.
func TestUncallable(t *testing.T) {
	var u uncallable
	now := time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)
	a, b := refusal{1, 10}, refusal{2, 10}
	if u.refused(a, now) {
		t.Fatal("refused before any refusal")
	}
	u.refuse(a, now, time.Time{})
	u.refuse(b, now, now.Add(time.Minute))
	for _, tt := range []struct {
		id   refusal
		at   time.Time
		want bool
	}{
		{a, now.Add(recheckRefused - time.Second), true},
		{refusal{1, 11}, now, false}, // another user
		{b, now.Add(30 * time.Second), true},
		{b, now.Add(time.Minute), false}, // allowed from then on
		{a, now.Add(recheckRefused), false},
	} {
		if got := u.refused(tt.id, tt.at); got != tt.want {
			t.Errorf("refused(%v, +%s) = %v, want %v", tt.id, tt.at.Sub(now), got, tt.want)
		}
	}
}
