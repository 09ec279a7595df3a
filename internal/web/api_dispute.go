package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
)

type disputeOutcomeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Outcome string `json:"outcome" enum:"upheld,rejected,corrected" doc:"What the investigation found: upheld (the borrower was right), rejected (the debt stands), corrected (the record was fixed)"`
		Note    string `json:"note" minLength:"1" maxLength:"2000" doc:"What the investigation found; national ids and phone numbers are masked before it is stored"`
	}
}

func (s *Server) registerDisputeAPI() {
	register(s, auth.PermDisputeResolve, huma.Operation{OperationID: "recordDisputeOutcome", Method: http.MethodPost,
		Path: "/api/v1/borrowers/{id}/dispute-outcome", Tags: []string{"borrowers"},
		Summary: "Record the outcome of a borrower's dispute",
		Description: "Sets dispute_resolved, which lifts the suspension of collection (CN-DISPUTE, UK-DISPUTE), with a case " +
			"timeline entry and an audit event. 409 when the borrower has no open dispute. A later dispute suspends again. " +
			"Whether an upheld dispute also closes the debt is not decided here."},
		func(ctx context.Context, in *disputeOutcomeInput) (*struct{ Body collect.DisputeOutcome }, error) {
			out, err := s.svc.RecordDisputeOutcome(ctx, apiActor(ctx), in.ID, in.Body.Outcome, in.Body.Note)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.DisputeOutcome }{out}, nil
		})
}
