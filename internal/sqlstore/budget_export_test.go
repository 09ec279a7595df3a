package sqlstore

import (
	"context"
	"fmt"
)

// TeamBudgetQueries are the SQL of TeamOutstanding and TeamConcessions,
// for the query-plan test.
var TeamBudgetQueries = map[string]string{"TeamOutstanding": teamOutstandingSQL, "TeamConcessions": teamConcessionsSQL}

// ExplainSQLite returns SQLite's query plan of query, one line a step.
func (tx *Tx) ExplainSQLite(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, fmt.Errorf("scan plan: %w", err)
		}
		out = append(out, detail)
	}
	return out, rows.Err()
}
