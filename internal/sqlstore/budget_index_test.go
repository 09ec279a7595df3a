package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestTeamBudgetQueriesUseCoveringIndexes: the two sums every approval
// with a concession reads (a team's outstanding balance and its
// concessions this month) are answered from the covering indexes of
// migration 00023 on SQLite, not by a row fetch per case or offer. (On
// PostgreSQL the planner's choice depends on table statistics, so the
// plan is checked on SQLite only; both trees create the same indexes.)
func TestTeamBudgetQueriesUseCoveringIndexes(t *testing.T) {
	t.Parallel()
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	want := map[string]string{"TeamOutstanding": "USING COVERING INDEX cases_open_owner_balance",
		"TeamConcessions": "USING COVERING INDEX negotiation_offers_budget"}
	args := map[string][]any{"TeamOutstanding": {1}, "TeamConcessions": {1, "2026-03-01", "2026-04-01"}}
	err := db.Read(ctx, func(tx *sqlstore.Tx) error {
		for name, q := range sqlstore.TeamBudgetQueries {
			plan, err := tx.ExplainSQLite(ctx, q, args[name]...)
			if err != nil {
				return err
			}
			if got := strings.Join(plan, " | "); !strings.Contains(got, want[name]) {
				t.Errorf("%s: plan %q does not use %q", name, got, want[name])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
