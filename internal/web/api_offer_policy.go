package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/negotiation"
)

// offerPolicyBody is an offer policy document as JSON (docs/NEGOTIATION.md),
// read raw so that offer.ParsePolicy refuses unknown fields and names the
// fields at fault.
type offerPolicyBody struct {
	RawBody []byte `contentType:"application/json"`
}

type offerPolicyResultsOutput struct {
	Body policyExperimentResultsView
}

type offerPolicyExperimentInput struct {
	Body negotiation.PolicyExperimentRequest
}

// registerOfferPolicyAPI registers the offer policy versions and their
// champion/challenger experiments. Like strategies, editing takes
// strategy:edit and results dashboard:read; the use cases check four eyes.
func (s *Server) registerOfferPolicyAPI() {
	tags := []string{"offer policies"}
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "listOfferPolicies", Method: http.MethodGet,
		Path: "/api/v1/offer-policies", Summary: "Offer policy versions, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []offerPolicyVersionView }, error) {
			list, err := s.neg.OfferPolicyVersions(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []offerPolicyVersionView }{nonNil(viewsOf(list, offerPolicyVersionViewOf))}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "createOfferPolicy", Method: http.MethodPost,
		Path: "/api/v1/offer-policies", Summary: "Save an offer policy document as a draft version of the policy it names",
		Description: "A refused document answers 422 naming the fields (policy.max_term_months); nothing is saved.",
		Tags:        tags, DefaultStatus: http.StatusCreated, SkipValidateBody: true},
		func(ctx context.Context, in *offerPolicyBody) (*struct{ Body offerPolicyVersionView }, error) {
			v, err := s.neg.CreateOfferPolicyVersion(ctx, apiActor(ctx), in.RawBody)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body offerPolicyVersionView }{offerPolicyVersionViewOf(v)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "publishOfferPolicy", Method: http.MethodPost,
		Path: "/api/v1/offer-policies/{id}/publish", Summary: "Publish an offer policy version: new offers use it",
		Description: "Four eyes: the user who saved the version may not publish it (403).", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body offerPolicyVersionView }, error) {
			v, err := s.neg.PublishOfferPolicy(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body offerPolicyVersionView }{offerPolicyVersionViewOf(v)}, nil
		})
	s.registerOfferPolicyExperimentAPI(tags)
	s.registerTeamNegotiationAPI(tags)   // api_offer_policy_team.go
	s.registerOfferPolicyDetailAPI(tags) // api_offer_policy_team.go
}

func (s *Server) registerOfferPolicyExperimentAPI(tags []string) {
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "listOfferPolicyExperiments", Method: http.MethodGet,
		Path: "/api/v1/offer-policy-experiments", Summary: "Offer policy experiments, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []experimentView }, error) {
			list, err := s.neg.OfferPolicyExperiments(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []experimentView }{nonNil(viewsOf(list, experimentViewOf))}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "startOfferPolicyExperiment", Method: http.MethodPost,
		Path: "/api/v1/offer-policy-experiments", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary: "Start an offer policy experiment (the champion defaults to the published version)"},
		func(ctx context.Context, in *offerPolicyExperimentInput) (*struct{ Body experimentView }, error) {
			e, err := s.neg.StartOfferPolicyExperiment(ctx, apiActor(ctx), in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body experimentView }{experimentViewOf(e)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "stopOfferPolicyExperiment", Method: http.MethodPost,
		Path: "/api/v1/offer-policy-experiments/{id}/stop", Summary: "Stop an offer policy experiment", Tags: tags,
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *idParam) (*struct{}, error) {
			if err := s.neg.StopOfferPolicyExperiment(ctx, apiActor(ctx), in.ID); err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{}{}, nil
		})
	register(s, auth.PermDashboardRead, huma.Operation{OperationID: "getOfferPolicyExperimentResults", Method: http.MethodGet,
		Path: "/api/v1/offer-policy-experiments/{id}/results", Tags: tags,
		Summary: "Per arm: offers, acceptance, plans kept and broken, recovery through plans, with 95% intervals and p-values"},
		func(ctx context.Context, in *idParam) (*offerPolicyResultsOutput, error) {
			res, err := s.neg.OfferPolicyExperimentResults(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &offerPolicyResultsOutput{policyExperimentResultsViewOf(res)}, nil
		})
}
