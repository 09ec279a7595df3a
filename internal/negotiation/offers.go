package negotiation

import (
	"context"
	"fmt"
	"strconv"

	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/offer"
	"accord/internal/plan"
	"accord/internal/sqlstore"
)

// ErrNoAssessment is returned when offers are asked for before the
// borrower's affordability was assessed.
var ErrNoAssessment = errs.Errorf(errs.Conflict, "Assess the borrower's affordability before proposing offers.")

// caseDebt builds the engine's offer.Debt from the stored positions of the
// case's loans (as of the last nightly run): all unpaid principal, the
// contract interest overdue, and the penalty and fees demandable within the
// cost cap. The contract rate is that of the loan with the most principal
// outstanding; the remaining months are the most any loan has left after
// today, and the contract installment is the sum of the loans' next ones;
// for loans under a plan, see planDebt.
func (s *Service) caseDebt(ctx context.Context, tx *sqlstore.Tx, c sqlstore.Case) (offer.Debt, error) {
	today := s.Today()
	var d offer.Debt
	var most ledger.Loan
	var mostPrincipal int64 = -1
	plans := map[int64]bool{} // the plans already counted (one over several loans counts once)
	for _, id := range c.LoanIDs {
		l, err := tx.Loan(ctx, id)
		if err != nil {
			return d, err
		}
		p, err := tx.Position(ctx, id)
		if errs.CodeOf(err) == errs.NotFound {
			continue // never aged: nothing known to be owed yet
		}
		if err != nil {
			return d, err
		}
		underPlan, pp, err := s.planDebt(ctx, tx, id, today, plans, &d)
		if err != nil {
			return d, err
		}
		if underPlan {
			p.Position = pp // as of today: a break today forfeits its waivers before tonight's run stores it
		}
		d.Principal += p.OutstandingPrincipal
		d.Interest += p.OverdueInterest
		d.Penalty += p.PenaltyDue
		d.Fees += p.FeesDue
		if int64(p.OutstandingPrincipal) > mostPrincipal {
			most, mostPrincipal = l, int64(p.OutstandingPrincipal)
		}
		if underPlan {
			continue
		}
		sched, err := tx.Schedule(ctx, id)
		if err != nil {
			return d, err
		}
		left, next := 0, false
		for _, in := range sched {
			if in.DueDate.After(today) {
				left++
				if !next {
					d.MonthlyPayment += in.Total()
					next = true
				}
			}
		}
		d.RemainingMonths = max(d.RemainingMonths, left)
	}
	if mostPrincipal >= 0 {
		d.AnnualRate = most.AnnualRate
	}
	return d, nil
}

// planDebt adds to d what loan id owes under its plan beyond its stored
// position, when the loan is under a plan that is neither completed nor
// superseded (an adjusted plan after a revisit, or a new one after a break,
// will supersede it): the amounts of the plan's conditional waivers not
// earned as of today (parked, not in the plan's schedule: the borrower owes
// them unless the condition is met, so the new offer must finance them or
// waive them again, with its approval and budget), and the plan's own term
// (instalments due after today, the next one) in place of the original
// schedule's. It reports whether the loan is under such a plan, with the
// loan's position under it as of today (what it owes: the plan's unpaid
// amounts and, once the plan broke, the waivers it forfeited; the stored
// one may be a night old), which the caller counts in place of the stored
// one; plans records the plans counted (a plan over several loans carries
// its amounts on its first).
func (s *Service) planDebt(ctx context.Context, tx *sqlstore.Tx, loanID int64, today date.Date, plans map[int64]bool, d *offer.Debt) (bool, ledger.Position, error) {
	row, err := tx.PlanOfLoan(ctx, loanID)
	if errs.CodeOf(err) == errs.NotFound {
		return false, ledger.Position{}, nil
	}
	if err != nil {
		return false, ledger.Position{}, err
	}
	if row.Status == plan.Completed || row.Status == plan.Superseded {
		return false, ledger.Position{}, nil
	}
	if plans[row.ID] {
		return true, ledger.Position{LoanID: loanID, AsOf: today}, nil
	}
	plans[row.ID] = true
	pays, err := tx.PlanPayments(ctx, []sqlstore.PlanRow{row})
	if err != nil {
		return true, ledger.Position{}, err
	}
	st := plan.Evaluate(row.Plan, pays[row.ID], today)
	for _, w := range st.Waivers {
		if w.MetOn.IsZero() && !w.Forfeited { // a forfeited one is owed in the position
			d.Principal += w.Amount.Principal
			d.Interest += w.Amount.Interest
			d.Penalty += w.Amount.Penalty
			d.Fees += w.Amount.Fees
		}
	}
	left := 0
	for _, in := range st.Instalments {
		if in.Due.After(today) {
			if left == 0 {
				d.MonthlyPayment += in.Amount
			}
			left++
		}
	}
	d.RemainingMonths = max(d.RemainingMonths, left)
	return true, st.Position(loanID, loanID == row.LoanIDs[0]), nil
}

// history is what the case's record says about the borrower's word, for
// the chance-kept model: the promise counts the case keeps, and whether
// anything was paid while delinquent.
func history(c sqlstore.Case) offer.History {
	h := offer.History{PromisesKept: c.PromisesKept, PromisesBroken: c.PromisesBroken}
	if c.Recovered > 0 {
		h.PaymentsWhileDelinquent = 1
	}
	return h
}

// ProposeOffers runs the offer engine on case caseID (its debt from the
// ledger, its latest assessment, its segment and history, the offer policy
// of policyFor: the team's pinned version, the borrower's arm's version
// while an offer policy experiment runs, or the published version) and
// stores every offer as proposed by by, in the engine's order, each with
// the policy document that produced it (approval applies that one). Earlier
// offers of the case that are proposed or approved expire. The offers count
// against the budget of the proposer's team (or, when the proposer is not a
// collector, of the case's collector's team). It returns ErrNoAssessment,
// an Invalid error when the engine refuses the debt, Forbidden, NotFound
// (also outside by's scope) or collect.ErrCaseClosed.
func (s *Service) ProposeOffers(ctx context.Context, by collect.Actor, caseID int64) ([]sqlstore.Offer, error) {
	if err := mayNegotiate(by); err != nil {
		return nil, err
	}
	var out []sqlstore.Offer
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		c, err := s.negotiableCase(ctx, tx, by, caseID)
		if err != nil {
			return err
		}
		if err := s.notePlanCase(ctx, tx, by, c); err != nil {
			return err
		}
		a, err := tx.LatestAssessment(ctx, caseID)
		if errs.CodeOf(err) == errs.NotFound {
			return ErrNoAssessment
		}
		if err != nil {
			return err
		}
		// The debt and the payments it counts are read together: a payment
		// being posted on the loans meanwhile is either in both or in
		// neither (then a plan payment), on PostgreSQL's READ COMMITTED too.
		if err := tx.LockPositions(ctx, c.LoanIDs); err != nil {
			return err
		}
		d, err := s.caseDebt(ctx, tx, c)
		if err != nil {
			return err
		}
		paid, err := tx.LastPaymentIDOf(ctx, c.LoanIDs) // the debt counts the payments up to it
		if err != nil {
			return err
		}
		if paid == 0 {
			paid = -1 // none on the loans: every later one is a plan payment (0 means an offer from before 00026)
		}
		_, team, err := credit(ctx, tx, by.User.ID, c)
		if err != nil {
			return err
		}
		pol, err := s.policyFor(ctx, tx, c.BorrowerID, team) // the team's, or the arm's while an offer policy experiment runs
		if err != nil {
			return err
		}
		asOf := s.Today()
		keep, keepName, err := s.keepModel(ctx, tx, c.BorrowerID, a.Input.MonthlyIncome, asOf)
		if err != nil {
			return err
		}
		res, err := offer.Engine{Keep: keep}.Options(asOf, d, a.Input, string(c.Segment), history(c), pol.policy)
		if err != nil {
			return err
		}
		if _, err := tx.ExpireOffers(ctx, caseID, 0); err != nil {
			return err
		}
		ids := make([]int64, 0, len(res.Offers))
		for i, x := range res.Offers {
			o := sqlstore.Offer{BorrowerID: c.BorrowerID, CaseID: c.ID, AssessmentID: a.ID, Policy: res.Policy, AsOf: asOf,
				Rank: i + 1, TeamID: team, Offer: x, ProposedBy: by.User.Username, ProposedByID: by.User.ID, ProposedAt: s.now(), PaidThrough: paid}
			if err := tx.CreateOffer(ctx, &o); err != nil {
				return err
			}
			if err := recordPolicy(ctx, tx, o, pol); err != nil {
				return err
			}
			dec := sqlstore.Decision{BorrowerID: c.BorrowerID, OfferID: o.ID, Action: "propose", Username: by.User.Username,
				UserID: by.User.ID, At: s.now()}
			if err := tx.AddDecision(ctx, &dec); err != nil {
				return err
			}
			out, ids = append(out, o), append(ids, o.ID)
		}
		return tx.AppendAudit(ctx, s.collect.Event(by, "offer.propose", "case", strconv.FormatInt(c.ID, 10),
			map[string]any{"assessment_id": a.ID, "policy": res.Policy, "offers": ids, "balance": res.Balance, "keep_model": keepName}))
	})
	if err != nil {
		return nil, fmt.Errorf("propose offers on case %d: %w", caseID, err)
	}
	return out, nil
}

// Offers returns case caseID's offers, newest proposal first, if by may see
// the case. It returns NotFound (also outside by's scope).
func (s *Service) Offers(ctx context.Context, by collect.Actor, caseID int64) ([]sqlstore.Offer, error) {
	var out []sqlstore.Offer
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		if _, err := s.collect.VisibleCase(ctx, tx, by, caseID); err != nil {
			return err
		}
		var err error
		out, err = tx.Offers(ctx, sqlstore.OfferFilter{CaseID: caseID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list offers of case %d: %w", caseID, err)
	}
	return out, nil
}

// OfferRecord is an offer with its approval record.
type OfferRecord struct {
	sqlstore.Offer
	Decisions []sqlstore.Decision `json:"decisions"`
}

// Offer returns offer id with its approval record if by may see its case.
// It returns NotFound (also outside by's scope).
func (s *Service) Offer(ctx context.Context, by collect.Actor, id int64) (OfferRecord, error) {
	var r OfferRecord
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		o, _, err := s.offerOfCase(ctx, tx, by, id, false)
		if err != nil {
			return err
		}
		r.Offer = o
		r.Decisions, err = tx.Decisions(ctx, id)
		return err
	})
	return r, err
}
