package offer

import (
	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// Kind is the kind of an offer.
type Kind string

// The offer kinds.
const (
	KindExtension  Kind = "extension"  // 展期: the balance re-amortised over more months (停息挂账 when interest is frozen)
	KindGraduated  Kind = "graduated"  // 阶梯还款: lower first months, stepping up
	KindRelief     Kind = "relief"     // 临时减免: reduced or interest-only payments for the hardship months, then re-amortised
	KindRateCut    Kind = "rate_cut"   // 降息
	KindWaiver     Kind = "waiver"     // 减免 of penalty interest and late fees, immediate or conditional
	KindSettlement Kind = "settlement" // 结清: a discounted lump sum or a few instalments that close the debt
)

// Condition is what a borrower must do for a conditional waiver to take
// effect: pay OnTimePayments consecutive plan payments in full by their due
// dates. Until then the waived amount is parked (挂账): it is not in the
// schedule, and it becomes due again if a plan payment is missed first.
type Condition struct {
	OnTimePayments int `json:"on_time_payments"`
}

// Waiver is an amount waived by component, immediately (Condition nil) or
// once its condition is met. The monitoring layer applies conditional ones.
type Waiver struct {
	Amount    Components `json:"amount"`
	Condition *Condition `json:"condition,omitempty"`
}

// Text is a line in Chinese and English.
type Text struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Offer is one proposal. Its schedule sums to TotalPayable; Financed is the
// balance less everything waived (immediately or conditionally), and
// TotalPayable is never below it.
type Offer struct {
	ID               string          `json:"id"` // deterministic: kind and parameters
	Kind             Kind            `json:"kind"`
	Summary          Text            `json:"summary"`
	Schedule         []Payment       `json:"schedule"`
	TotalPayable     money.Amount    `json:"total_payable"`
	Financed         money.Amount    `json:"amount_financed"`
	Waived           Components      `json:"waived"` // all waivers, immediate and conditional
	Waivers          []Waiver        `json:"waivers,omitempty"`
	PlanRate         decimal.Decimal `json:"plan_rate"`   // the rate the schedule was built at
	AnnualRate       decimal.Decimal `json:"annual_rate"` // internal rate on the amount financed, actual/365, 6 places rounded down
	NPV              money.Amount    `json:"npv"`
	PKept            float64         `json:"p_kept"`
	ExpectedRecovery money.Amount    `json:"expected_recovery"` // NPV × p_kept, half-up
	MaxPayment       money.Amount    `json:"max_payment"`
	Affordable       bool            `json:"affordable"`
	Approval         Level           `json:"approval"` // "" when no role in the matrix may approve it
	Limits           []string        `json:"limits"`
	Concession       Concession      `json:"concession"`
}

// PolicyRef names the policy version that produced a result.
type PolicyRef struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
}

// Result is what Options returns for one case.
type Result struct {
	AsOf          date.Date     `json:"as_of"`
	Policy        PolicyRef     `json:"policy"`
	Balance       money.Amount  `json:"balance"`
	Sustainable   money.Amount  `json:"sustainable_payment"`
	Affordability Affordability `json:"assessment"`
	Offers        []Offer       `json:"offers"`
}
