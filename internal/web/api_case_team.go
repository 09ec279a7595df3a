package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/sqlstore"
)

type teamInput struct {
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"100"`
	}
}

type collectorInput struct {
	Body collectorView
}

type collectorUpdateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body collectorView
}

type agencyInput struct {
	Body agencyView
}

type agencyUpdateInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body agencyView
}

// registerTeamAPI registers the teams, collectors and agencies API; the
// queues page shows the same.
func (s *Server) registerTeamAPI() {
	tags := []string{"teams"}
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "getQueues", Method: http.MethodGet, Path: "/api/v1/queues",
		Summary: "Teams with their collectors' loads, agencies, unassigned cases", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body queuesView }, error) {
			q, err := s.svc.Queues(ctx, apiActor(ctx), sqlstore.CaseFilter{Limit: 1})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			q.Teams, q.Agencies, q.Cases = nonNil(q.Teams), nonNil(q.Agencies), nil
			return &struct{ Body queuesView }{queuesViewOf(q)}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "createTeam", Method: http.MethodPost, Path: "/api/v1/teams",
		Summary: "Create a team", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *teamInput) (*struct{ Body teamView }, error) {
			t, err := s.svc.CreateTeam(ctx, apiActor(ctx), in.Body.Name)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body teamView }{teamViewOf(t)}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "createCollector", Method: http.MethodPost, Path: "/api/v1/collectors",
		Summary: "Create a collector (skills: languages, regions, buckets, queues; capacity)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *collectorInput) (*struct{ Body collectorView }, error) {
			in.Body.ID = 0
			c, err := s.svc.SaveCollector(ctx, apiActor(ctx), in.Body.store())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collectorView }{collectorViewOf(c)}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "updateCollector", Method: http.MethodPut, Path: "/api/v1/collectors/{id}",
		Summary: "Replace a collector's team, skills, capacity and active flag", Tags: tags},
		func(ctx context.Context, in *collectorUpdateInput) (*struct{ Body collectorView }, error) {
			in.Body.ID = in.ID
			c, err := s.svc.SaveCollector(ctx, apiActor(ctx), in.Body.store())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collectorView }{collectorViewOf(c)}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "createAgency", Method: http.MethodPost, Path: "/api/v1/agencies",
		Summary: "Create an outside agency (whitelist, capacity, commission, contract dates)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *agencyInput) (*struct{ Body agencyView }, error) {
			in.Body.ID = 0
			a, err := s.svc.SaveAgency(ctx, apiActor(ctx), in.Body.store())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body agencyView }{agencyViewOf(a)}, nil
		})
	register(s, auth.PermCaseManage, huma.Operation{OperationID: "updateAgency", Method: http.MethodPut, Path: "/api/v1/agencies/{id}",
		Summary: "Replace an agency's settings", Tags: tags},
		func(ctx context.Context, in *agencyUpdateInput) (*struct{ Body agencyView }, error) {
			in.Body.ID = in.ID
			a, err := s.svc.SaveAgency(ctx, apiActor(ctx), in.Body.store())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body agencyView }{agencyViewOf(a)}, nil
		})
}
