package selfservice

import (
	"context"
	"fmt"
	"time"

	"accord/internal/date"
	"accord/internal/sqlstore"
)

// redactSpan is how far back sign-in codes are redacted: the nightly step
// runs daily, so two days reach every code since the last run.
const redactSpan = 48 * time.Hour

// Sweep removes expired and idle portal sessions and redacts the sign-in
// codes that can no longer be used from the outbox (see
// sqlstore.RedactPortalCodes). It returns the counts.
func (s *Service) Sweep(ctx context.Context) (map[string]int, error) {
	now := s.now()
	out := map[string]int{}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		n, err := tx.RedactPortalCodes(ctx, now, now.Add(-redactSpan))
		if err != nil {
			return err
		}
		m, err := tx.DeleteExpiredPortalSessions(ctx, now, now.Add(-s.pol.SessionIdle))
		out["codes_redacted"], out["sessions_removed"] = int(n), int(m)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sweep portal: %w", err)
	}
	return out, nil
}

// Nightly is the portal's step of the nightly run (collect.UseNightly).
func (s *Service) Nightly() Step { return Step{s} }

// Step is the portal's nightly step: Sweep. It is idempotent.
type Step struct{ s *Service }

// Name names the step in the run summary.
func (Step) Name() string { return "portal" }

// RunNightly sweeps the portal's sessions and codes.
func (st Step) RunNightly(ctx context.Context, _ date.Date) (map[string]int, error) {
	return st.s.Sweep(ctx)
}
