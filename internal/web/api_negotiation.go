package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/money"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// negotiationBodyLimit is the largest request body of the routes that carry
// files (a round's attachments, a signed copy), base64 in JSON.
const negotiationBodyLimit = 8 << 20

// assessmentBody is an assessment as the API takes it: every field is
// optional to the schema, so that the use case answers (a case outside
// the caller's scope is missing whatever the body says) and names the
// fields at fault.
type assessmentBody struct {
	MonthlyIncome     money.Amount   `json:"monthly_income,omitempty" doc:"Net monthly income, yuan"`
	IncomeEvidence    string         `json:"income_evidence,omitempty" doc:"payslip, bank_statement, tax_record, self_declared …"`
	EssentialExpenses *money.Amount  `json:"essential_expenses,omitempty" doc:"Monthly essential expenses; omit to use the default from household size and city tier"`
	HouseholdSize     int            `json:"household_size,omitempty" doc:"People living on the income; 0: 1 + dependants"`
	CityTier          int            `json:"city_tier,omitempty" doc:"1 (一线) to 4; 0: 2"`
	OtherDebtPayments money.Amount   `json:"other_debt_payments,omitempty" doc:"Monthly payments on other debts"`
	Dependants        int            `json:"dependants,omitempty"`
	LiquidAssets      money.Amount   `json:"liquid_assets,omitempty" doc:"Savings usable now (towards the first payment)"`
	Hardship          offer.Hardship `json:"hardship,omitempty" doc:"job_loss, illness, business_failure, family_event, income_drop, other"`
	HardshipMonths    int            `json:"hardship_months,omitempty" doc:"Expected duration of the hardship"`
	Willingness       string         `json:"willingness,omitempty" doc:"willing, hesitant, unwilling"`
	Evidence          string         `json:"evidence,omitempty" doc:"A note on the evidence seen (masked before storage)"`
}

func (b assessmentBody) input() negotiation.NewAssessment {
	return negotiation.NewAssessment{Evidence: b.Evidence, Assessment: offer.Assessment{MonthlyIncome: b.MonthlyIncome,
		IncomeEvidence: b.IncomeEvidence, EssentialExpenses: b.EssentialExpenses, HouseholdSize: b.HouseholdSize,
		CityTier: b.CityTier, OtherDebtPayments: b.OtherDebtPayments, Dependants: b.Dependants, LiquidAssets: b.LiquidAssets,
		Hardship: b.Hardship, HardshipMonths: b.HardshipMonths, Willingness: b.Willingness}}
}

type assessmentCreateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body assessmentBody
}

type roundCreateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body negotiation.NewRound
}

type decisionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why; required to reject"`
	}
}

type acceptInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Code       string                     `json:"code,omitempty" doc:"The one-time code the borrower received by SMS"`
		SignedCopy *negotiation.NewAttachment `json:"signed_copy,omitempty" doc:"Or the signed agreement (its SHA-256 is kept)"`
	}
}

type assessmentList struct {
	Items []assessmentView `json:"items"`
}

type offerList struct {
	Items []offerView `json:"items"`
}

type roundList struct {
	Items []roundView `json:"items"`
}

// registerNegotiationAPI registers the second-negotiation records API:
// assessments, offers and their approval, rounds and agreements. Case work
// needs case:work, approving and rejecting offer:approve, sending a code
// contact:log; the use cases check the actor's object scope, the
// proposer's four eyes, the authority matrix and the team budget.
func (s *Server) registerNegotiationAPI() {
	tags := []string{"negotiation"}
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "createAssessment", Method: http.MethodPost,
		Path: "/api/v1/cases/{id}/assessments", Summary: "Record a new version of a case's affordability assessment",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *assessmentCreateInput) (*struct{ Body assessmentView }, error) {
			a, err := s.neg.Assess(ctx, apiActor(ctx), in.ID, in.Body.input())
			return negView(ctx, s, a, err, assessmentViewOf)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "listAssessments", Method: http.MethodGet,
		Path: "/api/v1/cases/{id}/assessments", Summary: "A case's assessments, newest version first", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body assessmentList }, error) {
			list, err := s.neg.Assessments(ctx, apiActor(ctx), in.ID)
			return negResult(ctx, s, assessmentList{Items: viewsOf(nonNil(list), assessmentViewOf)}, err)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "proposeOffers", Method: http.MethodPost,
		Path: "/api/v1/cases/{id}/offers", Summary: "Run the offer engine on a case's debt and latest assessment and store its offers",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *idParam) (*struct{ Body offerList }, error) {
			list, err := s.neg.ProposeOffers(ctx, apiActor(ctx), in.ID)
			return negResult(ctx, s, offerList{Items: viewsOf(nonNil(list), offerViewOf)}, err)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "listOffers", Method: http.MethodGet,
		Path: "/api/v1/cases/{id}/offers", Summary: "A case's offers, newest proposal first", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body offerList }, error) {
			list, err := s.neg.Offers(ctx, apiActor(ctx), in.ID)
			return negResult(ctx, s, offerList{Items: viewsOf(nonNil(list), offerViewOf)}, err)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "getOffer", Method: http.MethodGet,
		Path: "/api/v1/offers/{id}", Summary: "An offer with its approval record", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body offerRecordView }, error) {
			r, err := s.neg.Offer(ctx, apiActor(ctx), in.ID)
			return negView(ctx, s, r, err, offerRecordViewOf)
		})
	s.registerNegotiationDecisions(tags)
	s.registerNegotiationRounds(tags)
	s.registerAgreementAPI(tags)
}

func (s *Server) registerNegotiationDecisions(tags []string) {
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "approveOffer", Method: http.MethodPost,
		Path: "/api/v1/offers/{id}/approve", Tags: tags,
		Summary: "Approve a proposed offer (not one's own; within the role's authority and the team's monthly budget)"},
		func(ctx context.Context, in *decisionInput) (*struct{ Body offerView }, error) {
			o, err := s.neg.ApproveOffer(ctx, apiActor(ctx), in.ID, in.Body.Reason)
			return negView(ctx, s, o, err, offerViewOf)
		})
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "rejectOffer", Method: http.MethodPost,
		Path: "/api/v1/offers/{id}/reject", Summary: "Reject a proposed offer, with the reason", Tags: tags},
		func(ctx context.Context, in *decisionInput) (*struct{ Body offerView }, error) {
			o, err := s.neg.RejectOffer(ctx, apiActor(ctx), in.ID, in.Body.Reason)
			return negView(ctx, s, o, err, offerViewOf)
		})
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "getRestructuringBudget", Method: http.MethodGet,
		Path: "/api/v1/teams/{id}/restructuring-budget", Summary: "A team's restructuring budget this month and what is used",
		Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body negotiation.Budget }, error) {
			b, err := s.neg.TeamBudget(ctx, apiActor(ctx), in.ID)
			return negResult(ctx, s, b, err)
		})
}

func (s *Server) registerNegotiationRounds(tags []string) {
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "createRound", Method: http.MethodPost,
		Path: "/api/v1/cases/{id}/rounds", Summary: "Add a round of negotiation (append-only evidence, with attachments)",
		Tags: tags, DefaultStatus: http.StatusCreated, MaxBodyBytes: negotiationBodyLimit},
		func(ctx context.Context, in *roundCreateInput) (*struct{ Body roundView }, error) {
			r, err := s.neg.AddRound(ctx, apiActor(ctx), in.ID, in.Body)
			return negView(ctx, s, r, err, roundViewOf)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "listRounds", Method: http.MethodGet,
		Path: "/api/v1/cases/{id}/rounds", Summary: "A case's rounds of negotiation, oldest first", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body roundList }, error) {
			list, err := s.neg.Rounds(ctx, apiActor(ctx), in.ID)
			return negResult(ctx, s, roundList{Items: viewsOf(nonNil(list), roundViewOf)}, err)
		})
}

func (s *Server) registerAgreementAPI(tags []string) {
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "createAgreement", Method: http.MethodPost,
		Path: "/api/v1/offers/{id}/agreement", Summary: "Put an approved offer to the borrower as an agreement (zh and en text)",
		Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *idParam) (*struct{ Body agreementView }, error) {
			a, err := s.neg.CreateAgreement(ctx, apiActor(ctx), in.ID)
			return negView(ctx, s, a, err, agreementViewOf)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "getAgreement", Method: http.MethodGet,
		Path: "/api/v1/agreements/{id}", Summary: "An agreement, its printable text and how it was accepted", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body agreementView }, error) {
			a, err := s.neg.Agreement(ctx, apiActor(ctx), in.ID)
			return negView(ctx, s, a, err, agreementViewOf)
		})
	register(s, auth.PermContactLog, huma.Operation{OperationID: "sendAgreementCode", Method: http.MethodPost,
		Path: "/api/v1/agreements/{id}/send-code", Tags: tags,
		Summary: "Send the borrower a one-time acceptance code by SMS (through the contact governor and the outbox)"},
		func(ctx context.Context, in *idParam) (*struct{ Body agreementView }, error) {
			a, err := s.neg.SendAcceptanceCode(ctx, apiActor(ctx), in.ID)
			return negView(ctx, s, a, err, agreementViewOf)
		})
	register(s, auth.PermCaseWork, huma.Operation{OperationID: "acceptAgreement", Method: http.MethodPost,
		Path: "/api/v1/agreements/{id}/accept", Tags: tags, MaxBodyBytes: negotiationBodyLimit,
		Summary: "Accept an agreement with the SMS code or a signed copy; the loans are restructured in the same transaction"},
		func(ctx context.Context, in *acceptInput) (*struct{ Body agreementView }, error) {
			var a sqlstore.Agreement
			var err error
			switch b := in.Body; {
			case b.SignedCopy != nil && b.Code == "":
				a, err = s.neg.UploadSignedCopy(ctx, apiActor(ctx), in.ID, *b.SignedCopy)
			case b.SignedCopy == nil:
				a, err = s.neg.ConfirmAcceptance(ctx, apiActor(ctx), in.ID, b.Code)
			default:
				err = errs.Fields("Give the code or a signed copy, not both.",
					errs.FieldError{Field: "signed_copy", Message: "give either code or signed_copy"})
			}
			return negView(ctx, s, a, err, agreementViewOf)
		})
}

// negView wraps v as a response body in the API's form f(v), or err as a
// problem.
func negView[T, V any](ctx context.Context, s *Server, v T, err error, f func(T) V) (*struct{ Body V }, error) {
	if err != nil {
		return nil, s.apiErr(ctx, err)
	}
	return &struct{ Body V }{f(v)}, nil
}

// negResult wraps v as a response body, or err as a problem.
func negResult[T any](ctx context.Context, s *Server, v T, err error) (*struct{ Body T }, error) {
	if err != nil {
		return nil, s.apiErr(ctx, err)
	}
	return &struct{ Body T }{v}, nil
}
