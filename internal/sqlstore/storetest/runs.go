package storetest

import (
	"encoding/json"
	"testing"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// testRunStatus: a run is running until it finishes ok or fails with its
// error and partial summary; restarting it clears the error.
func testRunStatus(t *testing.T, db *sqlstore.DB) {
	d1, d2 := date.MustParse("2026-05-01"), date.MustParse("2026-05-02")
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.StartRun(ctx, d1); err != nil {
			return err
		}
		_, err := tx.StartRun(ctx, d2)
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		r, err := tx.Run(ctx, d1)
		if r.Status != sqlstore.RunRunning || r.Error != "" || !r.FinishedAt.IsZero() {
			t.Errorf("started run = %+v", r)
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.FailRun(ctx, d1, json.RawMessage(`{"touched":7}`), "casework: disk full"); err != nil {
			return err
		}
		wantCode(t, tx.FailRun(ctx, date.MustParse("2020-01-01"), nil, "x"), errs.NotFound)
		return tx.FinishRun(ctx, d2, json.RawMessage(`{"touched":9}`))
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		runs, err := tx.Runs(ctx, 10)
		if len(runs) < 2 || runs[0].AsOf != d2 || runs[1].AsOf != d1 {
			t.Fatalf("Runs = %+v, %v", runs, err)
		}
		if r := runs[1]; r.Status != sqlstore.RunFailed || r.Error != "casework: disk full" || r.FinishedAt.IsZero() ||
			string(r.Summary) != `{"touched":7}` {
			t.Errorf("failed run = %+v", r)
		}
		if r := runs[0]; r.Status != sqlstore.RunOK || r.Error != "" || string(r.Summary) != `{"touched":9}` {
			t.Errorf("finished run = %+v", r)
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		prev, err := tx.StartRun(ctx, d1)
		if prev.Status != sqlstore.RunFailed {
			t.Errorf("StartRun returned the previous run %+v", prev)
		}
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		r, err := tx.Run(ctx, d1)
		if r.Status != sqlstore.RunRunning || r.Error != "" || !r.FinishedAt.IsZero() {
			t.Errorf("restarted failed run = %+v", r)
		}
		return err
	})
}
