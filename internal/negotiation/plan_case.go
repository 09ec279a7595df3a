package negotiation

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// The plan case (计划案件). A borrower who keeps a plan is current once the
// plan's DPD reset passed, and the night's casework closes their case as
// cured; a closed case never reopens (a new delinquency opens a new case).
// The plan still runs, is monitored and revisited on that case, and a
// revisit must be able to lead to an adjusted plan. So the negotiation use
// cases (rounds, assessments, offers, approval, agreements, acceptance)
// accept a closed case while a plan agreed on it is running (active or in
// grace) and the borrower has no open case (then the negotiation belongs
// there). Collection work (contacts, promises, the strategy's tasks) still
// refuses the closed case, and the strategy does not see it: a good payer
// is not put back into collections to have their plan adjusted.

// negotiableCase loads case id in tx for by to negotiate on: a case by may
// work (WorkableCase), or a closed plan case in by's scope. It returns
// NotFound (also outside by's scope) or collect.ErrCaseClosed.
func (s *Service) negotiableCase(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, id int64) (sqlstore.Case, error) {
	c, err := s.collect.WorkableCase(ctx, tx, by, id)
	if !errors.Is(err, collect.ErrCaseClosed) {
		return c, err
	}
	if _, ok, perr := runningPlanOf(ctx, tx, c); perr != nil {
		return c, perr
	} else if !ok {
		return c, err
	}
	return c, nil
}

// runningPlanOf returns the running plan (active or in grace) agreed on
// closed case c, when the borrower has no open case.
func runningPlanOf(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case) (sqlstore.PlanRow, bool, error) {
	if c.Status != casework.Closed {
		return sqlstore.PlanRow{}, false, nil
	}
	for _, l := range c.LoanIDs {
		row, err := tx.PlanOfLoan(ctx, l)
		if errs.CodeOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return row, false, err
		}
		if row.CaseID != c.ID || (row.Status != plan.Active && row.Status != plan.InGrace) {
			continue
		}
		open := casework.Open
		bid := c.BorrowerID
		cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, BorrowerID: &bid, Limit: 1})
		if err != nil || len(cs) > 0 {
			return row, false, err
		}
		return row, true, nil
	}
	return sqlstore.PlanRow{}, false, nil
}

// notePlanCase records, the first time someone negotiates on closed plan
// case c for its running plan, a plan.revisit_opened case event and the
// audit event case.plan_revisit; nothing for an open case.
func (s *Service) notePlanCase(ctx context.Context, tx *sqlstore.Tx, by collect.Actor, c sqlstore.Case) error {
	row, ok, err := runningPlanOf(ctx, tx, c)
	if err != nil || !ok {
		return err
	}
	n, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: c.ID, BorrowerID: c.BorrowerID, On: s.Today(), At: s.now().UTC(),
		Kind: EventPlan, Code: "plan.revisit_opened", Actor: by.User.Username,
		ZH:       fmt.Sprintf("案件已结案，还款计划 %d 仍在执行：为回访/调整计划重新协商（案件保持结案）", row.ID),
		EN:       fmt.Sprintf("Case closed with plan %d running: negotiating again for a revisit or adjusted plan (the case stays closed)", row.ID),
		DedupKey: fmt.Sprintf("plan:%d:revisit_opened", row.ID)}})
	if err != nil || n == 0 {
		return err
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, "case.plan_revisit", "case", strconv.FormatInt(c.ID, 10),
		map[string]any{"plan_id": row.ID, "plan_status": row.Status, "closed_on": c.ClosedOn, "close_reason": c.CloseReason}))
}

// doRevisits marks the open revisit tasks of case caseID due by today done
// with outcome: a round held, or an adjusted plan activated.
func (s *Service) doRevisits(ctx context.Context, tx *sqlstore.Tx, caseID int64, outcome string) error {
	open, err := tx.OpenTasks(ctx, []int64{caseID})
	if err != nil {
		return err
	}
	today := s.Today()
	var ids []int64
	for _, t := range open[caseID] {
		if t.Kind == TaskRevisit && !t.DueOn.After(today) {
			ids = append(ids, t.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	_, err = tx.CloseTasks(ctx, ids, sqlstore.TaskDone, outcome)
	return err
}
