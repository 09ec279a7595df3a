package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/ledger"
)

type paymentCreateInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"Repeat a request with the same key and body to get the same result without posting twice"`
	Body           paymentRequest
}

type paymentOutput struct {
	Status int `json:"-"`
	Body   ledger.Payment
}

type paymentReverseInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Reason string `json:"reason" minLength:"1" maxLength:"500"`
	}
}

type paymentListInput struct {
	ID int64 `path:"id" minimum:"1"`
}

func (s *Server) registerPaymentAPI() {
	register(s, auth.PermPaymentWrite, huma.Operation{OperationID: "createPayment", Method: http.MethodPost, Path: "/api/v1/payments",
		Summary: "Record a payment", Tags: []string{"payments"},
		Description: "Allocates the payment by the waterfall (default penalty → late fee → interest → principal, oldest installment first); " +
			"an overpayment is kept as credit. Idempotent by external_id and by the Idempotency-Key header: 201 when posted, 200 when it already was."},
		func(ctx context.Context, in *paymentCreateInput) (*paymentOutput, error) {
			p, created, err := s.svc.RecordPaymentKeyed(ctx, apiActor(ctx), in.IdempotencyKey, in.Body.payment())
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return &paymentOutput{Status: status, Body: p}, nil
		})
	register(s, auth.PermPaymentReverse, huma.Operation{OperationID: "reversePayment", Method: http.MethodPost, Path: "/api/v1/payments/{id}/reverse",
		Summary: "Reverse a payment; it stays on record and the loan is re-allocated without it", Tags: []string{"payments"}},
		func(ctx context.Context, in *paymentReverseInput) (*struct{ Body ledger.Payment }, error) {
			p, err := s.svc.ReversePayment(ctx, apiActor(ctx), in.ID, in.Body.Reason)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body ledger.Payment }{p}, nil
		})
	register(s, auth.PermLoanRead, huma.Operation{OperationID: "listLoanPayments", Method: http.MethodGet, Path: "/api/v1/loans/{id}/payments",
		Summary: "A loan's payments, reversed ones included", Tags: []string{"payments"}},
		func(ctx context.Context, in *paymentListInput) (*struct{ Body []ledger.Payment }, error) {
			page, err := s.svc.Loan(ctx, apiActor(ctx), in.ID, 0)
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &struct{ Body []ledger.Payment }{nonNil(page.Payments)}, nil
		})
}
