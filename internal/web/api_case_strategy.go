package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/strategy"
)

// strategyBody is a strategy definition as JSON (see the strategy
// docs/STRATEGY.md). It is read raw so that a syntax error can be
// reported with its line and column and unknown fields refused.
type strategyBody struct {
	RawBody []byte `contentType:"application/json"`
}

type experimentInput struct {
	Body collect.ExperimentRequest
}

type experimentStopInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Promote bool `json:"promote,omitempty" doc:"Publish the challenger as the new champion"`
	}
}

type dashboardInput struct {
	AsOf date.Date `query:"as_of" doc:"YYYY-MM-DD; the latest nightly run when empty"`
}

func (s *Server) registerStrategyAPI() {
	tags := []string{"strategies"}
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "listStrategies", Method: http.MethodGet, Path: "/api/v1/strategies",
		Summary: "Strategy versions, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []strategyVersionView }, error) {
			list, err := s.svc.StrategyVersions(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []strategyVersionView }{viewsOf(nonNil(list), strategyVersionViewOf)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "createStrategy", Method: http.MethodPost, Path: "/api/v1/strategies",
		Summary: "Save a strategy definition as a draft version",
		Description: "The definition is type-checked first; a refused one answers 422 with one error per problem, located at " +
			"the rule and field (body.rules[2].when) and naming the rule and the position in its condition. Nothing is saved " +
			"and the published version keeps running.",
		Tags: tags, DefaultStatus: http.StatusCreated, SkipValidateBody: true},
		func(ctx context.Context, in *strategyBody) (*struct{ Body strategyVersionView }, error) {
			v, err := s.svc.CreateStrategyVersion(ctx, apiActor(ctx), in.RawBody)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body strategyVersionView }{strategyVersionViewOf(v)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "previewStrategy", Method: http.MethodPost, Path: "/api/v1/strategies/preview",
		Summary: "How many of today's open cases each rule of a definition would match and decide", Tags: tags,
		SkipValidateBody: true},
		func(ctx context.Context, in *strategyBody) (*struct{ Body strategy.PreviewResult }, error) {
			p, err := s.svc.PreviewStrategy(ctx, apiActor(ctx), in.RawBody)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body strategy.PreviewResult }{p}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "getStrategy", Method: http.MethodGet, Path: "/api/v1/strategies/{id}",
		Summary: "A strategy version", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body strategyVersionView }, error) {
			v, err := s.svc.StrategyVersion(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body strategyVersionView }{strategyVersionViewOf(v)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "publishStrategy", Method: http.MethodPost, Path: "/api/v1/strategies/{id}/publish",
		Summary: "Publish a version: it becomes the champion from the next nightly run",
		Description: "Four eyes: the user who wrote the version may not publish it (403); another user with the strategy " +
			"permission must. Both the publication and a refused attempt are audited.",
		Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body strategyVersionView }, error) {
			v, err := s.svc.PublishStrategy(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body strategyVersionView }{strategyVersionViewOf(v)}, nil
		})
	s.registerExperimentAPI()
}

func (s *Server) registerExperimentAPI() {
	tags := []string{"experiments"}
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "listExperiments", Method: http.MethodGet, Path: "/api/v1/experiments",
		Summary: "Champion/challenger experiments, newest first", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []experimentView }, error) {
			list, err := s.svc.Experiments(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []experimentView }{viewsOf(nonNil(list), experimentViewOf)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "startExperiment", Method: http.MethodPost, Path: "/api/v1/experiments",
		Summary: "Start an experiment (the champion defaults to the published version)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *experimentInput) (*struct{ Body experimentView }, error) {
			e, err := s.svc.StartExperiment(ctx, apiActor(ctx), in.Body)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body experimentView }{experimentViewOf(e)}, nil
		})
	register(s, auth.PermDashboardRead, huma.Operation{OperationID: "getExperimentResults", Method: http.MethodGet, Path: "/api/v1/experiments/{id}/results",
		Summary: "Per arm: cure and roll-forward rates, recovery, contacts and cost with 95% intervals, and p-values", Tags: tags},
		func(ctx context.Context, in *idParam) (*struct{ Body experimentResultsView }, error) {
			res, err := s.svc.ExperimentResults(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			res.Days = nonNil(res.Days)
			return &struct{ Body experimentResultsView }{experimentResultsViewOf(res)}, nil
		})
	register(s, auth.PermStrategyEdit, huma.Operation{OperationID: "stopExperiment", Method: http.MethodPost, Path: "/api/v1/experiments/{id}/stop",
		Summary: "Stop an experiment, optionally publishing the challenger", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *experimentStopInput) (*struct{}, error) {
			if err := s.svc.StopExperiment(ctx, apiActor(ctx), in.ID, in.Body.Promote); err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{}{}, nil
		})
	register(s, auth.PermDashboardRead, huma.Operation{OperationID: "getDashboard", Method: http.MethodGet, Path: "/api/v1/dashboard",
		Summary: "The collections dashboard: flow rates, transition matrix, cure and recovery rates, collectors and teams", Tags: []string{"dashboard"}},
		func(ctx context.Context, in *dashboardInput) (*struct{ Body collect.Dashboard }, error) {
			d, err := s.svc.Dashboard(ctx, apiActor(ctx), in.AsOf)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.Dashboard }{d}, nil
		})
}
