package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

type paymentAttemptInput struct {
	Body struct {
		ExternalID  string       `json:"external_id" minLength:"1" maxLength:"200" doc:"The payment system's reference of the attempt; recording is idempotent by it"`
		LoanID      int64        `json:"loan_id" minimum:"1"`
		Amount      money.Amount `json:"amount" pattern:"^\\d{1,13}(\\.\\d{1,2})?$" doc:"Yuan the attempt tried to collect, e.g. \"1065.62\""`
		AttemptedOn date.Date    `json:"attempted_on" format:"date"`
		Channel     string       `json:"channel,omitempty" maxLength:"40" doc:"withholding (auto-debit, the default) or the payment system's channel name"`
		Status      string       `json:"status" enum:"failed,succeeded"`
		Reason      string       `json:"reason,omitempty" maxLength:"500" doc:"The bank's reason for a failure (余额不足, card frozen …)"`
	}
}

type paymentAttemptOutput struct {
	Status int `json:"-"`
	Body   ledger.PaymentAttempt
}

// registerPaymentAttemptAPI registers the route the lender's payment
// system reports collection attempts to (failed auto-debits feed the early
// warnings).
func (s *Server) registerPaymentAttemptAPI() {
	register(s, auth.PermPaymentWrite, huma.Operation{OperationID: "createPaymentAttempt", Method: http.MethodPost,
		Path: "/api/v1/payment-attempts", Summary: "Record a collection attempt (e.g. a failed auto-debit)", Tags: []string{"payments"},
		Description: "Records an attempt of the payment system to collect on a loan, failed or succeeded; money received is a payment " +
			"(POST /api/v1/payments). A failed auto-debit (channel withholding) with nothing collected since raises the early warning " +
			"failed_auto_debit on a current borrower. Idempotent by external_id: 201 when recorded, 200 when it already was, 409 when " +
			"the reference was recorded with other details."},
		func(ctx context.Context, in *paymentAttemptInput) (*paymentAttemptOutput, error) {
			b := in.Body
			ch := b.Channel
			if ch == "" {
				ch = ledger.ChannelWithholding
			}
			a, created, err := s.svc.RecordPaymentAttempt(ctx, apiActor(ctx), ledger.PaymentAttempt{ExternalID: b.ExternalID,
				LoanID: b.LoanID, Amount: b.Amount, AttemptedOn: b.AttemptedOn, Channel: ch, Status: b.Status, Reason: b.Reason})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			status := http.StatusOK
			if created {
				status = http.StatusCreated
			}
			return &paymentAttemptOutput{Status: status, Body: a}, nil
		})
}
