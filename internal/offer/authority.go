package offer

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/money"
)

// Level is an approval level, and the role that holds it.
type Level string

// The approval levels, lowest first.
const (
	Collector  Level = "collector"
	Supervisor Level = "supervisor"
	Manager    Level = "manager"
)

// Concession is what an offer gives away, the facts the authority matrix
// judges: amounts waived by kind, the cut of the plan's rate below the
// contract rate and the plan's length.
type Concession struct {
	FeeWaiver       money.Amount    `json:"fee_waiver"`       // penalty + fees waived, immediate or conditional
	InterestWaiver  money.Amount    `json:"interest_waiver"`  // contract interest due, waived
	PrincipalWaiver money.Amount    `json:"principal_waiver"` // principal waived (a settlement discount)
	Principal       money.Amount    `json:"principal"`        // the debt's principal, for the discount share
	RateCut         decimal.Decimal `json:"rate_cut"`         // contract rate − the plan's rate
	TermMonths      int             `json:"term_months"`      // months from as-of to the last payment
}

// Authority is what one role may approve on its own. A nil limit is no
// limit; a zero limit forbids that concession.
type Authority struct {
	Level                Level            `json:"level"`
	MaxFeeWaiver         *money.Amount    `json:"max_fee_waiver,omitempty"`
	MaxInterestWaiver    *money.Amount    `json:"max_interest_waiver,omitempty"`
	MaxPrincipalDiscount *decimal.Decimal `json:"max_principal_discount,omitempty"` // share of principal
	MaxRateCut           *decimal.Decimal `json:"max_rate_cut,omitempty"`
	MaxTermMonths        *int             `json:"max_term_months,omitempty"`
}

// Covers reports whether a may approve concession c.
func (a Authority) Covers(c Concession) bool {
	switch {
	case a.MaxFeeWaiver != nil && c.FeeWaiver > *a.MaxFeeWaiver,
		a.MaxInterestWaiver != nil && c.InterestWaiver > *a.MaxInterestWaiver,
		a.MaxPrincipalDiscount != nil && c.PrincipalWaiver > floorShare(c.Principal, *a.MaxPrincipalDiscount),
		a.MaxRateCut != nil && c.RateCut.Cmp(*a.MaxRateCut) > 0,
		a.MaxTermMonths != nil && c.TermMonths > *a.MaxTermMonths:
		return false
	}
	return true
}

// AuthorityMatrix lists what each role may approve, lowest level first.
type AuthorityMatrix []Authority

// DefaultAuthority is the built-in matrix: a collector may waive penalty
// and fees up to ¥500 on a plan of up to 12 months at the contract rate; a
// supervisor may waive up to ¥5,000 of them and ¥2,000 of interest, cut the
// rate by up to 6 points and extend to 36 months; a manager may approve a
// principal discount of up to 30% and anything else up to 60 months.
func DefaultAuthority() AuthorityMatrix {
	amt := func(y int64) *money.Amount { a := money.Yuan(y); return &a }
	dec := func(v int64, scale int) *decimal.Decimal { d := decimal.MustNew(v, scale); return &d }
	months := func(n int) *int { return &n }
	return AuthorityMatrix{
		{Level: Collector, MaxFeeWaiver: amt(500), MaxInterestWaiver: amt(0), MaxPrincipalDiscount: dec(0, 0), MaxRateCut: dec(0, 0), MaxTermMonths: months(12)},
		{Level: Supervisor, MaxFeeWaiver: amt(5000), MaxInterestWaiver: amt(2000), MaxPrincipalDiscount: dec(0, 0), MaxRateCut: dec(6, 2), MaxTermMonths: months(36)},
		{Level: Manager, MaxPrincipalDiscount: dec(30, 2), MaxTermMonths: months(60)},
	}
}

// Required returns the lowest level that may approve c. ok is false when
// no role in the matrix may.
func (m AuthorityMatrix) Required(c Concession) (l Level, ok bool) {
	for _, a := range m {
		if a.Covers(c) {
			return a.Level, true
		}
	}
	return "", false
}

// MayApprove reports whether role may approve c on its own. A role not in
// the matrix may approve nothing.
func (m AuthorityMatrix) MayApprove(role Level, c Concession) bool {
	for _, a := range m {
		if a.Level == role {
			return a.Covers(c)
		}
	}
	return false
}

func (m AuthorityMatrix) problems() []errs.FieldError {
	var fe []errs.FieldError
	seen := map[Level]bool{}
	for i, a := range m {
		field := fmt.Sprintf("policy.authority[%d]", i)
		switch a.Level {
		case Collector, Supervisor, Manager:
		default:
			fe = append(fe, errs.FieldError{Field: field + ".level", Message: "must be collector, supervisor or manager"})
		}
		if seen[a.Level] {
			fe = append(fe, errs.FieldError{Field: field + ".level", Message: "appears twice"})
		}
		seen[a.Level] = true
		if (a.MaxFeeWaiver != nil && *a.MaxFeeWaiver < 0) || (a.MaxInterestWaiver != nil && *a.MaxInterestWaiver < 0) ||
			(a.MaxPrincipalDiscount != nil && a.MaxPrincipalDiscount.IsNeg()) || (a.MaxRateCut != nil && a.MaxRateCut.IsNeg()) ||
			(a.MaxTermMonths != nil && *a.MaxTermMonths < 0) {
			fe = append(fe, errs.FieldError{Field: field, Message: "limits must not be negative"})
		}
	}
	return fe
}
