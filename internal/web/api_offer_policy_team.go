package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/negotiation"
	"accord/internal/sqlstore"
)

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
		func(ctx context.Context, _ *struct{}) (*struct{ Body []negotiation.TeamSettings }, error) {
			list, err := s.neg.Teams(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []negotiation.TeamSettings }{nonNil(list)}, nil
		})
	register(s, auth.PermOfferApprove, huma.Operation{OperationID: "listTeamNegotiationVersions", Method: http.MethodGet,
		Path: "/api/v1/teams/{id}/negotiation-settings", Summary: "Every version of a team's negotiation settings, newest first",
		Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body []sqlstore.TeamNegotiation }, error) {
			list, err := s.neg.TeamHistory(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []sqlstore.TeamNegotiation }{nonNil(list)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "configureTeamNegotiation", Method: http.MethodPost,
		Path: "/api/v1/teams/{id}/negotiation-settings", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Save a new version of a team's negotiation settings (pinned offer policy version, experiments, budget share)",
		Description: "policy_id 0 follows the published version; a pinned version must have been published. budget_share is a " +
			"decimal from 0 to 1 (\"\" for the lender's default). A refused value answers 422 naming the field."},
		func(ctx context.Context, in *teamSettingsInput) (*struct{ Body sqlstore.TeamNegotiation }, error) {
			v, err := s.neg.ConfigureTeam(ctx, apiActor(ctx), in.ID, in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body sqlstore.TeamNegotiation }{v}, nil
		})
}
