package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/sqlstore"
)

type loanListInput struct {
	Limit      int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Offset     int    `query:"offset" minimum:"0" default:"0" doc:"Rows to skip"`
	BorrowerID int64  `query:"borrower_id" minimum:"0"`
	Status     string `query:"status" enum:"active,delinquent,restructured,charged_off,settled,paid_off,"`
	Bucket     string `query:"bucket" doc:"DPD bucket from the latest run, e.g. M1"`
	MinDPD     int    `query:"min_dpd" minimum:"0"`
}

type loanList struct {
	Items []collect.LoanSummary `json:"items"`
	Total int                   `json:"total"`
}

type loanGetInput struct {
	ID   int64  `path:"id" minimum:"1"`
	AsOf string `query:"as_of" doc:"Compute facts as of this date (YYYY-MM-DD); today by default"`
}

type loanCreateInput struct {
	Body loanRequest
}

func (s *Server) registerLoanAPI() {
	register(s, auth.PermLoanRead, huma.Operation{OperationID: "listLoans", Method: http.MethodGet, Path: "/api/v1/loans",
		Summary: "List loans with their latest delinquency facts", Tags: []string{"loans"}},
		func(ctx context.Context, in *loanListInput) (*struct{ Body loanList }, error) {
			f := sqlstore.LoanFilter{Limit: in.Limit, Offset: in.Offset}
			if in.BorrowerID > 0 {
				f.BorrowerID = &in.BorrowerID
			}
			if in.Status != "" {
				st := ledger.Status(in.Status)
				f.Status = &st
			}
			f.Bucket = optional(in.Bucket)
			if in.MinDPD > 0 {
				f.MinDPD = &in.MinDPD
			}
			items, total, err := s.svc.Loans(ctx, apiActor(ctx), f)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body loanList }{loanList{Items: nonNil(items), Total: total}}, nil
		})
	register(s, auth.PermLoanWrite, huma.Operation{OperationID: "createLoan", Method: http.MethodPost, Path: "/api/v1/loans",
		Summary: "Book a loan; the schedule is computed from its terms", Tags: []string{"loans"}, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *loanCreateInput) (*struct{ Body ledger.Loan }, error) {
			l, err := s.svc.CreateLoan(ctx, apiActor(ctx), in.Body.loan())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body ledger.Loan }{l}, nil
		})
	register(s, auth.PermLoanRead, huma.Operation{OperationID: "getLoan", Method: http.MethodGet, Path: "/api/v1/loans/{id}",
		Summary: "A loan with its schedule, payments and delinquency facts", Tags: []string{"loans"}},
		func(ctx context.Context, in *loanGetInput) (*struct{ Body collect.LoanPage }, error) {
			var asOf date.Date
			if in.AsOf != "" {
				var err error
				if asOf, err = date.Parse(in.AsOf); err != nil {
					return nil, s.apiErr(ctx, errs.Fields("Invalid query.", errs.FieldError{Field: "as_of", Message: errs.MessageOf(err)}))
				}
			}
			p, err := s.svc.Loan(ctx, apiActor(ctx), in.ID, asOf)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body collect.LoanPage }{p}, nil
		})
}
