package sqlstore

import (
	"context"
	"fmt"
	"sort"

	"accord/internal/date"
	"accord/internal/money"
)

// BucketTransition is a loan moving from one delinquency bucket to another on a
// date, with what it owed then: the raw material of roll rates.
type BucketTransition struct {
	LoanID      int64
	On          date.Date
	From, To    string
	Outstanding money.Amount
}

// SaveBucketTransitions records transitions; recording the same loan and date
// again replaces it, so a re-run of a night is harmless.
func (tx *Tx) SaveBucketTransitions(ctx context.Context, list []BucketTransition) error {
	const cols = 5
	per := min(tx.db.d.maxParams/cols, 1000)
	for start := 0; start < len(list); start += per {
		part := list[start:min(start+per, len(list))]
		args := make([]any, 0, len(part)*cols)
		for _, t := range part {
			args = append(args, t.LoanID, t.On, t.From, t.To, int64(t.Outstanding))
		}
		_, err := tx.exec(ctx, "INSERT INTO bucket_transitions (loan_id, on_date, from_bucket, to_bucket, outstanding_minor) VALUES "+
			rowsOf(len(part), cols)+` ON CONFLICT (loan_id, on_date) DO UPDATE SET from_bucket = excluded.from_bucket,
			to_bucket = excluded.to_bucket, outstanding_minor = excluded.outstanding_minor`, args...)
		if err != nil {
			return fmt.Errorf("save transitions: %w", err)
		}
	}
	return nil
}

// BucketTransitions returns the transitions on dates from through to, inclusive,
// ordered by date and loan.
func (tx *Tx) BucketTransitions(ctx context.Context, from, to date.Date) ([]BucketTransition, error) {
	rows, err := tx.query(ctx, `SELECT loan_id, on_date, from_bucket, to_bucket, outstanding_minor FROM bucket_transitions
		WHERE on_date >= ? AND on_date <= ? ORDER BY on_date, loan_id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("list transitions: %w", err)
	}
	defer rows.Close()
	var list []BucketTransition
	for rows.Next() {
		var t BucketTransition
		if err := rows.Scan(&t.LoanID, &t.On, &t.From, &t.To, &t.Outstanding); err != nil {
			return nil, fmt.Errorf("scan transition: %w", err)
		}
		list = append(list, t)
	}
	return list, interpretError(rows.Err())
}

// SnapshotRow is one bucket of the portfolio on a date.
type SnapshotRow struct {
	AsOf        date.Date
	Bucket      string
	Loans       int
	Outstanding money.Amount
	Overdue     money.Amount
}

// SaveSnapshot replaces the portfolio snapshot of asOf with rows (whose AsOf
// is set to asOf).
func (tx *Tx) SaveSnapshot(ctx context.Context, asOf date.Date, rows []SnapshotRow) error {
	if _, err := tx.exec(ctx, "DELETE FROM portfolio_snapshots WHERE as_of = ?", asOf); err != nil {
		return fmt.Errorf("delete snapshot %s: %w", asOf, err)
	}
	err := tx.insertRows(ctx, "INSERT INTO portfolio_snapshots (as_of, bucket, loans, outstanding_minor, overdue_minor) VALUES ",
		5, len(rows), func(i int, a []any) []any {
			r := rows[i]
			return append(a, asOf, r.Bucket, r.Loans, int64(r.Outstanding), int64(r.Overdue))
		})
	if err != nil {
		return fmt.Errorf("save snapshot %s: %w", asOf, err)
	}
	return nil
}

// Snapshots returns the snapshot rows of dates from through to, inclusive,
// ordered by date and bucket.
func (tx *Tx) Snapshots(ctx context.Context, from, to date.Date) ([]SnapshotRow, error) {
	rows, err := tx.query(ctx, `SELECT as_of, bucket, loans, outstanding_minor, overdue_minor FROM portfolio_snapshots
		WHERE as_of >= ? AND as_of <= ? ORDER BY as_of, bucket`, from, to)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	defer rows.Close()
	var list []SnapshotRow
	for rows.Next() {
		var r SnapshotRow
		if err := rows.Scan(&r.AsOf, &r.Bucket, &r.Loans, &r.Outstanding, &r.Overdue); err != nil {
			return nil, fmt.Errorf("scan snapshot: %w", err)
		}
		list = append(list, r)
	}
	return list, interpretError(rows.Err())
}

// Snapshot is the portfolio by delinquency bucket on a date.
type Snapshot struct {
	AsOf        date.Date
	Buckets     []SnapshotRow
	Loans       int
	Outstanding money.Amount
	Overdue     money.Amount
}

func snapshotOf(asOf date.Date, rows []SnapshotRow) Snapshot {
	s := Snapshot{AsOf: asOf, Buckets: rows}
	for _, r := range rows {
		s.Loans += r.Loans
		s.Outstanding += r.Outstanding
		s.Overdue += r.Overdue
	}
	return s
}

// SnapshotPortfolio computes the portfolio snapshot of asOf from the stored
// positions in one set-based query, saves it (replacing any for asOf) and
// returns it. Buckets come in the order of names, with empty ones included,
// then any other bucket found. Paid-off and settled loans are left out; a
// loan the nightly run never aged counts in names[0] with its principal
// outstanding and nothing overdue.
func (tx *Tx) SnapshotPortfolio(ctx context.Context, asOf date.Date, names []string) (Snapshot, error) {
	first := ""
	if len(names) > 0 {
		first = names[0]
	}
	rows, err := tx.query(ctx, `SELECT COALESCE(p.bucket, ?), COUNT(*),
		CAST(SUM(COALESCE(p.outstanding_principal_minor, l.principal_minor)) AS BIGINT),
		CAST(SUM(COALESCE(p.overdue_principal_minor + p.overdue_interest_minor + p.penalty_due_minor + p.fees_due_minor, 0)) AS BIGINT)
		FROM loans l LEFT JOIN loan_positions p ON p.loan_id = l.id
		WHERE l.status NOT IN ('paid_off', 'settled') GROUP BY 1`, first)
	if err != nil {
		return Snapshot{}, fmt.Errorf("compute snapshot %s: %w", asOf, err)
	}
	found := map[string]SnapshotRow{}
	for rows.Next() {
		r := SnapshotRow{AsOf: asOf}
		if err := rows.Scan(&r.Bucket, num(&r.Loans), num(&r.Outstanding), num(&r.Overdue)); err != nil {
			rows.Close()
			return Snapshot{}, fmt.Errorf("scan snapshot: %w", err)
		}
		found[r.Bucket] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Snapshot{}, interpretError(err)
	}
	var out []SnapshotRow
	for _, name := range names {
		r, ok := found[name]
		if !ok {
			r = SnapshotRow{AsOf: asOf, Bucket: name}
		}
		out = append(out, r)
		delete(found, name)
	}
	rest := make([]string, 0, len(found))
	for name := range found {
		rest = append(rest, name)
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, found[name])
	}
	if err := tx.SaveSnapshot(ctx, asOf, out); err != nil {
		return Snapshot{}, err
	}
	return snapshotOf(asOf, out), nil
}

// LatestSnapshot returns the newest saved snapshot. It returns a NotFound
// error if there is none (the nightly run has never run).
func (tx *Tx) LatestSnapshot(ctx context.Context) (Snapshot, error) {
	var asOf date.Date
	if err := tx.get(ctx, "Portfolio snapshot", "SELECT MAX(as_of) FROM portfolio_snapshots", nil, &asOf); err != nil {
		return Snapshot{}, err
	}
	if asOf.IsZero() {
		return Snapshot{}, notFound("Portfolio snapshot")
	}
	rows, err := tx.Snapshots(ctx, asOf, asOf)
	return snapshotOf(asOf, rows), err
}
