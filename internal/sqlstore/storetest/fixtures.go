package storetest

import (
	"fmt"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

func newBorrower(n int) borrower.Borrower {
	return borrower.Borrower{
		ExternalID:    fmt.Sprintf("B-%05d", n),
		Name:          []string{"张三丰", "李四", "王五", "Zhao Liu"}[n%4],
		NationalID:    fmt.Sprintf("1101051990%02d01%04d", 1+n%12, 1000+n),
		Phones:        []borrower.Phone{{Number: fmt.Sprintf("+86138%08d", n), Kind: "mobile"}},
		Addresses:     []borrower.Address{{Kind: "home", Line: "朝阳区建国路 88 号", City: "北京", Region: "北京市", Lat: 39.9087, Lon: 116.4605}},
		TimeZone:      "Asia/Shanghai",
		Language:      "zh-CN",
		Employer:      "星火科技",
		MonthlyIncome: money.Yuan(12_000) + 34,
		Flags:         []string{"vulnerable"},
	}
}

func newLoan(borrowerID int64, n int) ledger.Loan {
	return ledger.Loan{
		ExternalID:       fmt.Sprintf("L-%05d", n),
		BorrowerID:       borrowerID,
		ProductCode:      "CASH12",
		Principal:        money.Yuan(10_000),
		AnnualRate:       decimal.MustParse("0.1560"),
		TermMonths:       12,
		Method:           ledger.EqualInstallment,
		DisbursedOn:      date.MustParse("2026-01-15"),
		PenaltyRateDaily: decimal.MustParse("0.0005"),
		LateFee:          money.Yuan(50),
	}
}

// schedule returns n monthly installments from first.
func schedule(n int, first date.Date) []ledger.Installment {
	out := make([]ledger.Installment, n)
	for i := range out {
		out[i] = ledger.Installment{Seq: i + 1, DueDate: first.AddMonthsClamped(i), Principal: 800_00 + money.Amount(i), Interest: 130_00 - money.Amount(i)}
	}
	return out
}

var t0 = time.Date(2026, 2, 1, 9, 30, 15, 123456000, time.UTC)
