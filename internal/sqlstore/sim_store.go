package sqlstore

import (
	"context"
	"fmt"
	"os"

	"accord/internal/casework"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// What `accord simulate` needs beyond the nightly run's methods.

// CopyTo writes a consistent copy of a SQLite database to path (VACUUM
// INTO), which must not exist, so that a simulation can run on the copy
// and never touch the live data. It returns an Invalid error on PostgreSQL,
// whose copies are made with pg_dump or a template database instead.
func (db *DB) CopyTo(ctx context.Context, path string) error {
	if db.d.engine != SQLite {
		return errs.Errorf(errs.Invalid, "Copying a PostgreSQL database is not supported here; use pg_dump, or a database created from a template.")
	}
	if _, err := os.Stat(path); err == nil {
		return errs.Errorf(errs.Conflict, "%s already exists.", path)
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("copy database to %s: %w", path, interpretError(err))
	}
	return nil
}

// DueLoan is an active loan with an installment falling due on a date.
type DueLoan struct {
	LoanID, BorrowerID int64
	Amount             money.Amount // the installment's principal and interest
}

// LoansDue returns the active (current) loans whose next due date is on,
// with the amount of that installment, in loan id order.
func (tx *Tx) LoansDue(ctx context.Context, on date.Date) ([]DueLoan, error) {
	rows, err := tx.query(ctx, `SELECT l.id, l.borrower_id, i.principal_minor + i.interest_minor FROM loans l
		JOIN installments i ON i.loan_id = l.id AND i.due_date = l.next_due
		WHERE l.next_due = ? AND l.status = 'active' ORDER BY l.id`, on)
	if err != nil {
		return nil, fmt.Errorf("loans due on %s: %w", on, err)
	}
	defer rows.Close()
	var out []DueLoan
	for rows.Next() {
		var d DueLoan
		if err := rows.Scan(num(&d.LoanID), num(&d.BorrowerID), num(&d.Amount)); err != nil {
			return nil, fmt.Errorf("scan due loan: %w", err)
		}
		out = append(out, d)
	}
	return out, interpretError(rows.Err())
}

// CallItem is an open call or negotiation task with what a collector
// working their queue sees of its case.
type CallItem struct {
	TaskID, CaseID, BorrowerID int64
	Assignee                   casework.Owner
	Priority                   int
	EV                         money.Amount
}

// CallList returns every open call and negotiation task assigned to
// someone, by assignee, then as a collector works them: priority first,
// then the case's expected value.
func (tx *Tx) CallList(ctx context.Context) ([]CallItem, error) {
	rows, err := tx.query(ctx, `SELECT t.id, t.case_id, t.borrower_id, t.assignee_kind, t.assignee_id, t.priority, c.ev_minor
		FROM tasks t JOIN cases c ON c.id = t.case_id
		WHERE t.status = 'open' AND t.kind IN ('call', 'negotiation') AND t.assignee_id <> 0 AND c.status = 'open'
		ORDER BY t.assignee_kind, t.assignee_id, t.priority, c.ev_minor DESC, t.case_id`)
	if err != nil {
		return nil, fmt.Errorf("call list: %w", err)
	}
	defer rows.Close()
	var out []CallItem
	for rows.Next() {
		var c CallItem
		var kind string
		if err := rows.Scan(num(&c.TaskID), num(&c.CaseID), num(&c.BorrowerID), &kind, num(&c.Assignee.ID), num(&c.Priority),
			num(&c.EV)); err != nil {
			return nil, fmt.Errorf("scan call: %w", err)
		}
		c.Assignee.Kind = casework.OwnerKind(kind)
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// CaseMark is the few numbers of a case a simulation follows.
type CaseMark struct {
	ID, BorrowerID, StrategyID int64
	Arm, Segment               string
	Status, CloseReason        string
	OpenedOn, ClosedOn         date.Date
	BucketRank, MaxBucketRank  int
	DPD                        int
	Overdue                    money.Amount
	Recovered, Cost            money.Amount
	Attempts                   int
	PromiseDue                 date.Date
	PromiseAmount              money.Amount
	WorstLoanID                int64
	Owner                      casework.Owner
}

// CaseMarks calls fn with every case open now or opened or closed on or
// after since, in id order.
func (tx *Tx) CaseMarks(ctx context.Context, since date.Date, fn func(CaseMark) error) error {
	rows, err := tx.query(ctx, `SELECT c.id, c.borrower_id, c.strategy_id, c.arm, c.segment, c.status, c.close_reason, c.opened_on,
		c.closed_on, c.bucket_rank, c.max_bucket_rank, c.dpd, c.overdue_minor, c.recovered_minor, c.cost_minor, c.attempts,
		c.promise_due, c.promise_amount_minor, c.owner_kind, c.owner_id,
		COALESCE((SELECT cl.loan_id FROM case_loans cl JOIN loan_positions p ON p.loan_id = cl.loan_id WHERE cl.case_id = c.id
			ORDER BY p.dpd DESC, cl.loan_id LIMIT 1), 0)
		FROM cases c WHERE c.status = 'open' OR c.opened_on >= ? OR c.closed_on >= ? ORDER BY c.id`, since, since)
	if err != nil {
		return fmt.Errorf("case marks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m CaseMark
		var kind string
		if err := rows.Scan(num(&m.ID), num(&m.BorrowerID), num(&m.StrategyID), &m.Arm, &m.Segment, &m.Status, &m.CloseReason,
			&m.OpenedOn, &m.ClosedOn, num(&m.BucketRank), num(&m.MaxBucketRank), num(&m.DPD), num(&m.Overdue), num(&m.Recovered),
			num(&m.Cost), num(&m.Attempts), &m.PromiseDue, num(&m.PromiseAmount), &kind, num(&m.Owner.ID), num(&m.WorstLoanID)); err != nil {
			return fmt.Errorf("scan case mark: %w", err)
		}
		m.Owner.Kind = casework.OwnerKind(kind)
		if err := fn(m); err != nil {
			return err
		}
	}
	return interpretError(rows.Err())
}
