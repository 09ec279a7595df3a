package testkit

import (
	"context"
	"strconv"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// LoanOpts are the terms of a test loan; zero fields take the defaults:
// 10,000.00 at 12% a year over 12 months, equal installments, disbursed
// 2026-01-15, no penalty and no late fee (so waterfalls are easy to check
// by hand).
type LoanOpts struct {
	Principal   money.Amount
	DisbursedOn date.Date
	Penalty     string // daily penalty rate, e.g. "0.0005"
	LateFee     money.Amount
}

// Borrower books borrower "B-<ext>" (张三, with a national id and a
// mobile) through the use cases and returns it.
func Borrower(tb testing.TB, svc *collect.Service, ext string) borrower.Borrower {
	tb.Helper()
	b, err := svc.CreateBorrower(context.Background(), Admin, borrower.Borrower{
		ExternalID: "B-" + ext, Name: "张三", NationalID: "440305199001151232",
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}}, Language: "zh-CN",
	})
	if err != nil {
		tb.Fatalf("CreateBorrower: %v", err)
	}
	return b
}

// Loan books a loan "L-<ext>" of borrowerID on the terms of o (nil: the
// defaults) and returns it with its id and schedule.
func Loan(tb testing.TB, svc *collect.Service, borrowerID int64, ext string, o *LoanOpts) ledger.Loan {
	tb.Helper()
	if o == nil {
		o = &LoanOpts{}
	}
	l := ledger.Loan{ExternalID: "L-" + ext, BorrowerID: borrowerID, ProductCode: "CASH12", Principal: money.Yuan(10_000),
		AnnualRate: decimal.MustParse("0.12"), TermMonths: 12, Method: ledger.EqualInstallment,
		DisbursedOn: date.MustParse("2026-01-15"), PenaltyRateDaily: decimal.Zero, LateFee: o.LateFee}
	if o.Principal != 0 {
		l.Principal = o.Principal
	}
	if !o.DisbursedOn.IsZero() {
		l.DisbursedOn = o.DisbursedOn
	}
	if o.Penalty != "" {
		l.PenaltyRateDaily = decimal.MustParse(o.Penalty)
	}
	l, err := svc.CreateLoan(context.Background(), Admin, l)
	if err != nil {
		tb.Fatalf("CreateLoan: %v", err)
	}
	return l
}

// BorrowerWithLoans books borrower "B-<ext>" with n loans on the terms of
// o: "L-<ext>", then "L-<ext>-2" … "L-<ext>-<n>".
func BorrowerWithLoans(tb testing.TB, svc *collect.Service, ext string, n int, o *LoanOpts) (borrower.Borrower, []ledger.Loan) {
	tb.Helper()
	b := Borrower(tb, svc, ext)
	loans := make([]ledger.Loan, 0, n)
	for i := 1; i <= n; i++ {
		id := ext
		if i > 1 {
			id += "-" + strconv.Itoa(i)
		}
		loans = append(loans, Loan(tb, svc, b.ID, id, o))
	}
	return b, loans
}
