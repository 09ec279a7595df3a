package collect

import (
	"slices"
	"sync"
	"testing"

	"accord/internal/auth"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// TestNextCase_ConcurrentPresses: many presses of "Get next case" on one
// queue at once (the agents of an agency share theirs; a collector may
// have two tabs) never hand out a case twice, never one whose borrower may
// not be called now (here: asked collectors to stop, under the US
// profile), and between them hand out every case that may be called —
// then the queue answers that the cases left may not be called now. On
// both engines.
func TestNextCase_ConcurrentPresses(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 600)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		if err := e.svc.ActivateProfile(cwCtx, e.as(auth.Admin), compliance.US); err != nil {
			t.Fatal(err)
		}
		wb, err := e.svc.Workbench(cwCtx, col, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var more []int64 // a longer queue
		for _, c := range e.openCases(t) {
			if c.Owner != wb.Owner && len(more) < 30 {
				more = append(more, c.ID)
			}
		}
		if _, err := e.svc.ReassignCases(cwCtx, e.as(auth.Supervisor), Reassignment{CaseIDs: more, To: wb.Owner, Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		var queue []sqlstore.CaseRef
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			queue, err = tx.NextCaseCandidates(cwCtx, wb.Owner, cwStart, 1000, 0)
			return err
		})
		if len(queue) < 20 {
			t.Fatalf("queue of %d cases", len(queue))
		}
		// Every third borrower (from the top of the queue) asked collectors to stop.
		stop := map[int64]bool{} // borrower ids
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			for i, c := range queue {
				if i%3 != 0 || stop[c.BorrowerID] {
					continue
				}
				stop[c.BorrowerID] = true
				b, err := tx.Borrower(cwCtx, c.BorrowerID)
				if err != nil {
					return err
				}
				flags := append(slices.Clone(b.Flags), compliance.FlagCease)
				if _, err := tx.UpdateBorrower(cwCtx, c.BorrowerID, sqlstore.BorrowerUpdate{Flags: &flags}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		ceased, callable := map[int64]bool{}, map[int64]bool{} // case ids
		for _, c := range queue {
			if stop[c.BorrowerID] {
				ceased[c.ID] = true
			} else {
				callable[c.ID] = true
			}
		}

		var (
			mu   sync.Mutex
			got  = map[int64]int{}
			wg   sync.WaitGroup
			ends = map[string]int{}
		)
		for range 24 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					id, err := e.svc.NextCase(cwCtx, col)
					mu.Lock()
					if err == nil {
						got[id]++
					}
					mu.Unlock()
					if err != nil {
						mu.Lock()
						ends[err.Error()]++
						mu.Unlock()
						if errs.CodeOf(err) != errs.NotFound {
							t.Errorf("NextCase: %v", err)
						}
						return
					}
				}
			}()
		}
		wg.Wait()
		for id, n := range got {
			if n > 1 {
				t.Errorf("case %d handed out %d times", id, n)
			}
			if ceased[id] {
				t.Errorf("case %d handed out though its borrower asked collectors to stop", id)
			}
			if !callable[id] {
				t.Errorf("case %d handed out is not in the queue", id)
			}
		}
		for id := range callable {
			if got[id] == 0 {
				t.Errorf("case %d, which may be called, was never handed out", id)
			}
		}
		if _, err := e.svc.NextCase(cwCtx, col); err != ErrNoContactableCase {
			t.Errorf("after the burst: %v, want ErrNoContactableCase (the ceased borrowers' cases are left)", err)
		}
		worked := e.count(t, "SELECT COUNT(*) FROM cases WHERE owner_kind = ? AND owner_id = ? AND worked_on = ?",
			string(wb.Owner.Kind), wb.Owner.ID, cwStart)
		if worked != len(got) {
			t.Errorf("%d cases marked worked today, %d handed out", worked, len(got))
		}
		t.Logf("%d presses handed out %d cases of %d (%d ceased); presses ended with %v", 24, len(got), len(queue), len(ceased), ends)
	})
}
