package ledger

import (
	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/money"
)

// MaxMonths is the longest term Schedule accepts (30 years).
const MaxMonths = 360

// Schedule returns the repayment schedule (还款计划) of t: t.Months monthly
// installments, numbered from 1.
//
// Installment k is due k months after t.DisbursedOn on the same day of the
// month, or on the month's last day when that month is shorter (disbursed
// Jan 31: due Feb 28, Mar 31, Apr 30 …). The monthly rate r is
// t.AnnualRate ÷ 12 and is never rounded: each product is computed exactly
// and divided by 12 last. Every amount is rounded half up to the fen.
//
//   - EqualInstallment (等额本息): the payment is
//     round(P·r(1+r)^n / ((1+r)^n − 1)), or round(P ÷ n) at a zero rate;
//     interest_k = round(balance × r) and principal_k = payment − interest_k.
//     The last installment repays the remaining balance, so its total may
//     differ from the others by a few fen.
//   - EqualPrincipal (等额本金): principal_k = round(P ÷ n) and the last
//     installment takes the remainder; interest_k = round(balance × r).
//   - InterestFirst (先息后本): interest_k = round(P × r) every month and the
//     whole principal with the last installment.
//
// Principal never exceeds the remaining balance, so on absurdly small loans
// (3 fen over 6 months) the last installments may repay nothing.
//
// Schedule returns an Invalid error (errs.Fields) naming every field at
// fault: principal, annual_rate, months, method, disbursed_on.
func Schedule(t Terms) ([]Installment, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	out := make([]Installment, t.Months)
	balance := t.Principal
	level := levelAmount(t)
	for k := range out {
		in := Installment{Seq: k + 1, DueDate: t.DisbursedOn.AddMonthsClamped(k + 1)}
		last := k == t.Months-1
		switch t.Method {
		case EqualInstallment:
			in.Interest = monthlyInterest(balance, t.AnnualRate)
			in.Principal = min(max(level-in.Interest, 0), balance)
		case EqualPrincipal:
			in.Interest = monthlyInterest(balance, t.AnnualRate)
			in.Principal = min(level, balance)
		case InterestFirst:
			in.Interest = monthlyInterest(t.Principal, t.AnnualRate)
		}
		if last {
			in.Principal = balance
		}
		balance -= in.Principal
		out[k] = in
	}
	return out, nil
}

// levelAmount returns the amount each method keeps level: the payment for
// EqualInstallment, the principal part for EqualPrincipal, nothing for
// InterestFirst.
func levelAmount(t Terms) money.Amount {
	switch {
	case t.Method == EqualInstallment && t.AnnualRate.IsPos():
		return annuityPayment(t.Principal, t.AnnualRate, t.Months)
	case t.Method == EqualInstallment, t.Method == EqualPrincipal:
		return divRound(t.Principal, t.Months)
	}
	return 0
}

// monthlyInterest returns round(balance × annual ÷ 12).
func monthlyInterest(balance money.Amount, annual decimal.Decimal) money.Amount {
	return mulRate(int64(balance), annual, 12)
}

// TotalInterest returns the sum of the interest parts of sched.
func TotalInterest(sched []Installment) money.Amount {
	var sum money.Amount
	for _, in := range sched {
		sum += in.Interest
	}
	return sum
}

// Validate checks the terms a schedule is computed from. It returns an
// Invalid error (errs.Fields) naming every field at fault, or nil.
func (t Terms) Validate() error {
	var fields []errs.FieldError
	bad := func(field, msg string) {
		fields = append(fields, errs.FieldError{Field: field, Message: msg})
	}
	if t.Principal <= 0 {
		bad("principal", "Principal must be greater than zero.")
	}
	if t.AnnualRate.IsNeg() || t.AnnualRate.Cmp(decimal.One) > 0 {
		bad("annual_rate", "Annual rate must be between 0 and 1 (0.12 for 12% a year).")
	}
	if t.Months < 1 || t.Months > MaxMonths {
		bad("months", "Term must be between 1 and 360 months.")
	}
	switch t.Method {
	case EqualInstallment, EqualPrincipal, InterestFirst:
	default:
		bad("method", "Repayment method must be equal_installment, equal_principal or interest_first.")
	}
	if t.DisbursedOn.IsZero() {
		bad("disbursed_on", "Disbursement date is required.")
	}
	if len(fields) > 0 {
		return errs.Fields("Loan terms are invalid.", fields...)
	}
	return nil
}
