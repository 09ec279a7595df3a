package offer

import (
	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/money"
)

// Debt is what the borrower owes on the case as of the assessment date.
// Principal is all unpaid principal (overdue and not yet due), Interest the
// unpaid contract interest already due, Penalty and Fees what is demandable
// within the cost cap.
type Debt struct {
	Principal       money.Amount    `json:"principal"`
	Interest        money.Amount    `json:"interest"`
	Penalty         money.Amount    `json:"penalty"`
	Fees            money.Amount    `json:"fees"`
	AnnualRate      decimal.Decimal `json:"annual_rate"`      // the contract's annual rate
	RemainingMonths int             `json:"remaining_months"` // contract installments not yet due
	MonthlyPayment  money.Amount    `json:"monthly_payment"`  // the contract installment
}

// Balance returns principal + interest + penalty + fees.
func (d Debt) Balance() money.Amount { return d.Principal + d.Interest + d.Penalty + d.Fees }

// Validate checks that amounts are not negative, something is owed and the
// rate is from 0 to 1. It returns an Invalid error naming the fields.
func (d Debt) Validate() error {
	var fe []errs.FieldError
	for _, f := range []struct {
		name string
		v    money.Amount
	}{{"principal", d.Principal}, {"interest", d.Interest}, {"penalty", d.Penalty}, {"fees", d.Fees}, {"monthly_payment", d.MonthlyPayment}} {
		if f.v < 0 {
			fe = append(fe, errs.FieldError{Field: "debt." + f.name, Message: "must not be negative"})
		}
	}
	if len(fe) == 0 && d.Balance() <= 0 {
		fe = append(fe, errs.FieldError{Field: "debt.principal", Message: "nothing is owed"})
	}
	if d.AnnualRate.IsNeg() || d.AnnualRate.Cmp(decimal.One) >= 0 {
		fe = append(fe, errs.FieldError{Field: "debt.annual_rate", Message: "must be from 0 to less than 1"})
	} else if d.AnnualRate.Cmp(d.AnnualRate.Trunc(6)) != 0 {
		fe = append(fe, errs.FieldError{Field: "debt.annual_rate", Message: "must have at most 6 decimal places"})
	}
	if d.RemainingMonths < 0 || d.RemainingMonths > 600 {
		fe = append(fe, errs.FieldError{Field: "debt.remaining_months", Message: "must be from 0 to 600"})
	}
	if len(fe) > 0 {
		return errs.Fields("The debt is not valid.", fe...)
	}
	return nil
}

// Components is an amount split by what it is owed for.
type Components struct {
	Principal money.Amount `json:"principal"`
	Interest  money.Amount `json:"interest"`
	Penalty   money.Amount `json:"penalty"`
	Fees      money.Amount `json:"fees"`
}

// Total returns the sum of the components.
func (c Components) Total() money.Amount { return c.Principal + c.Interest + c.Penalty + c.Fees }

// Add returns c + o component by component.
func (c Components) Add(o Components) Components {
	return Components{c.Principal + o.Principal, c.Interest + o.Interest, c.Penalty + o.Penalty, c.Fees + o.Fees}
}

// floorShare returns a × share rounded down to the fen, so that a cap on a
// share is never exceeded by rounding.
func floorShare(a money.Amount, share decimal.Decimal) money.Amount {
	p, err := a.Decimal().Mul(share)
	if err != nil {
		panic(err)
	}
	c, f, ok := p.Floor(2).Int64(2)
	if !ok {
		panic("offer: share out of range")
	}
	return money.Amount(c*100 + f)
}
