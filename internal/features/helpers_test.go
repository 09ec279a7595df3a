package features

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

func day(s string) date.Date { return date.MustParse(s) }

// newLoan returns a 12-month equal-installment loan of 12,000.00 at 12%
// disbursed on disbursed, with its schedule.
func newLoan(tb testing.TB, id int64, disbursed date.Date) Loan {
	tb.Helper()
	l := ledger.Loan{ID: id, BorrowerID: 1, ProductCode: "cash", Principal: 12_000_00, AnnualRate: decimal.MustParse("0.12"),
		TermMonths: 12, Method: ledger.EqualInstallment, DisbursedOn: disbursed, PenaltyRateDaily: decimal.MustParse("0.0005")}
	s, err := ledger.Schedule(l.Terms())
	if err != nil {
		tb.Fatal(err)
	}
	return Loan{Loan: l, Schedule: s}
}

// pay adds a payment to l.
func (l *Loan) pay(on date.Date, amount money.Amount) {
	l.Payments = append(l.Payments, ledger.Payment{ID: int64(len(l.Payments) + 1), LoanID: l.Loan.ID, Amount: amount, PaidOn: on})
}

// randomFacts returns a random history of one borrower from start over
// days days: one or two loans, payments that are on time, late, partial or
// missing, calls, promises with verdicts, plans and visits.
func randomFacts(tb testing.TB, r *rand.Rand, start date.Date, days int) *Facts {
	tb.Helper()
	f := &Facts{BorrowerID: 1, MonthlyIncome: money.Amount(r.IntN(3)) * 5_000_00}
	for k := range 1 + r.IntN(2) {
		l := newLoan(tb, int64(k+1), start.AddDays(r.IntN(60)))
		if r.IntN(2) == 0 {
			l.Loan.ProductCode = "card"
		}
		for _, in := range l.Schedule {
			late := r.IntN(4) // 0 on time, 1 late, 2 partial, 3 missed
			on := in.DueDate
			amount := in.Total()
			switch late {
			case 1:
				on = on.AddDays(1 + r.IntN(40))
			case 2:
				amount /= 2
			case 3:
				continue
			}
			if on.Sub(start) < days {
				l.pay(on, amount)
			}
		}
		if len(l.Payments) > 0 && r.IntN(4) == 0 {
			p := &l.Payments[r.IntN(len(l.Payments))]
			p.Reversed, p.ReversedAt = true, p.PaidOn.AddDays(r.IntN(20)).Time().Add(3*time.Hour)
		}
		f.Loans = append(f.Loans, l)
	}
	for range r.IntN(40) {
		on := start.AddDays(r.IntN(days))
		f.Contacts = append(f.Contacts, Contact{On: on, Channel: []string{"call", "sms"}[r.IntN(2)],
			Party: []string{"borrower", "contact"}[r.IntN(2)], Connected: r.IntN(2) == 0})
	}
	for range r.IntN(6) {
		made := start.AddDays(r.IntN(days))
		p := Promise{MadeOn: made, Due: made.AddDays(3)}
		if r.IntN(3) > 0 {
			p.Final, p.Kept, p.JudgedOn = true, r.IntN(2) == 0, p.Due.AddDays(r.IntN(3))
		}
		f.Promises = append(f.Promises, p)
	}
	for range r.IntN(3) {
		p := Plan{Start: start.AddDays(r.IntN(days))}
		switch r.IntN(3) {
		case 0:
			p.BrokenOn = p.Start.AddDays(30 + r.IntN(60))
		case 1:
			p.CompletedOn = p.Start.AddDays(90 + r.IntN(90))
		}
		f.Plans = append(f.Plans, p)
	}
	for range r.IntN(3) {
		f.Visits = append(f.Visits, Visit{On: start.AddDays(r.IntN(days)), Met: r.IntN(2) == 0})
	}
	return f
}
