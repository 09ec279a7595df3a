package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/sqlstore"
)

type idParam struct {
	ID int64 `path:"id" minimum:"1"`
}

type borrowerListInput struct {
	Limit      int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Offset     int    `query:"offset" minimum:"0" default:"0" doc:"Rows to skip"`
	Name       string `query:"name" doc:"Name prefix"`
	ExternalID string `query:"external_id"`
	Phone      string `query:"phone" doc:"Exact phone number in E.164 form"`
}

type borrowerList struct {
	Items []borrower.Borrower `json:"items"`
	Total int                 `json:"total"`
}

type borrowerCreateInput struct {
	Body borrowerRequest
}

type revealInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"500" doc:"Why the unmasked data is needed; recorded in the audit log"`
	}
}

func (s *Server) registerBorrowerAPI() {
	register(s, auth.PermBorrowerRead, huma.Operation{OperationID: "listBorrowers", Method: http.MethodGet, Path: "/api/v1/borrowers",
		Summary: "List borrowers", Tags: []string{"borrowers"}},
		func(ctx context.Context, in *borrowerListInput) (*struct{ Body borrowerList }, error) {
			f := sqlstore.BorrowerFilter{Limit: in.Limit, Offset: in.Offset}
			f.NamePrefix, f.ExternalID, f.Phone = optional(in.Name), optional(in.ExternalID), optional(in.Phone)
			items, total, err := s.svc.Borrowers(ctx, apiActor(ctx), f)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body borrowerList }{borrowerList{Items: nonNil(items), Total: total}}, nil
		})
	register(s, auth.PermBorrowerWrite, huma.Operation{OperationID: "createBorrower", Method: http.MethodPost, Path: "/api/v1/borrowers",
		Summary: "Create a borrower", Tags: []string{"borrowers"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *borrowerCreateInput) (*struct{ Body borrower.Borrower }, error) {
			b, err := s.svc.CreateBorrower(ctx, apiActor(ctx), in.Body.borrower())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body borrower.Borrower }{b}, nil
		})
	register(s, auth.PermBorrowerRead, huma.Operation{OperationID: "getBorrower", Method: http.MethodGet, Path: "/api/v1/borrowers/{id}",
		Summary: "A borrower with contacts and loans (personal data masked)", Tags: []string{"borrowers"}},
		func(ctx context.Context, in *idParam) (*struct{ Body collect.BorrowerPage }, error) {
			p, err := s.svc.Borrower(ctx, apiActor(ctx), in.ID)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.BorrowerPage }{p}, nil
		})
	// Guarded by borrower:read only: RevealPII checks pii:reveal itself, so
	// that a refused reveal is audited like any other.
	register(s, auth.PermBorrowerRead, huma.Operation{OperationID: "revealBorrower", Method: http.MethodPost, Path: "/api/v1/borrowers/{id}/reveal",
		Summary: "Reveal a borrower's national id and phone numbers (audited)", Tags: []string{"borrowers"}},
		func(ctx context.Context, in *revealInput) (*struct{ Body collect.Revealed }, error) {
			rev, err := s.svc.RevealPII(ctx, apiActor(ctx), in.ID, in.Body.Reason)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.Revealed }{rev}, nil
		})
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func apiActor(ctx context.Context) collect.Actor {
	a := collect.Actor{RequestID: requestID(ctx)}
	if p := principalOf(ctx); p != nil {
		a.User = p.User
	}
	return a
}

// apiErr converts a service error into an RFC 9457 problem for huma.
func (s *Server) apiErr(ctx context.Context, err error) error {
	path, _ := ctx.Value(keyPath).(string)
	r, _ := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
	return s.apiError(r, err)
}
