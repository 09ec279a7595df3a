package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/collect"
)

type auditListInput struct {
	Before int64 `query:"before" minimum:"0" doc:"Return events with a lower seq (for paging backwards)"`
	Limit  int   `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

type meOutput struct {
	Body struct {
		User        auth.User         `json:"user"`
		Permissions []auth.Permission `json:"permissions"`
	}
}

func (s *Server) registerPortfolioAPI() {
	register(s, auth.PermPortfolioRead, huma.Operation{OperationID: "getPortfolio", Method: http.MethodGet, Path: "/api/v1/portfolio",
		Summary: "Loans and balances per DPD bucket as of the latest nightly run", Tags: []string{"portfolio"}},
		func(ctx context.Context, _ *struct{}) (*struct{ Body collect.Overview }, error) {
			ov, err := s.svc.Overview(ctx, apiActor(ctx))
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			ov.Buckets = nonNil(ov.Buckets)
			return &struct{ Body collect.Overview }{ov}, nil
		})
	register(s, auth.PermAuditRead, huma.Operation{OperationID: "listAuditEvents", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "Audit events, newest first", Tags: []string{"audit"}},
		func(ctx context.Context, in *auditListInput) (*struct{ Body []audit.Event }, error) {
			ev, err := s.svc.AuditEvents(ctx, apiActor(ctx), in.Before, in.Limit)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []audit.Event }{nonNil(ev)}, nil
		})
	register(s, auth.PermSelf, huma.Operation{OperationID: "getMe", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "The calling user and what they may do", Tags: []string{"users"}},
		func(ctx context.Context, _ *struct{}) (*meOutput, error) {
			out := &meOutput{}
			out.Body.User = principalOf(ctx).User
			for _, p := range auth.AllPermissions {
				if out.Body.User.Can(p) {
					out.Body.Permissions = append(out.Body.Permissions, p)
				}
			}
			return out, nil
		})
}
