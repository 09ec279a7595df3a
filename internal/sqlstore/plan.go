package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/offer"
	"accord/internal/plan"
)

// PlanRow is a stored plan: the plan as package plan sees it, where
// monitoring has got to, and how it came about.
type PlanRow struct {
	plan.Plan
	Status         plan.Status
	OfferID        string
	OfferKind      offer.Kind
	AfterPaymentID int64     // payments on the plan's loans with a larger id are plan payments
	CheckedOn      date.Date // the last date monitoring evaluated it
	LastRevisitOn  date.Date // the due date of the last revisit created
	BrokenOn       date.Date
	CompletedOn    date.Date
	ActivatedBy    string
	AcceptedAt     time.Time
	CreatedAt      time.Time
	// DebtAt is when the debt the plan finances was read (its offer's
	// proposal; the activation when zero, and for plans stored before
	// migration 00030: CreatedAt). A payment with an id up to
	// AfterPaymentID reversed after it is reinstated as owed
	// (PlanPayments gives it as a negative plan.Payment).
	DebtAt time.Time
}

const planCols = `id, borrower_id, agreement_id, case_id, offer_id, offer_kind, status, start_on, financed_minor,
	waived_principal_minor, waived_interest_minor, waived_penalty_minor, waived_fees_minor, conditional, pre_dpd, grace_days,
	reset_after, revisit_months, revisit_months_good, after_payment_id, checked_on, last_revisit_on, broken_on, completed_on,
	activated_by, accepted_at, created_at, debt_at`

func planDest(r *PlanRow, cond *string) []any {
	w := &r.Waived
	return []any{num(&r.ID), num(&r.BorrowerID), num(&r.AgreementID), num(&r.CaseID), &r.OfferID, &r.OfferKind, &r.Status,
		&r.Start, num(&r.Financed), num(&w.Principal), num(&w.Interest), num(&w.Penalty), num(&w.Fees), text{cond},
		num(&r.PreDPD), num(&r.Rules.GraceDays), num(&r.Rules.ResetAfter), num(&r.Rules.RevisitMonths),
		num(&r.Rules.RevisitMonthsGood), num(&r.AfterPaymentID), &r.CheckedOn, &r.LastRevisitOn, &r.BrokenOn,
		&r.CompletedOn, &r.ActivatedBy, instant{&r.AcceptedAt}, instant{&r.CreatedAt}, instant{&r.DebtAt}}
}

// CreatePlan stores r with its loans and schedule and sets its ID and
// CreatedAt; Status is active when empty. It returns a Conflict error when
// the agreement already has a plan.
func (tx *Tx) CreatePlan(ctx context.Context, r *PlanRow) error {
	if r.Status == "" {
		r.Status = plan.Active
	}
	cond, err := toJSON(r.Conditional)
	if err != nil {
		return err
	}
	r.CreatedAt = tx.now
	if r.AcceptedAt.IsZero() {
		r.AcceptedAt = tx.now
	}
	if r.DebtAt.IsZero() {
		r.DebtAt = tx.now
	}
	r.DebtAt = truncated(r.DebtAt)
	rules := r.Rules.WithDefaults()
	r.Rules = rules
	w := r.Waived
	err = tx.get(ctx, "Plan", `INSERT INTO plans (borrower_id, agreement_id, case_id, offer_id, offer_kind, status, start_on,
		financed_minor, waived_principal_minor, waived_interest_minor, waived_penalty_minor, waived_fees_minor, conditional,
		pre_dpd, grace_days, reset_after, revisit_months, revisit_months_good, after_payment_id, activated_by, accepted_at,
		created_at, updated_at, debt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{r.BorrowerID, r.AgreementID, r.CaseID, r.OfferID, string(r.OfferKind), string(r.Status), r.Start,
			int64(r.Financed), int64(w.Principal), int64(w.Interest), int64(w.Penalty), int64(w.Fees), cond, r.PreDPD,
			rules.GraceDays, rules.ResetAfter, rules.RevisitMonths, rules.RevisitMonthsGood, r.AfterPaymentID,
			r.ActivatedBy, ts(truncated(r.AcceptedAt)), ts(tx.now), ts(tx.now), ts(r.DebtAt)}, &r.ID)
	if err != nil {
		return fmt.Errorf("create plan for agreement %d: %w", r.AgreementID, err)
	}
	for i, id := range r.LoanIDs {
		if _, err := tx.exec(ctx, "INSERT INTO plan_loans (borrower_id, plan_id, loan_id, pos) VALUES (?, ?, ?, ?)",
			r.BorrowerID, r.ID, id, i); err != nil {
			return fmt.Errorf("add loan %d to plan %d: %w", id, r.ID, interpretError(err))
		}
	}
	if len(r.Schedule) == 0 {
		return nil
	}
	err = tx.insertRowsThen(ctx, "INSERT INTO plan_installments (borrower_id, plan_id, seq, due_on, amount_minor) VALUES ", "",
		5, len(r.Schedule), 500, func(i int, a []any) []any {
			in := r.Schedule[i]
			return append(a, r.BorrowerID, r.ID, in.Seq, in.Due, int64(in.Amount))
		})
	if err != nil {
		return fmt.Errorf("store schedule of plan %d: %w", r.ID, err)
	}
	return nil
}

// Plan returns plan id with its loans and schedule. It returns a NotFound
// error if there is none.
func (tx *Tx) Plan(ctx context.Context, id int64) (PlanRow, error) {
	rs, err := tx.plansWhere(ctx, "id = ?", id)
	if err != nil {
		return PlanRow{}, err
	}
	if len(rs) == 0 {
		return PlanRow{}, notFound(fmt.Sprintf("Plan %d", id))
	}
	return rs[0], nil
}

// PlanOfLoan returns the latest plan covering loan loanID. It returns a
// NotFound error if the loan was never restructured.
func (tx *Tx) PlanOfLoan(ctx context.Context, loanID int64) (PlanRow, error) {
	rs, err := tx.plansWhere(ctx, "id = (SELECT MAX(plan_id) FROM plan_loans WHERE loan_id = ?)", loanID)
	if err != nil {
		return PlanRow{}, err
	}
	if len(rs) == 0 {
		return PlanRow{}, notFound(fmt.Sprintf("Plan of loan %d", loanID))
	}
	return rs[0], nil
}

// PlansOfBorrower returns the borrower's plans, oldest first.
func (tx *Tx) PlansOfBorrower(ctx context.Context, borrowerID int64) ([]PlanRow, error) {
	return tx.plansWhere(ctx, "borrower_id = ?", borrowerID)
}

// OpenPlansChunk returns up to limit plans neither completed nor
// superseded with ids above
// afterID, in id order, with their loans and schedules: the nightly
// monitoring's read, chunked like AgingChunk.
func (tx *Tx) OpenPlansChunk(ctx context.Context, afterID int64, limit int) ([]PlanRow, error) {
	limit = max(1, min(limit, 10000))
	return tx.plansWhere(ctx, "status NOT IN ('completed', 'superseded') AND id > ? ORDER BY id LIMIT ?", afterID, limit)
}

// BrokenPlansWithout returns the plans broken on or after since that have
// no plan event of kind (e.g. the owner's task placed on an open case),
// oldest first, at most limit.
func (tx *Tx) BrokenPlansWithout(ctx context.Context, kind string, since date.Date, limit int) ([]PlanRow, error) {
	limit = max(1, min(limit, 10000))
	return tx.plansWhere(ctx, `status = 'broken' AND broken_on >= ? AND NOT EXISTS (SELECT 1 FROM plan_events e
		WHERE e.plan_id = plans.id AND e.kind = ?) ORDER BY id LIMIT ?`, since, kind, limit)
}

// plansWhere loads the plans matching cond (ordered by id unless cond
// orders them) with their loans and schedules.
func (tx *Tx) plansWhere(ctx context.Context, cond string, args ...any) ([]PlanRow, error) {
	q := "SELECT " + planCols + " FROM plans WHERE " + cond
	if !strings.Contains(cond, "ORDER BY") {
		q += " ORDER BY id"
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	var out []PlanRow
	for rows.Next() {
		var r PlanRow
		var cond string
		if err := rows.Scan(planDest(&r, &cond)...); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan plan: %w", err)
		}
		if r.DebtAt.IsZero() {
			r.DebtAt = r.CreatedAt // stored before migration 00030
		}
		if err := fromJSON(cond, &r.Conditional); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, interpretError(err)
	}
	return out, tx.planDetails(ctx, out)
}

// planDetails loads the loans and schedules of plans (in id order).
func (tx *Tx) planDetails(ctx context.Context, plans []PlanRow) error {
	ids := make([]int64, len(plans))
	at := make(map[int64]int, len(plans))
	for i, p := range plans {
		ids[i], at[p.ID] = p.ID, i
	}
	for start := 0; start < len(ids); start += 1000 {
		part := int64Args(ids[start:min(start+1000, len(ids))])
		rows, err := tx.query(ctx, "SELECT plan_id, loan_id FROM plan_loans WHERE plan_id IN ("+placeholders(len(part))+
			") ORDER BY plan_id, pos", part...)
		if err != nil {
			return fmt.Errorf("load plan loans: %w", err)
		}
		for rows.Next() {
			var pid, lid int64
			if err := rows.Scan(num(&pid), num(&lid)); err != nil {
				rows.Close()
				return fmt.Errorf("scan plan loan: %w", err)
			}
			plans[at[pid]].LoanIDs = append(plans[at[pid]].LoanIDs, lid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return interpretError(err)
		}
		rows, err = tx.query(ctx, "SELECT plan_id, seq, due_on, amount_minor FROM plan_installments WHERE plan_id IN ("+
			placeholders(len(part))+") ORDER BY plan_id, seq", part...)
		if err != nil {
			return fmt.Errorf("load plan schedules: %w", err)
		}
		for rows.Next() {
			var pid int64
			var in plan.Instalment
			if err := rows.Scan(num(&pid), num(&in.Seq), &in.Due, num(&in.Amount)); err != nil {
				rows.Close()
				return fmt.Errorf("scan plan instalment: %w", err)
			}
			plans[at[pid]].Schedule = append(plans[at[pid]].Schedule, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return interpretError(err)
		}
	}
	return nil
}

// PlanPayments returns the payments made under each of plans, by plan id:
// payments on the plan's loans with an id above its AfterPaymentID, not
// reversed. A payment dated before the plan's start (posted late with an
// earlier value date) counts as paid on the start. A payment the plan's
// debt counted (id up to AfterPaymentID) and reversed after DebtAt
// was never paid: it is given as a negative payment on the start, owed
// beside the schedule (plan.State.Reinstated).
func (tx *Tx) PlanPayments(ctx context.Context, plans []PlanRow) (map[int64][]plan.Payment, error) {
	out := make(map[int64][]plan.Payment, len(plans))
	byLoan := map[int64][]int{}
	var loans []int64
	// Payments at or below every plan's AfterPaymentID count for none of
	// them unless reversed: the query leaves them out (most of a loan's
	// history on a night of many plans).
	below := int64(-1)
	for i, p := range plans {
		if i == 0 || p.AfterPaymentID < below {
			below = p.AfterPaymentID
		}
		for _, l := range p.LoanIDs {
			if _, ok := byLoan[l]; !ok {
				loans = append(loans, l)
			}
			byLoan[l] = append(byLoan[l], i)
		}
	}
	for start := 0; start < len(loans); start += 1000 {
		part := int64Args(loans[start:min(start+1000, len(loans))])
		rows, err := tx.query(ctx, "SELECT id, loan_id, amount_minor, paid_on, reversed, reversed_at FROM payments WHERE loan_id IN ("+placeholders(len(part))+
			") AND (id > ? OR reversed) ORDER BY paid_on, id", append(part, max(below, 0))...)
		if err != nil {
			return nil, fmt.Errorf("load plan payments: %w", err)
		}
		for rows.Next() {
			var p ledger.Payment
			if err := rows.Scan(num(&p.ID), num(&p.LoanID), num(&p.Amount), &p.PaidOn, &p.Reversed, instant{&p.ReversedAt}); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan plan payment: %w", err)
			}
			for _, i := range byLoan[p.LoanID] {
				pl := plans[i]
				switch {
				case p.Reversed && p.ID <= pl.AfterPaymentID && p.ReversedAt.After(pl.DebtAt):
					// counted by the plan's debt, reversed since: owed again
					out[pl.ID] = append(out[pl.ID], plan.Payment{ID: p.ID, On: pl.Start, Amount: -p.Amount})
				case p.Reversed || p.ID <= pl.AfterPaymentID:
				default:
					out[pl.ID] = append(out[pl.ID], plan.Payment{ID: p.ID, On: max(p.PaidOn, pl.Start), Amount: p.Amount})
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, interpretError(err)
		}
	}
	return out, nil
}

// PlanUpdate is what monitoring writes back to a plan.
type PlanUpdate struct {
	Status        plan.Status
	CheckedOn     date.Date
	LastRevisitOn date.Date
	BrokenOn      date.Date
	CompletedOn   date.Date
}

// UpdatePlan writes u to plan id.
func (tx *Tx) UpdatePlan(ctx context.Context, id int64, u PlanUpdate) error {
	res, err := tx.exec(ctx, `UPDATE plans SET status = ?, checked_on = ?, last_revisit_on = ?, broken_on = ?, completed_on = ?,
		updated_at = ? WHERE id = ?`, string(u.Status), u.CheckedOn, u.LastRevisitOn, u.BrokenOn, u.CompletedOn, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("update plan %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("Plan %d", id))
}

// MarkPlanEvent records that monitoring did kind (with key, e.g. a date or
// an instalment) for plan p on the date on, and reports whether it is new:
// false when it was already recorded, so that the caller does it once.
func (tx *Tx) MarkPlanEvent(ctx context.Context, p PlanRow, kind, key string, on date.Date) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO plan_events (borrower_id, plan_id, kind, key, on_date, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (borrower_id, plan_id, kind, key) DO NOTHING`,
		p.BorrowerID, p.ID, kind, key, on, ts(tx.now))
	if err != nil {
		return false, fmt.Errorf("mark plan %d %s %s: %w", p.ID, kind, key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, interpretError(err)
}

// PlanEventCount returns how many events of kind plan id has recorded.
func (tx *Tx) PlanEventCount(ctx context.Context, planID int64, kind string) (int, error) {
	var n int
	err := tx.get(ctx, "Plan events", "SELECT COUNT(*) FROM plan_events WHERE plan_id = ? AND kind = ?",
		[]any{planID, kind}, num(&n))
	return n, err
}
