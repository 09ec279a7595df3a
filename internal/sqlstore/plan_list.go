package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/date"
	"accord/internal/plan"
)

// PlanFilter selects plans for the console's plan book.
type PlanFilter struct {
	// Scope, when set, keeps the plans whose case is in it.
	Scope *Scope
	// Statuses keeps the plans in one of them; empty keeps all.
	Statuses []plan.Status
	// Limit caps the list (DefaultLimit when 0, at most MaxLimit).
	Limit int
}

// ListPlans returns the plans f selects, in id order, with their loans and
// schedules.
func (tx *Tx) ListPlans(ctx context.Context, f PlanFilter) ([]PlanRow, error) {
	var w where
	if len(f.Statuses) > 0 {
		args := make([]any, len(f.Statuses))
		for i, s := range f.Statuses {
			args[i] = string(s)
		}
		w.add("status IN ("+placeholders(len(args))+")", args...)
	}
	if f.Scope != nil {
		if cond, args := f.Scope.caseCond("c"); cond != "" {
			w.add("EXISTS (SELECT 1 FROM cases c WHERE c.id = plans.case_id AND "+cond+")", args...)
		}
	}
	cond := "1 = 1"
	if len(w.conds) > 0 {
		cond = w.String()[len(" WHERE "):]
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	return tx.plansWhere(ctx, cond+" ORDER BY id LIMIT ?", append(w.args, limit)...)
}

// RevisitTasks returns the open tasks of kind (the plan revisit kind) due
// from from to to inclusive whose case is in s (when set), by due date.
func (tx *Tx) RevisitTasks(ctx context.Context, s *Scope, kind string, from, to date.Date) ([]Task, error) {
	var w where
	w.add("rt.kind = ? AND rt.status = 'open' AND rt.due_on >= ? AND rt.due_on <= ?", kind, from, to)
	if s != nil {
		if cond, args := s.caseCond("c"); cond != "" {
			w.add("EXISTS (SELECT 1 FROM cases c WHERE c.id = rt.case_id AND "+cond+")", args...)
		}
	}
	rows, err := tx.query(ctx, "SELECT "+prefixed(taskCols, "rt")+" FROM tasks rt"+w.String()+" ORDER BY rt.due_on, rt.id LIMIT ?",
		append(w.args, MaxLimit)...)
	if err != nil {
		return nil, fmt.Errorf("list revisit tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("scan task: %w", err)
		}
		out = append(out, t)
	}
	return out, interpretError(rows.Err())
}

// PlanCount is how many plans a case owner has in one status.
type PlanCount struct {
	OwnerKind string
	OwnerID   int64
	Status    plan.Status
	Plans     int
}

// PlanCountsByOwner counts the plans by the current owner of their case
// and status. A superseded plan counts as broken when it broke before a new
// agreement replaced it (a renegotiation does not hide a break), and not at
// all otherwise (an adjusted plan replaced one being kept).
func (tx *Tx) PlanCountsByOwner(ctx context.Context) ([]PlanCount, error) {
	const status = `CASE WHEN p.status = 'superseded' THEN 'broken' ELSE p.status END`
	rows, err := tx.query(ctx, `SELECT c.owner_kind, c.owner_id, `+status+`, COUNT(*) FROM plans p JOIN cases c ON c.id = p.case_id
		WHERE p.status <> 'superseded' OR p.broken_on IS NOT NULL
		GROUP BY c.owner_kind, c.owner_id, `+status+` ORDER BY c.owner_kind, c.owner_id, `+status)
	if err != nil {
		return nil, fmt.Errorf("count plans: %w", err)
	}
	defer rows.Close()
	var out []PlanCount
	for rows.Next() {
		var c PlanCount
		if err := rows.Scan(&c.OwnerKind, num(&c.OwnerID), &c.Status, num(&c.Plans)); err != nil {
			return nil, fmt.Errorf("scan plan count: %w", err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// PlanRecovery is what was paid under plans of one offer kind.
type PlanRecovery struct {
	Kind     string
	Payments int
	Amount   int64 // fen
}

// PlanRecoveryByKind sums the payments made under plans, paid from from
// to to inclusive, by the plans' offer kind: payments on a plan's loans
// with an id above its AfterPaymentID, not reversed; for a superseded plan
// only those up to the next plan's AfterPaymentID (the payments made under
// it before it was replaced; the later ones are the next plan's).
func (tx *Tx) PlanRecoveryByKind(ctx context.Context, from, to date.Date) ([]PlanRecovery, error) {
	rows, err := tx.query(ctx, `SELECT p.offer_kind, COUNT(*), CAST(COALESCE(SUM(pay.amount_minor), 0) AS BIGINT) FROM plans p
		JOIN plan_loans pl ON pl.plan_id = p.id
		JOIN payments pay ON pay.loan_id = pl.loan_id AND pay.id > p.after_payment_id AND NOT pay.reversed
		WHERE (p.status <> 'superseded' OR pay.id <= (SELECT MIN(p2.after_payment_id) FROM plans p2
			JOIN plan_loans pl2 ON pl2.plan_id = p2.id WHERE pl2.loan_id = pl.loan_id AND p2.id > p.id))
		AND pay.paid_on >= ? AND pay.paid_on <= ?
		GROUP BY p.offer_kind ORDER BY p.offer_kind`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sum plan payments: %w", err)
	}
	defer rows.Close()
	var out []PlanRecovery
	for rows.Next() {
		var r PlanRecovery
		if err := rows.Scan(&r.Kind, num(&r.Payments), num(&r.Amount)); err != nil {
			return nil, fmt.Errorf("scan plan recovery: %w", err)
		}
		out = append(out, r)
	}
	return out, interpretError(rows.Err())
}
