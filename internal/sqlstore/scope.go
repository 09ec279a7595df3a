package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/casework"
)

// Scope is the part of the book a user may reach, applied in SQL by every
// read a user makes (lists through their filter's Scope, single records
// through CaseInScope and BorrowerInScope). The use-case layer derives it
// from the user (collect.Service.Scope).
//
//   - All reaches everything (supervisors, admins, compliance, auditors).
//   - Otherwise a case is in scope when Owner (a collector or an agency)
//     owns it, or when one of its open tasks is assigned to Owner or waits
//     unassigned in one of Queues (the queues a collector works).
//   - A borrower, and with them their loans, payments, registered contacts
//     and messages, is in scope when one of their open cases is.
//
// The zero Scope reaches nothing.
type Scope struct {
	All    bool
	Owner  casework.Owner
	Queues []string
}

// ScopeAll reaches every record.
var ScopeAll = Scope{All: true}

// None reports whether s reaches nothing at all.
func (s Scope) None() bool { return !s.All && s.Owner.IsZero() }

// caseCond returns the condition selecting the cases (table alias c) in s;
// "" when s reaches all of them. The task part is correlated, so that a
// check of one case or borrower costs a few index lookups (tasks_open_case),
// not a scan of the open tasks.
func (s Scope) caseCond(c string) (string, []any) {
	switch {
	case s.All:
		return "", nil
	case s.None():
		return "1 = 0", nil
	}
	kind, id := string(s.Owner.Kind), s.Owner.ID
	task := "t.assignee_kind = ? AND t.assignee_id = ?"
	args := []any{kind, id, kind, id}
	if len(s.Queues) > 0 {
		task = "(" + task + " OR t.assignee_kind = '' AND t.queue IN (" + placeholders(len(s.Queues)) + "))"
		for _, q := range s.Queues {
			args = append(args, q)
		}
	}
	return "(" + c + ".owner_kind = ? AND " + c + ".owner_id = ? OR EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = " + c +
		".id AND t.status = 'open' AND " + task + "))", args
}

// borrowerCond returns the condition selecting the borrower ids (column
// col) in s; "" when s reaches all of them. It looks up the borrower's one
// open case (cases_open_borrower).
func (s Scope) borrowerCond(col string) (string, []any) {
	cond, args := s.caseCond("sc")
	if cond == "" || s.None() {
		return cond, args
	}
	return "EXISTS (SELECT 1 FROM cases sc WHERE sc.borrower_id = " + col + " AND sc.status = 'open' AND " + cond + ")", args
}

// addScope adds the borrower condition of s (when set) on column col to w.
func (w *where) addScope(s *Scope, col string) {
	if s == nil {
		return
	}
	if cond, args := s.borrowerCond(col); cond != "" {
		w.add(cond, args...)
	}
}

// addCaseScope adds the case condition of s (when set) on alias c to w.
func (w *where) addCaseScope(s *Scope, c string) {
	if s == nil {
		return
	}
	if cond, args := s.caseCond(c); cond != "" {
		w.add(cond, args...)
	}
}

// CaseInScope reports whether case id exists and is in s.
func (tx *Tx) CaseInScope(ctx context.Context, s Scope, id int64) (bool, error) {
	var w where
	w.add("c.id = ?", id)
	w.addCaseScope(&s, "c")
	return tx.exists(ctx, "SELECT COUNT(*) FROM cases c"+w.String(), w.args)
}

// BorrowerInScope reports whether borrower id exists and is in s.
func (tx *Tx) BorrowerInScope(ctx context.Context, s Scope, id int64) (bool, error) {
	var w where
	w.add("b.id = ?", id)
	w.addScope(&s, "b.id")
	return tx.exists(ctx, "SELECT COUNT(*) FROM borrowers b"+w.String(), w.args)
}

func (tx *Tx) exists(ctx context.Context, query string, args []any) (bool, error) {
	var n int
	if err := tx.get(ctx, "Scope", query, args, &n); err != nil {
		return false, fmt.Errorf("check scope: %w", err)
	}
	return n > 0, nil
}
