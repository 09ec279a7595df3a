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
