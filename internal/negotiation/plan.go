package negotiation

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

var _ collect.Plans = (*Service)(nil)

// The borrower flags plans set, which strategies see (`"on_plan" in
// flags`): FlagOnPlan while a plan runs (set by activation, cleared when
// the plan breaks or is completed), FlagPlanBroken once one broke (cleared
// by the next activation).
const (
	FlagOnPlan     = "on_plan"
	FlagPlanBroken = "plan_broken"
)

// planChunk is how many plans one transaction of the monitoring handles.
const planChunk = 500

// Reposition stores the position of loan l under its latest plan as of
// asOf (payment posting calls it through collect.Plans) and reports
// whether l has a plan.
func (s *Service) Reposition(ctx context.Context, tx *sqlstore.Tx, l ledger.Loan, asOf date.Date) (bool, error) {
	row, st, ok, err := planOfLoan(ctx, tx, l.ID, asOf)
	if !ok || err != nil {
		return ok, err
	}
	return true, s.position(ctx, tx, row, st)
}

// planOfLoan returns the latest plan of loan id with its state as of asOf;
// ok is false when the loan never had a plan.
func planOfLoan(ctx context.Context, tx *sqlstore.Tx, id int64, asOf date.Date) (sqlstore.PlanRow, plan.State, bool, error) {
	row, err := tx.PlanOfLoan(ctx, id)
	if errs.CodeOf(err) == errs.NotFound {
		return row, plan.State{}, false, nil
	}
	if err != nil {
		return row, plan.State{}, false, err
	}
	pays, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{row})
	if err != nil {
		return row, plan.State{}, true, err
	}
	return row, plan.Evaluate(row.Plan, pays[row.ID], asOf), true, nil
}

// position stores the positions of the plan's loans from st, with their
// status (restructured; paid off or settled once the plan is completed).
func (s *Service) position(ctx context.Context, tx *sqlstore.Tx, row sqlstore.PlanRow, st plan.State) error {
	return tx.SavePositions(ctx, s.positionRows(nil, row, st))
}

// positionRows appends the position rows of the plan's loans to dst.
func (s *Service) positionRows(dst []sqlstore.PositionRow, row sqlstore.PlanRow, st plan.State) []sqlstore.PositionRow {
	status := st.LoanStatus(row.OfferKind == offer.KindSettlement)
	for i, id := range row.LoanIDs {
		pos := st.Position(id, i == 0)
		dst = append(dst, sqlstore.PositionRow{Position: pos, BorrowerID: row.BorrowerID, Bucket: s.collect.Bucket(pos.DPD), Status: status})
	}
	return dst
}

// setFlags adds and removes borrower flags, writing only on a change.
func (s *Service) setFlags(ctx context.Context, tx *sqlstore.Tx, borrowerID int64, add, remove string) error {
	b, err := tx.Borrower(ctx, borrowerID)
	if err != nil {
		return err
	}
	flags := slices.DeleteFunc(slices.Clone(b.Flags), func(f string) bool { return f == remove || f == add })
	if add != "" {
		flags = append(flags, add)
	}
	if slices.Equal(flags, b.Flags) || (len(flags) == 0 && len(b.Flags) == 0) {
		return nil
	}
	_, err = tx.UpdateBorrower(ctx, borrowerID, sqlstore.BorrowerUpdate{Flags: &flags})
	return err
}

// MonitorPlans evaluates every plan not completed as of asOf, in chunks of
// plans each in its own transaction (see monitorOne for what it does to
// each), and hands each plan's state to seen (when not nil) once its chunk
// has committed. Everything it writes is a function of the plan, its
// payments and asOf, or keyed (plan events, case-event and task dedup
// keys) so that it is written once: running the same date twice changes
// nothing the second time.
func (s *Service) MonitorPlans(ctx context.Context, asOf date.Date, seen func(collect.PlanState)) (collect.PlanRun, error) {
	var run collect.PlanRun
	var states []collect.PlanState
	for after := int64(0); ; {
		var n int
		err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			rows, err := tx.OpenPlansChunk(ctx, after, planChunk)
			if err != nil || len(rows) == 0 {
				return err
			}
			n, after = len(rows), rows[len(rows)-1].ID
			pays, err := tx.PlanPayments(ctx, rows)
			if err != nil {
				return err
			}
			var r collect.PlanRun
			states = states[:0]
			positions := make([]sqlstore.PositionRow, 0, len(rows))
			for _, row := range rows {
				st := plan.Evaluate(row.Plan, pays[row.ID], asOf)
				positions = s.positionRows(positions, row, st)
				if err := s.monitorOne(ctx, tx, row, st, &r); err != nil {
					return fmt.Errorf("plan %d: %w", row.ID, err)
				}
				states = append(states, collect.PlanState{LoanIDs: row.LoanIDs, State: st})
			}
			if err := s.savePositions(ctx, tx, positions, asOf); err != nil {
				return err
			}
			r.Checked = len(rows)
			addRun(&run, r) // only once the chunk commits
			return nil
		})
		if err != nil {
			return run, fmt.Errorf("monitor plans after %d: %w", after, err)
		}
		if seen != nil {
			for _, ps := range states {
				seen(ps)
			}
		}
		if n < planChunk {
			return run, nil
		}
	}
}

// PlanStates implements collect.Plans: it evaluates as of asOf the latest
// plan of each of loanIDs that has one, each plan once.
func (s *Service) PlanStates(ctx context.Context, tx *sqlstore.Tx, loanIDs []int64, asOf date.Date, seen func(collect.PlanState)) error {
	done := map[int64]bool{}
	for _, id := range loanIDs {
		if done[id] {
			continue
		}
		row, st, ok, err := planOfLoan(ctx, tx, id, asOf)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		for _, l := range row.LoanIDs {
			done[l] = true
		}
		seen(collect.PlanState{LoanIDs: row.LoanIDs, State: st})
	}
	return nil
}

// savePositions stores the plan loans' positions rows that changed since
// their stored ones (the date they are as of aside: a plan with nothing
// new costs no write, as the aging step leaves alone the loans that cannot
// change) and records the bucket transitions among them, as the aging step
// does for other loans: a re-run of the date finds the new bucket stored
// and records nothing more. Every row's loan status is brought into line.
func (s *Service) savePositions(ctx context.Context, tx *sqlstore.Tx, rows []sqlstore.PositionRow, asOf date.Date) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.LoanID
	}
	prev, err := tx.PositionsOf(ctx, ids)
	if err != nil {
		return err
	}
	var moves []sqlstore.BucketTransition
	var changed, same []sqlstore.PositionRow
	for _, r := range rows {
		p, ok := prev[r.LoanID]
		if ok && p.Bucket != r.Bucket {
			moves = append(moves, sqlstore.BucketTransition{LoanID: r.LoanID, On: asOf, From: p.Bucket, To: r.Bucket,
				Outstanding: r.OutstandingPrincipal})
		}
		if !ok || !samePosition(p, r) {
			changed = append(changed, r)
		} else {
			same = append(same, r)
		}
	}
	if err := tx.SaveBucketTransitions(ctx, moves); err != nil {
		return err
	}
	if err := tx.SavePositions(ctx, changed); err != nil { // sets their loans' statuses too
		return err
	}
	return tx.SetLoanStatuses(ctx, same)
}

// samePosition reports whether stored position p says what r says, the
// date each is as of aside. A frozen pre-restructure DPD (plan.State.LoanDPD
// with no plan instalment overdue) points its oldest unpaid due date back
// from the date the position is as of, so that date moves every night
// while the DPD stays: two such positions with the same DPD are the same.
func samePosition(p, r sqlstore.PositionRow) bool {
	a, b := p.Position, r.Position
	frozen := func(x ledger.Position) bool { return x.DPD > 0 && x.OldestUnpaidDue == x.AsOf.AddDays(-x.DPD) }
	return p.BorrowerID == r.BorrowerID && p.Bucket == r.Bucket && a.LoanID == b.LoanID && a.DPD == b.DPD &&
		(a.OldestUnpaidDue == b.OldestUnpaidDue || frozen(a) && frozen(b)) && a.NextDue == b.NextDue && a.PaidOffOn == b.PaidOffOn &&
		a.OutstandingPrincipal == b.OutstandingPrincipal && a.OverduePrincipal == b.OverduePrincipal &&
		a.OverdueInterest == b.OverdueInterest && a.PenaltyDue == b.PenaltyDue && a.FeesDue == b.FeesDue &&
		a.AboveCap == b.AboveCap && a.PenaltyAccrued == b.PenaltyAccrued && a.Credit == b.Credit &&
		a.OverdueInstallments == b.OverdueInstallments && a.PaidInstallments == b.PaidInstallments
}

func addRun(dst *collect.PlanRun, r collect.PlanRun) {
	dst.Checked += r.Checked
	dst.GraceStarted += r.GraceStarted
	dst.Broken += r.Broken
	dst.Completed += r.Completed
	dst.WaiversApplied += r.WaiversApplied
	dst.Warnings += r.Warnings
	dst.RevisitsCreated += r.RevisitsCreated
}

// monitorOne does, each once, what st calls for (the caller ages the
// plan's loans by st): it starts the grace period of a missed payment
// (case event), raises an early warning for a late or partial payment
// (case event), breaks the plan (status, case event, a task for the case
// owner, the borrower's plan_broken flag so the strategy sees it; the
// loans' DPD keeps the case open or reopens it in tonight's casework),
// applies each conditional waiver met (ledger adjustment, case event,
// audit), completes the plan, and creates the revisit due.
func (s *Service) monitorOne(ctx context.Context, tx *sqlstore.Tx, row sqlstore.PlanRow, st plan.State, r *collect.PlanRun) error {
	m := monitor{s: s, tx: tx, row: row, st: st}
	if !st.GraceFrom.IsZero() {
		key := st.GraceFrom.String()
		if ok, err := m.once(ctx, "grace", key, st.GraceFrom, "plan.grace",
			fmt.Sprintf("还款计划第 %d 期未按时还款，宽限期自 %s 起 %d 天", seqDue(st, st.GraceFrom), st.GraceFrom, row.Rules.GraceDays),
			fmt.Sprintf("Plan payment %d missed: grace period of %d days from %s", seqDue(st, st.GraceFrom), row.Rules.GraceDays, st.GraceFrom)); err != nil {
			return err
		} else if ok {
			r.GraceStarted++
		}
	}
	for _, sig := range st.Signals {
		zh, en := "部分还款", "partial"
		if sig.Kind == plan.SignalLate {
			zh, en = "逾期还款", "late"
		}
		if ok, err := m.once(ctx, "warning", fmt.Sprintf("%d:%s", sig.Seq, sig.Kind), sig.On, "plan.early_warning",
			fmt.Sprintf("预警：还款计划第 %d 期%s", sig.Seq, zh),
			fmt.Sprintf("Early warning: plan payment %d was %s", sig.Seq, en)); err != nil {
			return err
		} else if ok {
			r.Warnings++
		}
	}
	u := sqlstore.PlanUpdate{Status: st.Status, CheckedOn: st.AsOf, LastRevisitOn: row.LastRevisitOn, BrokenOn: st.BrokenOn,
		CompletedOn: st.CompletedOn}
	if st.Status == plan.Broken && row.Status != plan.Broken {
		if err := m.breakPlan(ctx); err != nil {
			return err
		}
		r.Broken++
	}
	for i, w := range st.Waivers {
		if w.MetOn.IsZero() {
			continue
		}
		ok, err := m.applyWaiver(ctx, i, w)
		if err != nil {
			return err
		}
		if ok {
			r.WaiversApplied++
		}
	}
	if st.Status == plan.Completed && row.Status != plan.Completed {
		if err := s.setFlags(ctx, tx, row.BorrowerID, "", FlagOnPlan); err != nil {
			return err
		}
		if _, err := m.once(ctx, "completed", "", st.CompletedOn, "plan.completed",
			fmt.Sprintf("还款计划已全部还清（%s）", st.CompletedOn), fmt.Sprintf("Plan paid in full (%s)", st.CompletedOn)); err != nil {
			return err
		}
		r.Completed++
	}
	if due, ok := plan.RevisitDue(row.Plan, st, row.LastRevisitOn); ok {
		created, err := m.revisit(ctx, due)
		if err != nil {
			return err
		}
		if created {
			r.RevisitsCreated++
		}
		u.LastRevisitOn = due
	}
	// CheckedOn is written with a change, not every night: a plan with
	// nothing new costs no write.
	if u.Status == row.Status && u.LastRevisitOn == row.LastRevisitOn && u.BrokenOn == row.BrokenOn && u.CompletedOn == row.CompletedOn {
		return nil
	}
	return tx.UpdatePlan(ctx, row.ID, u)
}

// seqDue returns the seq of the instalment whose grace starts on from.
func seqDue(st plan.State, from date.Date) int {
	for _, in := range st.Instalments {
		if in.Due.AddDays(1) == from {
			return in.Seq
		}
	}
	return 0
}

// monitor is one plan being monitored in one transaction.
type monitor struct {
	s   *Service
	tx  *sqlstore.Tx
	row sqlstore.PlanRow
	st  plan.State
}

// monitorActor is who the monitoring's events and audit name.
var monitorActor = collect.System("plan-monitor")

// once records plan event kind/key and, when it is new, the case event
// code with its texts; it reports whether it was new.
func (m monitor) once(ctx context.Context, kind, key string, on date.Date, code, zh, en string) (bool, error) {
	ok, err := m.tx.MarkPlanEvent(ctx, m.row, kind, key, on)
	if err != nil || !ok {
		return false, err
	}
	if m.row.CaseID == 0 {
		return true, nil
	}
	_, err = m.tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: m.row.CaseID, BorrowerID: m.row.BorrowerID, On: m.st.AsOf,
		Kind: EventPlan, Code: code, Actor: monitorActor.User.Username, ZH: zh, EN: en,
		DedupKey: fmt.Sprintf("plan:%d:%s:%s", m.row.ID, kind, key)}})
	return true, err
}

// breakPlan records the break once: case event, the borrower's flag, a
// task for the case owner, and the audit event.
func (m monitor) breakPlan(ctx context.Context) error {
	ok, err := m.once(ctx, "broken", "", m.st.BrokenOn, "plan.broken",
		fmt.Sprintf("还款计划已违约（%s）：宽限期满仍未还清，案件重新进入策略", m.st.BrokenOn),
		fmt.Sprintf("Plan broken (%s): unpaid after the grace period; the case re-enters the strategy", m.st.BrokenOn))
	if err != nil || !ok {
		return err
	}
	if err := m.s.setFlags(ctx, m.tx, m.row.BorrowerID, FlagPlanBroken, FlagOnPlan); err != nil {
		return err
	}
	if err := m.tellOwner(ctx); err != nil {
		return err
	}
	return m.tx.AppendAudit(ctx, m.s.collect.Event(monitorActor, "plan.break", "plan", strconv.FormatInt(m.row.ID, 10), map[string]any{
		"agreement_id": m.row.AgreementID, "broken_on": m.st.BrokenOn, "overdue": m.st.Overdue, "remaining": m.st.Remaining,
		"dpd": m.st.DPD, "loan_dpd": m.st.LoanDPD}))
}

// ownerTold is the plan event recording that the owner of the borrower's
// open case was given the broken plan's task.
const ownerTold = "owner_told"

// tellOwner gives the owner of the plan's case, when it is open, the
// broken plan's task (once: ownerTold). When the case was closed meanwhile
// (cured after the DPD reset) nobody works it: tonight's casework opens a
// new case for the borrower, and the nightly step after casework
// (PlanFollowUp) gives that case's owner the task.
func (m monitor) tellOwner(ctx context.Context) error {
	if m.row.CaseID == 0 {
		return nil
	}
	c, err := m.tx.Case(ctx, m.row.CaseID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil || c.Status != casework.Open {
		return err
	}
	return m.s.brokenTask(ctx, m.tx, m.row, c, m.st.AsOf, m.st.Overdue)
}

// brokenTask puts the broken plan's negotiation task on open case c for
// its owner, keyed by the plan (one per plan whatever the case), with a
// case event when c is not the plan's case, and records ownerTold.
func (s *Service) brokenTask(ctx context.Context, tx *sqlstore.Tx, row sqlstore.PlanRow, c sqlstore.Case, on date.Date, overdue money.Amount) error {
	if _, err := tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: c.ID, BorrowerID: c.BorrowerID, Kind: sqlstore.TaskNegotiation,
		Queue: c.Queue, Priority: 1, DueOn: on, Assignee: c.Owner, Rule: "plan_broken", CreatedOn: on,
		Detail: fmt.Sprintf("还款计划 %d 已违约：逾期 %s，联系借款人 / Plan %d broken: %s overdue, contact the borrower",
			row.ID, overdue, row.ID, overdue),
		DedupKey: fmt.Sprintf("plan:%d:plan_broken:broken", row.ID)}}); err != nil {
		return err
	}
	if c.ID != row.CaseID {
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: c.ID, BorrowerID: c.BorrowerID, On: on, Kind: EventPlan,
			Code: "plan.broken", Actor: monitorActor.User.Username,
			ZH:       fmt.Sprintf("还款计划 %d（案件 %d）已违约（%s），逾期 %s", row.ID, row.CaseID, row.BrokenOn, overdue),
			EN:       fmt.Sprintf("Plan %d (case %d) broken on %s: %s overdue", row.ID, row.CaseID, row.BrokenOn, overdue),
			DedupKey: fmt.Sprintf("plan:%d:broken:case:%d", row.ID, c.ID)}}); err != nil {
			return err
		}
	}
	_, err := tx.MarkPlanEvent(ctx, row, ownerTold, "", on)
	return err
}

// PlanFollowUp is the nightly step, after casework, that gives the owner
// of the borrower's open case the task of a plan broken in the last 30
// days whose own case was closed when it broke (see tellOwner). Wire
// wires it.
type PlanFollowUp struct{ s *Service }

// Name implements collect.NightlyStep.
func (PlanFollowUp) Name() string { return "plan_follow_up" }

// RunNightly implements collect.NightlyStep.
func (f PlanFollowUp) RunNightly(ctx context.Context, asOf date.Date) (map[string]int, error) {
	n := 0
	err := f.s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		rows, err := tx.BrokenPlansWithout(ctx, ownerTold, asOf.AddDays(-30), planChunk)
		if err != nil {
			return err
		}
		open := casework.Open
		for _, row := range rows {
			bid := row.BorrowerID
			cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{Status: &open, BorrowerID: &bid, Limit: 1})
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				continue
			}
			pays, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{row})
			if err != nil {
				return err
			}
			if err := f.s.brokenTask(ctx, tx, row, cs[0], asOf, plan.Evaluate(row.Plan, pays[row.ID], asOf).Overdue); err != nil {
				return fmt.Errorf("plan %d: %w", row.ID, err)
			}
			n++
		}
		return nil
	})
	return map[string]int{"plan_break_tasks": n}, err
}

// applyWaiver applies conditional waiver i once: a ledger adjustment on the
// plan's first loan, a case event and the audit event.
func (m monitor) applyWaiver(ctx context.Context, i int, w plan.WaiverState) (bool, error) {
	ok, err := m.once(ctx, "waiver", strconv.Itoa(i), w.MetOn, "plan.waiver_applied",
		fmt.Sprintf("连续按时还款 %d 期，减免 %s 已生效", w.Condition.OnTimePayments, w.Amount.Total()),
		fmt.Sprintf("%d consecutive on-time payments: %s waived", w.Condition.OnTimePayments, w.Amount.Total()))
	if err != nil || !ok {
		return false, err
	}
	adj := sqlstore.Adjustment{BorrowerID: m.row.BorrowerID, LoanID: m.row.LoanIDs[0], PlanID: m.row.ID,
		Kind: sqlstore.AdjustWaiverConditional, On: w.MetOn, Amount: w.Amount,
		Note: fmt.Sprintf("agreement %d: waived after %d on-time payments", m.row.AgreementID, w.Condition.OnTimePayments)}
	if err := m.tx.CreateAdjustment(ctx, &adj); err != nil {
		return false, err
	}
	return true, m.tx.AppendAudit(ctx, m.s.collect.Event(monitorActor, "plan.waiver", "plan", strconv.FormatInt(m.row.ID, 10), map[string]any{
		"agreement_id": m.row.AgreementID, "adjustment_id": adj.ID, "loan_id": adj.LoanID, "met_on": w.MetOn, "amount": w.Amount,
		"on_time_payments": w.Condition.OnTimePayments}))
}

// task creates a task on the plan's case for its owner, keyed by the plan,
// the kind of task and key. When the case is closed (a plan case, cured
// after the DPD reset) and no collector owns it (an agency held it, or
// nobody), the task waits unassigned in the negotiation queue, where the
// negotiation team and supervisors find it.
func (m monitor) task(ctx context.Context, kind, rule string, due date.Date, key, detail string) error {
	if m.row.CaseID == 0 {
		return nil
	}
	c, err := m.tx.Case(ctx, m.row.CaseID)
	if errs.CodeOf(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	queue, owner := c.Queue, c.Owner
	if c.Status == casework.Closed && owner.Kind != casework.ToCollector {
		queue, owner = QueueNegotiation, casework.Owner{}
	}
	_, err = m.tx.InsertTasks(ctx, []sqlstore.Task{{CaseID: c.ID, BorrowerID: c.BorrowerID, Kind: kind, Queue: queue,
		Priority: 1, DueOn: due, Assignee: owner, Rule: rule, Detail: detail, CreatedOn: m.st.AsOf,
		DedupKey: fmt.Sprintf("plan:%d:%s:%s", m.row.ID, rule, key)}})
	return err
}
