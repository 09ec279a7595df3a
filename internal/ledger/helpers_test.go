package ledger

import (
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// day parses a date in tests.
func day(s string) date.Date { return date.MustParse(s) }

// yuan parses an amount in tests.
func yuan(tb testing.TB, s string) money.Amount {
	tb.Helper()
	a, err := money.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// rate parses a decimal rate in tests.
func rate(s string) decimal.Decimal { return decimal.MustParse(s) }

// line is an Allocation in tests.
func line(pid int64, seq int, c Component, amount money.Amount) Allocation {
	return Allocation{PaymentID: pid, Seq: seq, Component: c, Amount: amount}
}

// pay is a Payment in tests.
func pay(id int64, on string, amount money.Amount) Payment {
	return Payment{ID: id, LoanID: 1, Amount: amount, PaidOn: day(on)}
}

// mustSchedule returns the loan's schedule or fails the test.
func mustSchedule(tb testing.TB, l Loan) []Installment {
	tb.Helper()
	s, err := Schedule(l.Terms())
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
