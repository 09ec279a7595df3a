package collect

import (
	"context"
	"encoding/json"
	"fmt"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// recordRun runs fn, the nightly run for asOf, between two rows of the runs
// table: running before, then ok with the summary, or failed with the
// error and the summary of what it did. A crash leaves the run running,
// which is what it was. A run that cannot be recorded as started does not
// start; one whose end cannot be recorded returns that error too.
func (s *Service) recordRun(ctx context.Context, asOf date.Date, fn func() (RunSummary, error)) (RunSummary, error) {
	if err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		_, err := tx.StartRun(ctx, asOf)
		return err
	}); err != nil {
		return RunSummary{}, fmt.Errorf("record run %s: %w", asOf, err)
	}
	sum, runErr := fn()
	raw, err := json.Marshal(sum)
	if err != nil {
		raw = nil
	}
	// Record the end even when ctx was cancelled: that is why it failed.
	ctx = context.WithoutCancel(ctx)
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if runErr != nil {
			return tx.FailRun(ctx, asOf, raw, runErr.Error())
		}
		return tx.FinishRun(ctx, asOf, raw)
	})
	if runErr != nil {
		return sum, runErr
	}
	if err != nil {
		return sum, fmt.Errorf("record run %s: %w", asOf, err)
	}
	return sum, nil
}

// Runs returns the latest nightly runs, newest first, at most limit.
func (s *Service) Runs(ctx context.Context, by Actor, limit int) ([]sqlstore.Run, error) {
	if !by.User.Can(auth.PermDashboardRead) {
		return nil, errs.Errorf(errs.Forbidden, "Your role may not read the nightly runs.")
	}
	var out []sqlstore.Run
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, err = tx.Runs(ctx, limit)
		return err
	})
	return out, err
}
