package collect

import (
	"context"
	"errors"
	"testing"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// TestRunBatch: the presses of a batch share one transaction; a press
// refused with a user-facing error (NotFound) leaves the others' claims to
// commit, while a database failure rolls the batch back and runs every
// press again in a transaction of its own, so that only the failing press
// gets the error and the others' claims are committed once. On both
// engines.
func TestRunBatch(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		cases := e.openCases(t)
		if len(cases) < 4 {
			t.Fatalf("%d open cases", len(cases))
		}
		for k, tt := range []struct {
			name      string
			failure   error
			wantRuns  [3]int // how many times each press ran
			wantError errs.Code
		}{
			{"refusal", errs.Errorf(errs.NotFound, "No more cases to work today."), [3]int{1, 1, 1}, errs.NotFound},
			{"database failure", errors.New("disk I/O error"), [3]int{2, 2, 1}, errs.Internal}, // the batch stops at the failure,
		} {
			a, b := cases[2*k].ID, cases[2*k+1].ID
			worked := func() int {
				return e.count(t, "SELECT COUNT(*) FROM cases WHERE id IN (?, ?) AND worked_on = ?", a, b, cwStart)
			}
			var runs [3]int
			var claimed [2]bool
			claim := func(i int, id int64) func(ctx context.Context, tx *sqlstore.Tx, _ *nextMemo) error {
				return func(ctx context.Context, tx *sqlstore.Tx, _ *nextMemo) error {
					runs[i]++
					var err error
					claimed[i/2], err = tx.ClaimCase(ctx, id, cwStart)
					return err
				}
			}
			batch := []*batchReq{
				{ctx: cwCtx, fn: claim(0, a)},
				{ctx: cwCtx, fn: func(context.Context, *sqlstore.Tx, *nextMemo) error { runs[1]++; return tt.failure }},
				{ctx: cwCtx, fn: claim(2, b)},
			}
			runBatch(cwCtx, e.db, batch)
			if batch[0].err != nil || batch[2].err != nil || errs.CodeOf(batch[1].err) != tt.wantError {
				t.Errorf("%s: errors %v, %v, %v; want nil, code %s, nil", tt.name, batch[0].err, batch[1].err, batch[2].err, tt.wantError)
			}
			if runs != tt.wantRuns {
				t.Errorf("%s: presses ran %v times, want %v", tt.name, runs, tt.wantRuns)
			}
			if !claimed[0] || !claimed[1] || worked() != 2 {
				t.Errorf("%s: claims %v, %d cases worked; want both claimed and committed", tt.name, claimed, worked())
			}
		}
	})
}
