package ledger

import (
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// Method is how a loan's principal and interest are spread over its installments.
type Method string

// The repayment methods.
const (
	EqualInstallment Method = "equal_installment" // 等额本息
	EqualPrincipal   Method = "equal_principal"   // 等额本金
	InterestFirst    Method = "interest_first"    // 先息后本
)

// Status is where a loan is in its life.
type Status string

// The loan statuses.
const (
	Active       Status = "active"
	Delinquent   Status = "delinquent"
	Restructured Status = "restructured"
	ChargedOff   Status = "charged_off"
	Settled      Status = "settled"
	PaidOff      Status = "paid_off"
)

// Product is a loan product: the default terms new loans of it get.
type Product struct {
	ID               int64           `json:"id"`
	Code             string          `json:"code"`
	Name             string          `json:"name"`
	Method           Method          `json:"method"`
	AnnualRate       decimal.Decimal `json:"annual_rate"`
	TermMonths       int             `json:"term_months"`
	PenaltyRateDaily decimal.Decimal `json:"penalty_rate_daily"`
	LateFee          money.Amount    `json:"late_fee"`
}

// Terms are what a schedule is computed from.
type Terms struct {
	Principal   money.Amount
	AnnualRate  decimal.Decimal // 0.12 for 12% a year
	Months      int
	Method      Method
	DisbursedOn date.Date
}

// Loan is one loan to one borrower. Its terms are copied from the product at
// disbursement and never change afterwards; a restructuring creates a new
// schedule, not new terms.
type Loan struct {
	ID               int64           `json:"id"`
	ExternalID       string          `json:"external_id"`
	BorrowerID       int64           `json:"borrower_id"`
	ProductCode      string          `json:"product_code"`
	Principal        money.Amount    `json:"principal"`
	AnnualRate       decimal.Decimal `json:"annual_rate"`
	TermMonths       int             `json:"term_months"`
	Method           Method          `json:"method"`
	DisbursedOn      date.Date       `json:"disbursed_on"`
	PenaltyRateDaily decimal.Decimal `json:"penalty_rate_daily"` // on overdue principal, e.g. 0.0005
	LateFee          money.Amount    `json:"late_fee"`           // per missed installment
	Status           Status          `json:"status"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        time.Time       `json:"updated_at"`
}

// Terms returns the loan's schedule terms.
func (l Loan) Terms() Terms {
	return Terms{Principal: l.Principal, AnnualRate: l.AnnualRate, Months: l.TermMonths, Method: l.Method, DisbursedOn: l.DisbursedOn}
}

// Installment is one line of a repayment schedule.
type Installment struct {
	Seq       int          `json:"seq"`
	DueDate   date.Date    `json:"due_date"`
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
}

// Total returns the installment's principal plus interest.
func (i Installment) Total() money.Amount { return i.Principal + i.Interest }

// Payment is money received against a loan. ExternalID makes posting
// idempotent: the same external id is the same payment. PaidOn is the value
// date the allocation uses. A reversed payment stays on record with its
// reversal and no longer counts.
type Payment struct {
	ID             int64        `json:"id"`
	ExternalID     string       `json:"external_id"`
	LoanID         int64        `json:"loan_id"`
	Amount         money.Amount `json:"amount"`
	PaidOn         date.Date    `json:"paid_on"`
	Channel        string       `json:"channel"` // bank_transfer, app, withholding, counter …
	ReceivedAt     time.Time    `json:"received_at"`
	Reversed       bool         `json:"reversed"`
	ReversedAt     time.Time    `json:"reversed_at,omitzero"`
	ReversalReason string       `json:"reversal_reason,omitempty"`
}

// Component is what part of a debt an allocated amount pays.
type Component string

// The components, and Credit for an overpayment kept on the loan.
const (
	Penalty   Component = "penalty"
	LateFee   Component = "late_fee"
	Interest  Component = "interest"
	Principal Component = "principal"
	Credit    Component = "credit"
)

// Waterfall is the order in which a payment pays the components of one
// installment. Replay applies it installment-major: the oldest installment
// due is paid in full, component by component in this order, before the
// next one gets anything. Components left out are taken after the listed
// ones in DefaultWaterfall order; Credit and unknown components are ignored.
type Waterfall []Component

// DefaultWaterfall is penalty → late fee → interest → principal.
var DefaultWaterfall = Waterfall{Penalty, LateFee, Interest, Principal}

// Allocation is one line of how a payment was applied: which installment (0
// for Credit) and which component. A payment's leftover after everything
// due is one Credit line with the payment's id; when that credit later pays
// an installment on its due date, those lines carry PaymentID 0 (the credit
// may have come from several payments). So the lines of payment p always add
// up to p.Amount, and Credit lines less PaymentID-0 lines is the credit still
// held.
type Allocation struct {
	PaymentID int64        `json:"payment_id"`
	Seq       int          `json:"seq"`
	Component Component    `json:"component"`
	Amount    money.Amount `json:"amount"`
}

// Policy holds the lender's ledger settings. Zero fields take the defaults
// of DefaultPolicy.
type Policy struct {
	Waterfall Waterfall
	// CostCap is the cap on the annualised comprehensive cost, 0.24 by
	// default: contract interest, penalty and late fees together may not
	// exceed CostCap a year on the principal outstanding (see Replay).
	CostCap decimal.Decimal
}

// DefaultPolicy returns the default waterfall and a 24% cost cap.
func DefaultPolicy() Policy {
	return Policy{Waterfall: DefaultWaterfall, CostCap: decimal.MustParse("0.24")}
}
