package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"accord/internal/date"
	"accord/internal/money"
)

// The queries behind the collections dashboard. They aggregate inside the
// database and return small results.

// TransitionCell is how many loans started a period in bucket From and
// ended it in bucket To (by their first and last bucket transitions in the
// period), with what they owed at the end.
type TransitionCell struct {
	From, To    string
	Loans       int
	Outstanding money.Amount
}

// TransitionMatrix returns, for the loans that changed bucket between from
// and to inclusive, where each started and where it ended. Loans that did
// not move are not counted; the dashboard takes them from the snapshots.
func (tx *Tx) TransitionMatrix(ctx context.Context, from, to date.Date) ([]TransitionCell, error) {
	rows, err := tx.query(ctx, `SELECT f.from_bucket, l.to_bucket, COUNT(*), CAST(SUM(l.outstanding_minor) AS BIGINT)
		FROM (SELECT loan_id, from_bucket, ROW_NUMBER() OVER (PARTITION BY loan_id ORDER BY on_date) AS rn
			FROM bucket_transitions WHERE on_date >= ? AND on_date <= ?) f
		JOIN (SELECT loan_id, to_bucket, outstanding_minor, ROW_NUMBER() OVER (PARTITION BY loan_id ORDER BY on_date DESC) AS rn
			FROM bucket_transitions WHERE on_date >= ? AND on_date <= ?) l ON l.loan_id = f.loan_id AND l.rn = 1
		WHERE f.rn = 1 GROUP BY f.from_bucket, l.to_bucket ORDER BY f.from_bucket, l.to_bucket`, from, to, from, to)
	if err != nil {
		return nil, fmt.Errorf("transition matrix: %w", err)
	}
	defer rows.Close()
	var out []TransitionCell
	for rows.Next() {
		var c TransitionCell
		if err := rows.Scan(&c.From, &c.To, num(&c.Loans), num(&c.Outstanding)); err != nil {
			return nil, fmt.Errorf("scan transition cell: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// CaseFlow counts cases over a period: open at its start, opened, closed
// cured, closed otherwise (settled, charged off).
type CaseFlow struct {
	From, To    date.Date
	OpenAtStart int
	Opened      int
	Cured       int
	ClosedOther int
}

// CaseFlow returns the case counts of the period from to to, inclusive.
func (tx *Tx) CaseFlow(ctx context.Context, from, to date.Date) (CaseFlow, error) {
	f := CaseFlow{From: from, To: to}
	err := tx.get(ctx, "Case flow", `SELECT
		COUNT(CASE WHEN opened_on < ? AND (closed_on IS NULL OR closed_on >= ?) THEN 1 END),
		COUNT(CASE WHEN opened_on >= ? AND opened_on <= ? THEN 1 END),
		COUNT(CASE WHEN closed_on >= ? AND closed_on <= ? AND close_reason = 'cured' THEN 1 END),
		COUNT(CASE WHEN closed_on >= ? AND closed_on <= ? AND close_reason <> 'cured' THEN 1 END)
		FROM cases WHERE opened_on <= ? AND (closed_on IS NULL OR closed_on >= ?)`,
		[]any{from, from, from, to, from, to, from, to, to, from}, num(&f.OpenAtStart), num(&f.Opened), num(&f.Cured), num(&f.ClosedOther))
	return f, err
}

// Collected is an amount collected on cases in a period, for one group.
type Collected struct {
	Key      string       // the bucket, or "collector"/"agency" with OwnerID, or the team id
	OwnerID  int64        // the collector, agency or team id
	Payments int          // how many payments
	Amount   money.Amount // their total
}

// The groupings of CollectedBy.
const (
	ByBucket = "bucket"
	ByOwner  = "owner"
	ByTeam   = "team"
)

// CollectedBy totals the payments attributed to cases with paid_on from
// from to to, inclusive, grouped by bucket, owner or team.
func (tx *Tx) CollectedBy(ctx context.Context, from, to date.Date, by string) ([]Collected, error) {
	var cols, group string
	switch by {
	case ByBucket:
		cols, group = "bucket, 0", "bucket"
	case ByOwner:
		cols, group = "owner_kind, owner_id", "owner_kind, owner_id"
	case ByTeam:
		cols, group = "'team', team_id", "team_id"
	default:
		return nil, fmt.Errorf("collected by %q: unknown grouping", by)
	}
	rows, err := tx.query(ctx, "SELECT "+cols+`, COUNT(*), CAST(SUM(amount_minor) AS BIGINT) FROM case_payments
		WHERE paid_on >= ? AND paid_on <= ? GROUP BY `+group+" ORDER BY 4 DESC", from, to)
	if err != nil {
		return nil, fmt.Errorf("collected by %s: %w", by, err)
	}
	defer rows.Close()
	var out []Collected
	for rows.Next() {
		var c Collected
		if err := rows.Scan(&c.Key, num(&c.OwnerID), num(&c.Payments), num(&c.Amount)); err != nil {
			return nil, fmt.Errorf("scan collected: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// InspectRows runs a query written with ? placeholders and returns its rows
// unscanned, as Inspect does for one row: for tests that compare what is
// stored, such as the nightly run's crash test.
func (tx *Tx) InspectRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.db.d.rebind(query), args...)
}
