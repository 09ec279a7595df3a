package selfservice

import (
	"context"
	"fmt"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// ErrNeedsReview is returned when the borrower tries to accept an offer
// that is beyond the auto-approval policy (or the team's budget) and has
// not been approved by a negotiator yet.
var ErrNeedsReview = errs.Errorf(errs.Forbidden, "This offer needs a negotiator's approval first: we will contact you.")

// Affordability is the short form a borrower fills in to ask for a plan.
type Affordability struct {
	MonthlyIncome     money.Amount   `json:"monthly_income"`
	EssentialExpenses *money.Amount  `json:"essential_expenses,omitempty"`
	OtherDebtPayments money.Amount   `json:"other_debt_payments"`
	Dependants        int            `json:"dependants"`
	Hardship          offer.Hardship `json:"hardship,omitempty"`
	HardshipMonths    int            `json:"hardship_months"`
}

// PlanOffer is an offer as the borrower sees it. Auto is true when it is
// within the auto-approval policy (or was approved already) and may be
// accepted on the spot; the others wait for a negotiator.
type PlanOffer struct {
	ID           int64                `json:"id"`
	Rank         int                  `json:"rank"`
	Kind         offer.Kind           `json:"kind"`
	Summary      offer.Text           `json:"summary"`
	Schedule     []offer.Payment      `json:"schedule"`
	TotalPayable money.Amount         `json:"total_payable"`
	Waived       money.Amount         `json:"waived"`
	Affordable   bool                 `json:"affordable"`
	Status       sqlstore.OfferStatus `json:"status"`
	Auto         bool                 `json:"auto"`
}

// Plan is the answer to a plan request: the assessment recorded and the
// offers proposed on the case.
type Plan struct {
	CaseID       int64       `json:"case_id"`
	AssessmentID int64       `json:"assessment_id"`
	Offers       []PlanOffer `json:"offers"`
}

// Acceptance is an offer put to the borrower as an agreement, with the SMS
// code sent to accept it.
type Acceptance struct {
	AgreementID   int64  `json:"agreement_id"`
	CodeExpiresAt string `json:"code_expires_at"`
}

// autoActor approves offers within the auto-approval policy; it is not the
// proposer, so negotiation's four eyes rule holds.
func (s *Service) autoActor(who Borrower) collect.Actor {
	return collect.Actor{User: auth.User{Username: "portal:auto-approval", Roles: []auth.Role{auth.Admin}}, RequestID: who.RequestID}
}

// autoApprovable reports whether o fits the auto-approval level's limits.
func (s *Service) autoApprovable(o sqlstore.Offer) bool {
	if !o.Offer.Affordable {
		return false
	}
	for _, a := range s.neg.OfferPolicy().Authority {
		if a.Level == s.pol.AutoApproval {
			return a.Covers(o.Offer.Concession)
		}
	}
	return false
}

func (s *Service) planOffer(o sqlstore.Offer) PlanOffer {
	w := o.Offer.Waived
	return PlanOffer{ID: o.ID, Rank: o.Rank, Kind: o.Offer.Kind, Summary: o.Offer.Summary, Schedule: o.Offer.Schedule,
		TotalPayable: o.Offer.TotalPayable, Waived: w.Penalty + w.Fees + w.Interest + w.Principal, Affordable: o.Offer.Affordable,
		Status: o.Status, Auto: o.Status == sqlstore.OfferApproved || (o.Status == sqlstore.OfferProposed && s.autoApprovable(o))}
}

// RequestPlan records who's affordability form as the case's assessment
// (self-declared) and has the offer engine propose offers
// (negotiation.ProposeOffers): they appear in the negotiators' approval
// inbox with the assessment attached, and those within the auto-approval
// policy may be accepted on the spot with AcceptOffer. It returns
// ErrNoCase, and Invalid errors naming the form's fields.
func (s *Service) RequestPlan(ctx context.Context, who Borrower, in Affordability) (Plan, error) {
	caseID, err := s.OpenCase(ctx, who)
	if err != nil {
		return Plan{}, err
	}
	if caseID == 0 {
		return Plan{}, ErrNoCase
	}
	a := offer.Assessment{MonthlyIncome: in.MonthlyIncome, IncomeEvidence: "self_declared",
		EssentialExpenses: in.EssentialExpenses, OtherDebtPayments: in.OtherDebtPayments, Dependants: in.Dependants,
		Hardship: in.Hardship, HardshipMonths: in.HardshipMonths}
	as, err := s.neg.Assess(ctx, s.actor(who), caseID, negotiation.NewAssessment{Assessment: a,
		Evidence: "借款人通过自助渠道自报 / self-declared by the borrower through self-service"})
	if err != nil {
		return Plan{}, err
	}
	offers, err := s.neg.ProposeOffers(ctx, s.actor(who), caseID)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{CaseID: caseID, AssessmentID: as.ID}
	ids := make([]int64, 0, len(offers))
	auto := 0
	for _, o := range offers {
		po := s.planOffer(o)
		if po.Auto {
			auto++
		}
		p.Offers, ids = append(p.Offers, po), append(ids, o.ID)
	}
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		r := sqlstore.PortalRequest{BorrowerID: who.ID, CaseID: caseID, LoanID: who.LoanID, Kind: "plan",
			Channel: channelOf(who), CreatedAt: s.now()}
		if err := tx.CreatePortalRequest(ctx, &r); err != nil {
			return err
		}
		ev := sqlstore.CaseEvent{CaseID: caseID, BorrowerID: who.ID, On: s.Today(), At: s.now(), Kind: sqlstore.EventNote,
			Code: "portal_plan", Actor: "borrower", ZH: fmt.Sprintf("借款人通过自助渠道申请分期：%d 个方案待审批", len(offers)),
			EN:       fmt.Sprintf("The borrower asked for a plan through self-service: %d offers await approval", len(offers)),
			DedupKey: fmt.Sprintf("portal_request:%d", r.ID)}
		if _, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{ev}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(who, "portal.plan_request", "case", caseID,
			map[string]any{"assessment_id": as.ID, "offers": ids, "auto_approvable": auto}))
	})
	if err != nil {
		return Plan{}, fmt.Errorf("record plan request: %w", err)
	}
	return p, nil
}

// Offers returns the offers on who's open case that are still open
// (proposed or approved), best first; none when nothing is overdue.
func (s *Service) Offers(ctx context.Context, who Borrower) ([]PlanOffer, error) {
	var out []PlanOffer
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		c, ok, err := openCase(ctx, tx, who)
		if err != nil || !ok {
			return err
		}
		list, err := tx.Offers(ctx, sqlstore.OfferFilter{CaseID: c.ID})
		if err != nil {
			return err
		}
		for _, o := range list {
			if o.Status == sqlstore.OfferProposed || o.Status == sqlstore.OfferApproved {
				out = append(out, s.planOffer(o))
			}
		}
		return nil
	})
	return out, err
}

// ownOffer loads offer id if it is on who's open case.
func (s *Service) ownOffer(ctx context.Context, who Borrower, id int64) (sqlstore.Offer, error) {
	var o sqlstore.Offer
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		o, err = tx.Offer(ctx, id)
		if err == nil && o.BorrowerID != who.ID {
			err = errs.Errorf(errs.NotFound, "Offer %d not found.", id)
		}
		return err
	})
	return o, err
}

// AcceptOffer accepts offer id for who: an offer within the auto-approval
// policy is approved at once (by "portal:auto-approval", within the team's
// budget), one a negotiator approved is taken as it is, and either becomes
// an agreement whose acceptance code goes to the borrower by SMS; confirm
// it with ConfirmAgreement. It returns ErrNeedsReview for an offer that
// waits for a negotiator (also when the budget is exhausted), NotFound for
// an offer that is not who's, and the errors of negotiation's
// ApproveOffer, CreateAgreement and SendAcceptanceCode.
func (s *Service) AcceptOffer(ctx context.Context, who Borrower, id int64) (Acceptance, error) {
	o, err := s.ownOffer(ctx, who, id)
	if err != nil {
		return Acceptance{}, err
	}
	switch {
	case o.Status == sqlstore.OfferProposed && s.autoApprovable(o):
		if _, err := s.neg.ApproveOffer(ctx, s.autoActor(who), id, "自助渠道自动审批 / auto-approved within the self-service policy"); err != nil {
			var be *negotiation.BudgetError
			if errorsAs(err, &be) {
				return Acceptance{}, ErrNeedsReview
			}
			return Acceptance{}, err
		}
	case o.Status == sqlstore.OfferProposed:
		return Acceptance{}, ErrNeedsReview
	case o.Status != sqlstore.OfferApproved:
		return Acceptance{}, negotiation.ErrOfferNotApproved
	}
	ag, err := s.neg.CreateAgreement(ctx, s.actor(who), id)
	if err != nil {
		return Acceptance{}, err
	}
	if ag, err = s.neg.SendAcceptanceCode(ctx, s.actor(who), ag.ID); err != nil {
		return Acceptance{AgreementID: ag.ID}, err
	}
	return Acceptance{AgreementID: ag.ID, CodeExpiresAt: ag.CodeExpiresAt.In(s.collect.Zone()).Format("15:04")}, nil
}

// ConfirmAgreement accepts agreement id with the SMS code who received and
// activates it (negotiation.ConfirmAcceptance). It returns NotFound for an
// agreement that is not who's, and the errors of ConfirmAcceptance (an
// Invalid error naming code for a wrong one).
func (s *Service) ConfirmAgreement(ctx context.Context, who Borrower, id int64, code string) (sqlstore.Agreement, error) {
	var a sqlstore.Agreement
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		a, err = tx.Agreement(ctx, id)
		if err == nil && a.BorrowerID != who.ID {
			err = errs.Errorf(errs.NotFound, "Agreement %d not found.", id)
		}
		return err
	})
	if err != nil {
		return sqlstore.Agreement{}, err
	}
	return s.neg.ConfirmAcceptance(ctx, s.actor(who), id, code)
}
