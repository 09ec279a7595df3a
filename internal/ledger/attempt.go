package ledger

import (
	"strings"
	"time"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Outcomes of a payment attempt.
const (
	AttemptFailed    = "failed"
	AttemptSucceeded = "succeeded"
)

// ChannelWithholding is the channel of an auto-debit (代扣): the lender
// withholds the installment from the borrower's bank account.
const ChannelWithholding = "withholding"

// PaymentAttempt is an attempt the lender's payment system made to collect
// from a borrower, above all an auto-debit, whether it failed or
// succeeded. Money received is a Payment; an attempt is evidence of how
// collecting went (a failed withholding is an early warning).
type PaymentAttempt struct {
	ID          int64        `json:"id"`
	ExternalID  string       `json:"external_id"` // the payment system's reference: recording is idempotent by it
	BorrowerID  int64        `json:"borrower_id"`
	LoanID      int64        `json:"loan_id"`
	AttemptedOn date.Date    `json:"attempted_on"`
	Amount      money.Amount `json:"amount"`
	Channel     string       `json:"channel"` // withholding (auto-debit), …
	Status      string       `json:"status"`  // failed or succeeded
	Reason      string       `json:"reason"`  // the bank's reason for a failure (insufficient funds, card frozen …)
	CreatedAt   time.Time    `json:"created_at"`
}

// Validate checks a's fields as reported on day today. It returns an
// Invalid error naming each field at fault.
func (a PaymentAttempt) Validate(today date.Date) error {
	var fs []errs.FieldError
	if strings.TrimSpace(a.ExternalID) == "" || len(a.ExternalID) > 200 {
		fs = append(fs, errs.FieldError{Field: "external_id", Message: "is required (at most 200 characters): the payment system's reference makes recording idempotent"})
	}
	if a.LoanID <= 0 {
		fs = append(fs, errs.FieldError{Field: "loan_id", Message: "is required"})
	}
	if a.Amount <= 0 {
		fs = append(fs, errs.FieldError{Field: "amount", Message: "must be positive"})
	}
	if a.AttemptedOn.IsZero() {
		fs = append(fs, errs.FieldError{Field: "attempted_on", Message: "is required"})
	} else if a.AttemptedOn.After(today.AddDays(1)) {
		fs = append(fs, errs.FieldError{Field: "attempted_on", Message: "is in the future"})
	}
	if strings.TrimSpace(a.Channel) == "" || len(a.Channel) > 40 {
		fs = append(fs, errs.FieldError{Field: "channel", Message: "is required (withholding for an auto-debit; at most 40 characters)"})
	}
	if a.Status != AttemptFailed && a.Status != AttemptSucceeded {
		fs = append(fs, errs.FieldError{Field: "status", Message: "must be failed or succeeded"})
	}
	if len(a.Reason) > 500 {
		fs = append(fs, errs.FieldError{Field: "reason", Message: "is longer than 500 characters"})
	}
	if len(fs) > 0 {
		return errs.Fields("Invalid payment attempt.", fs...)
	}
	return nil
}
