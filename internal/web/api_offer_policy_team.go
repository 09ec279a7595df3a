package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/negotiation"
	"accord/internal/offer"
)

// offerPolicyDetail is one offer policy version with the policy it holds
// and what it changes against the published version.
type offerPolicyDetail struct {
	Version offerPolicyVersionView `json:"version"`
	Policy  offer.Policy           `json:"policy"`
	// Changes against the published version, setting by setting and cell by
	// cell of the authority matrix (empty for the published version).
	Changes []negotiation.PolicyChange `json:"changes_from_published"`
}

type supportProgrammeInput struct {
	Body negotiation.SupportProgramme
}

// registerOfferPolicyDetailAPI registers one offer policy version and the
// support programme's messages.
func (s *Server) registerOfferPolicyDetailAPI(tags []string) {
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "getOfferPolicy", Method: http.MethodGet,
		Path: "/api/v1/offer-policies/{id}", Tags: tags,
		Summary: "An offer policy version, the policy it holds, and its changes against the published version"},
		func(ctx context.Context, in *idParam) (*struct{ Body offerPolicyDetail }, error) {
			d, err := s.neg.OfferPolicyDetail(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			out := offerPolicyDetail{Version: offerPolicyVersionViewOf(d.Version), Policy: d.Policy, Changes: []negotiation.PolicyChange{}}
			if pub, err := s.neg.OfferPolicyDetail(ctx, apiActor(ctx), 0); err == nil && pub.Version.ID != d.Version.ID {
				out.Changes = nonNil(negotiation.DiffPolicies(pub.Policy, d.Policy))
			}
			return &struct{ Body offerPolicyDetail }{out}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "getSupportProgramme", Method: http.MethodGet,
		Path: "/api/v1/support-programme", Tags: tags,
		Summary: "The support programme's educational messages in force and the latest the nightly step recorded"},
		func(ctx context.Context, _ *struct{}) (*struct{ Body supportProgrammeView }, error) {
			v, err := s.neg.SupportProgrammeInForce(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			v.Recently = nonNil(v.Recently)
			return &struct{ Body supportProgrammeView }{supportProgrammeViewOf(v)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "saveSupportProgramme", Method: http.MethodPut,
		Path: "/api/v1/support-programme", Tags: tags,
		Summary:     "Save a new version of the support programme's messages (day after enrolment, zh and en text)",
		Description: "A refused programme answers 422 naming the fields (messages[1].zh); nothing is saved."},
		func(ctx context.Context, in *supportProgrammeInput) (*struct{ Body supportProgrammeVersionView }, error) {
			v, err := s.neg.SaveSupportProgramme(ctx, apiActor(ctx), in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body supportProgrammeVersionView }{supportProgrammeVersionViewOf(v)}, nil
		})
}

type teamSettingsInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body negotiation.TeamSettingsRequest
}

// registerTeamNegotiationAPI registers the teams' negotiation settings:
// which offer policy version a team's cases use, whether they take part in
// offer policy experiments, and the team's monthly restructuring budget
// share. Reading takes offer:approve (approvers see the budgets), changing
// strategy:edit, like offer policies.
func (s *Server) registerTeamNegotiationAPI(tags []string) {
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "listTeamNegotiationSettings", Method: http.MethodGet,
		Path: "/api/v1/negotiation-teams", Tags: tags,
		Summary: "Every team with its negotiation settings in force and this month's restructuring budget and what is used"},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []teamSettingsView }, error) {
			list, err := s.neg.Teams(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []teamSettingsView }{nonNil(viewsOf(list, teamSettingsViewOf))}, nil
		})
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "listTeamNegotiationVersions", Method: http.MethodGet,
		Path: "/api/v1/teams/{id}/negotiation-settings", Summary: "Every version of a team's negotiation settings, newest first",
		Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body []teamNegotiationView }, error) {
			list, err := s.neg.TeamHistory(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []teamNegotiationView }{nonNil(viewsOf(list, teamNegotiationViewOf))}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "configureTeamNegotiation", Method: http.MethodPost,
		Path: "/api/v1/teams/{id}/negotiation-settings", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Save a new version of a team's negotiation settings (pinned offer policy version, experiments, budget share)",
		Description: "policy_id 0 follows the published version; a pinned version must have been published. budget_share is a " +
			"decimal from 0 to 1 (\"\" for the lender's default). A refused value answers 422 naming the field."},
		func(ctx context.Context, in *teamSettingsInput) (*struct{ Body teamNegotiationView }, error) {
			v, err := s.neg.ConfigureTeam(ctx, apiActor(ctx), in.ID, in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body teamNegotiationView }{teamNegotiationViewOf(v)}, nil
		})
}
