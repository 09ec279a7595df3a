package offer

import (
	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/money"
)

// Policy is one version of the lender's offer policy: the limits every
// offer stays within, the discount rate offers are priced at and the
// authority matrix. Like a strategy it is versioned data (a JSON document,
// docs/NEGOTIATION.md): Name and Version identify it, so that an offer
// records the policy that produced it and a champion/challenger experiment
// can run two policies side by side.
type Policy struct {
	Name        string `json:"name"`
	Version     int    `json:"version,omitempty"` // set by the store when a version is saved
	Description string `json:"description,omitempty"`

	DiscountRate          decimal.Decimal `json:"discount_rate"`           // annual, for the lender's NPV
	SustainableShare      decimal.Decimal `json:"sustainable_share"`       // of disposable income a plan may take
	MinPayment            money.Amount    `json:"min_payment"`             // floor of a reduced (relief) payment
	MaxTermMonths         int             `json:"max_term_months"`         // no plan runs longer
	MaxRateCut            decimal.Decimal `json:"max_rate_cut"`            // a rate_cut offer's rate ≥ contract − this
	MaxFeeWaiverShare     decimal.Decimal `json:"max_fee_waiver_share"`    // of penalty and of fees
	MaxSettlementDiscount decimal.Decimal `json:"max_settlement_discount"` // of principal
	WaiverAfterPayments   int             `json:"waiver_after_payments"`   // condition of a conditional waiver
	SettlementDueDays     int             `json:"settlement_due_days"`     // a lump sum falls due this many days after as-of
	SettlementInstalments int             `json:"settlement_instalments"`  // monthly payments of an instalment settlement

	Expenses  ExpenseTable    `json:"expenses"`
	Authority AuthorityMatrix `json:"authority"`
}

// DefaultPolicy returns the built-in policy "default" version 1.
func DefaultPolicy() Policy {
	return Policy{
		Name:                  "default",
		Version:               1,
		DiscountRate:          decimal.MustNew(10, 2),
		SustainableShare:      decimal.MustNew(80, 2),
		MinPayment:            money.Yuan(100),
		MaxTermMonths:         36,
		MaxRateCut:            decimal.MustNew(6, 2),
		MaxFeeWaiverShare:     decimal.One,
		MaxSettlementDiscount: decimal.MustNew(30, 2),
		WaiverAfterPayments:   3,
		SettlementDueDays:     14,
		SettlementInstalments: 3,
		Expenses:              DefaultExpenseTable(),
		Authority:             DefaultAuthority(),
	}
}

// Validate checks the policy's ranges. Rates and shares must have at most
// six decimal places (offers report rates to six places). It returns an
// Invalid error naming the fields (prefixed "policy.").
func (p Policy) Validate() error {
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: "policy." + field, Message: msg}) }
	share := func(field string, d decimal.Decimal, zeroOK bool) {
		switch {
		case d.IsNeg() || d.Cmp(decimal.One) > 0 || (!zeroOK && d.IsZero()):
			if zeroOK {
				bad(field, "must be from 0 to 1")
			} else {
				bad(field, "must be more than 0 and at most 1")
			}
		case d.Cmp(d.Trunc(6)) != 0:
			bad(field, "must have at most 6 decimal places")
		}
	}
	if p.Name == "" {
		bad("name", "is required")
	}
	share("discount_rate", p.DiscountRate, true)
	share("sustainable_share", p.SustainableShare, false)
	share("max_rate_cut", p.MaxRateCut, true)
	share("max_fee_waiver_share", p.MaxFeeWaiverShare, true)
	share("max_settlement_discount", p.MaxSettlementDiscount, true)
	share("expenses.additional_share", p.Expenses.AdditionalShare, true)
	if p.MinPayment < 0 {
		bad("min_payment", "must not be negative")
	}
	if p.MaxTermMonths < 1 || p.MaxTermMonths > 120 {
		bad("max_term_months", "must be from 1 to 120")
	}
	if p.WaiverAfterPayments < 1 || p.WaiverAfterPayments > 36 {
		bad("waiver_after_payments", "must be from 1 to 36")
	}
	if p.SettlementDueDays < 1 || p.SettlementDueDays > 28 {
		bad("settlement_due_days", "must be from 1 to 28")
	}
	if p.SettlementInstalments < 2 || p.SettlementInstalments > 12 {
		bad("settlement_instalments", "must be from 2 to 12")
	}
	for _, e := range p.Expenses.PerPerson {
		if e < 0 {
			bad("expenses.per_person", "must not be negative")
			break
		}
	}
	fe = append(fe, p.Authority.problems()...)
	if len(fe) > 0 {
		return errs.Fields("The offer policy is not valid.", fe...)
	}
	return nil
}
