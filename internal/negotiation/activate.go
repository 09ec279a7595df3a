package negotiation

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// Agreement is an accepted offer as the records side hands it to
// activation: the agreement, whose case, borrower and loans it restructures,
// the offer accepted (its schedule, the waivers by component, immediate and
// conditional) and who activated it when.
type Agreement struct {
	ID         int64       // the agreement's id (records side); one plan per agreement
	CaseID     int64       // the case it was negotiated on
	BorrowerID int64       // the borrower
	LoanIDs    []int64     // the loans restructured, at least one; the plan covers them together
	Offer      offer.Offer // the accepted offer
	// PaidThrough is the last payment in the book when the offer was
	// proposed (sqlstore.Offer.PaidThrough): the offer's debt counted the
	// payments up to it, so the plan counts the later ones, posted while
	// the offer was approved and accepted, as plan payments (paid ahead).
	// -1: there was none on the loans. 0 (an offer stored before migration
	// 00026): the plan counts the payments after its activation.
	PaidThrough int64
	// DebtAt is when the offer's debt was read (its proposal): a payment
	// it counted that is reversed after it is owed beside the plan
	// (plan.State.Reinstated). Zero: the activation.
	DebtAt      time.Time
	AcceptedAt  time.Time // when the borrower accepted
	ActivatedBy string    // username (or "system") recorded in the audit event
	// ActorUserID is the signed-in user activating it; 0 for the system.
	ActorUserID int64
	// Rules are the plan's grace days, DPD-reset count and revisit
	// intervals; zero fields take plan.DefaultRules. They are stored with
	// the plan, which is monitored by them for its whole life.
	Rules plan.Rules
}

// Activate restructures the agreement's loans in the ledger in tx: the
// original schedules, payments and allocations stay as they are; a plan
// with the offer's schedule is stored; the immediate waivers are recorded
// as ledger adjustments by component; the loans' status becomes
// restructured; the case gets an event and the audit chain the activation.
// The caller owns tx (it commits the agreement's acceptance and the
// activation together). A plan still running (or broken) over the same
// loans is superseded by the new one — an adjusted plan after a revisit, a
// new agreement after a break — and no longer monitored; the agreement must
// then cover all of that plan's loans. It returns Invalid when the
// agreement is not complete (or leaves out such a loan) and ErrPlanExists
// (Conflict) when the agreement already has a plan.
func (s *Service) Activate(ctx context.Context, tx *sqlstore.Tx, a Agreement) error {
	if err := a.validate(); err != nil {
		return err
	}
	start := s.Today()
	if !a.AcceptedAt.IsZero() {
		start = date.FromTime(a.AcceptedAt.In(s.zone))
	}
	row, replaced, err := s.planRow(ctx, tx, a, start)
	if err != nil {
		return err
	}
	if err := tx.CreatePlan(ctx, &row); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return fmt.Errorf("activate agreement %d: %w", a.ID, ErrPlanExists)
		}
		return err
	}
	for _, id := range replaced {
		if err := s.supersede(ctx, tx, id, row, start); err != nil {
			return err
		}
	}
	if w := row.Waived; w.Total() > 0 {
		adj := sqlstore.Adjustment{BorrowerID: a.BorrowerID, LoanID: a.LoanIDs[0], PlanID: row.ID, Kind: sqlstore.AdjustWaiver,
			On: start, Amount: w, Note: fmt.Sprintf("agreement %d: waived at activation", a.ID)}
		if err := tx.CreateAdjustment(ctx, &adj); err != nil {
			return err
		}
	}
	if err := s.setFlags(ctx, tx, a.BorrowerID, FlagOnPlan, FlagPlanBroken); err != nil {
		return err
	}
	pays, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{row}) // those posted since the offer was proposed
	if err != nil {
		return err
	}
	if err := s.position(ctx, tx, row, plan.Evaluate(row.Plan, pays[row.ID], start)); err != nil {
		return err
	}
	if a.CaseID != 0 {
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: a.CaseID, BorrowerID: a.BorrowerID, On: start,
			Kind: EventPlan, Code: "plan.activated", Actor: a.ActivatedBy,
			ZH:       fmt.Sprintf("协议 %d 生效：还款计划 %d 期，共 %s；已减免 %s", a.ID, len(row.Schedule), row.Total(), row.Waived.Total()),
			EN:       fmt.Sprintf("Agreement %d in force: a plan of %d payments totalling %s; %s waived", a.ID, len(row.Schedule), row.Total(), row.Waived.Total()),
			DedupKey: fmt.Sprintf("plan:%d:activated", row.ID)}}); err != nil {
			return err
		}
	}
	by := collect.System(a.ActivatedBy)
	if a.ActorUserID != 0 {
		by = collect.Actor{User: auth.User{ID: a.ActorUserID, Username: a.ActivatedBy}}
	}
	return tx.AppendAudit(ctx, s.collect.Event(by, "plan.activate", "plan", strconv.FormatInt(row.ID, 10), map[string]any{
		"agreement_id": a.ID, "case_id": a.CaseID, "borrower_id": a.BorrowerID, "loan_ids": a.LoanIDs, "offer_id": a.Offer.ID,
		"start": start, "financed": row.Financed, "total": row.Total(), "instalments": len(row.Schedule), "waived": row.Waived,
		"conditional": row.Conditional, "pre_dpd": row.PreDPD, "rules": row.Rules, "replaces_plans": replaced}))
}

// supersede ends plan id, replaced by plan by activated on start: the
// conditional waivers it had earned by then (a payment today met the
// condition, and the nightly run that would apply them no longer sees the
// plan) are applied now, once, as the monitoring does; its status becomes
// superseded (its BrokenOn stays); and its case gets a plan.superseded
// event. Waivers not earned are not applied, now or later: their amounts
// are owed again, and the offer that led to the new plan counted them
// (planDebt).
func (s *Service) supersede(ctx context.Context, tx *sqlstore.Tx, id int64, by sqlstore.PlanRow, start date.Date) error {
	old, err := tx.Plan(ctx, id)
	if err != nil {
		return err
	}
	pays, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{old})
	if err != nil {
		return err
	}
	// The payments the new plan counts are not the old plan's.
	mine := slices.DeleteFunc(pays[old.ID], func(p plan.Payment) bool { return p.ID > by.AfterPaymentID })
	m := monitor{s: s, tx: tx, row: old, st: plan.Evaluate(old.Plan, mine, start)}
	for i, w := range m.st.Waivers {
		if !w.MetOn.IsZero() {
			if _, err := m.applyWaiver(ctx, i, w); err != nil {
				return err
			}
		}
	}
	if err := s.doRevisits(ctx, tx, old.CaseID, "plan_adjusted"); err != nil { // the revisit led to this plan
		return err
	}
	if _, err := m.once(ctx, "superseded", "", start, "plan.superseded",
		fmt.Sprintf("还款计划 %d 已由协议 %d 的新计划 %d 取代（已还 %s，未还 %s）", old.ID, by.AgreementID, by.ID, m.st.Paid, m.st.Remaining),
		fmt.Sprintf("Plan %d superseded by plan %d of agreement %d (%s paid, %s unpaid)", old.ID, by.ID, by.AgreementID, m.st.Paid, m.st.Remaining)); err != nil {
		return err
	}
	return tx.UpdatePlan(ctx, id, sqlstore.PlanUpdate{Status: plan.Superseded, CheckedOn: start,
		LastRevisitOn: old.LastRevisitOn, BrokenOn: old.BrokenOn, CompletedOn: old.CompletedOn})
}

// ErrPlanExists is returned when activating an agreement that already has
// a plan.
var ErrPlanExists = errs.Errorf(errs.Conflict, "The agreement or one of its loans already has a repayment plan.")

// EventPlan is the case-event kind of plan activation and monitoring.
const EventPlan = "plan"

func (a Agreement) validate() error {
	var fe []errs.FieldError
	if a.ID <= 0 {
		fe = append(fe, errs.FieldError{Field: "agreement_id", Message: "is required"})
	}
	if a.BorrowerID <= 0 {
		fe = append(fe, errs.FieldError{Field: "borrower_id", Message: "is required"})
	}
	if len(a.LoanIDs) == 0 {
		fe = append(fe, errs.FieldError{Field: "loan_ids", Message: "at least one loan is required"})
	}
	if len(a.Offer.Schedule) == 0 {
		fe = append(fe, errs.FieldError{Field: "offer.schedule", Message: "is empty"})
	}
	if len(fe) > 0 {
		return errs.Fields("The agreement cannot be activated.", fe...)
	}
	return nil
}

// planRow checks the agreement's loans (the borrower's; every loan of a
// plan it replaces among them) and builds the plan row: the pre-restructure
// DPD is the largest stored DPD of the loans, and payments already on them
// when the offer was proposed (a.PaidThrough: none when -1, at activation when 0) stay
// with the original schedule or the plan replaced (AfterPaymentID): the
// later ones, which the offer's debt did not count, are plan payments.
// It also returns the plans (neither completed nor superseded) the new one
// replaces.
func (s *Service) planRow(ctx context.Context, tx *sqlstore.Tx, a Agreement, start date.Date) (sqlstore.PlanRow, []int64, error) {
	pre, after := 0, int64(0)
	var replaced []int64
	positions, err := tx.PositionsOf(ctx, a.LoanIDs)
	if err != nil {
		return sqlstore.PlanRow{}, nil, err
	}
	for i, id := range a.LoanIDs {
		l, err := tx.Loan(ctx, id)
		if errs.CodeOf(err) == errs.NotFound || (err == nil && l.BorrowerID != a.BorrowerID) {
			return sqlstore.PlanRow{}, nil, errs.Field(fmt.Sprintf("loan_ids[%d]", i), "no loan %d of borrower %d", id, a.BorrowerID)
		}
		if err != nil {
			return sqlstore.PlanRow{}, nil, err
		}
		if old, err := tx.PlanOfLoan(ctx, id); err == nil && old.Status != plan.Completed && old.Status != plan.Superseded {
			if !slices.Contains(replaced, old.ID) {
				replaced = append(replaced, old.ID)
			}
			for _, l := range old.LoanIDs {
				if !slices.Contains(a.LoanIDs, l) {
					return sqlstore.PlanRow{}, nil, errs.Field("loan_ids", "must include loan %d: it is under plan %d with loan %d", l, old.ID, id)
				}
			}
		} else if err != nil && errs.CodeOf(err) != errs.NotFound {
			return sqlstore.PlanRow{}, nil, err
		}
		pays, err := tx.Payments(ctx, id)
		if err != nil {
			return sqlstore.PlanRow{}, nil, err
		}
		for _, p := range pays {
			after = max(after, p.ID)
		}
		pre = max(pre, positions[id].DPD)
	}
	if a.PaidThrough != 0 { // -1: no payment on the loans when the offer was proposed
		after = min(after, max(a.PaidThrough, 0))
	}
	p := plan.FromOffer(a.Offer, start, pre, a.Rules.WithDefaults())
	p.AgreementID, p.BorrowerID, p.CaseID, p.LoanIDs = a.ID, a.BorrowerID, a.CaseID, a.LoanIDs
	if err := p.Validate(); err != nil {
		return sqlstore.PlanRow{}, nil, err
	}
	debtAt := time.Time{} // the activation
	if a.PaidThrough != 0 {
		debtAt = a.DebtAt
	}
	return sqlstore.PlanRow{Plan: p, Status: plan.Active, OfferID: a.Offer.ID, OfferKind: a.Offer.Kind, AfterPaymentID: after,
		ActivatedBy: a.ActivatedBy, AcceptedAt: a.AcceptedAt, DebtAt: debtAt}, replaced, nil
}
