package demo

import (
	"github.com/govalues/decimal"

	"accord/internal/ledger"
	"accord/internal/money"
)

// Products returns the demo portfolio's loan products, IDs 1 to 5. All
// charge penalty interest of 0.05% a day (罚息) on overdue principal and a
// late fee (滞纳金) per missed installment.
func Products() []ledger.Product {
	penalty := decimal.MustParse("0.0005")
	return []ledger.Product{
		{ID: 1, Code: "CONSUMER_12", Name: "消费分期", Method: ledger.EqualInstallment,
			AnnualRate: decimal.MustParse("0.18"), TermMonths: 12, PenaltyRateDaily: penalty, LateFee: money.Yuan(30)},
		{ID: 2, Code: "CASH_6", Name: "现金贷", Method: ledger.EqualInstallment,
			AnnualRate: decimal.MustParse("0.239"), TermMonths: 6, PenaltyRateDaily: penalty, LateFee: money.Yuan(30)},
		{ID: 3, Code: "LARGE_36", Name: "大额分期", Method: ledger.EqualPrincipal,
			AnnualRate: decimal.MustParse("0.15"), TermMonths: 36, PenaltyRateDaily: penalty, LateFee: money.Yuan(50)},
		{ID: 4, Code: "INTEREST_FIRST_12", Name: "先息后本", Method: ledger.InterestFirst,
			AnnualRate: decimal.MustParse("0.12"), TermMonths: 12, PenaltyRateDaily: penalty, LateFee: money.Yuan(50)},
		{ID: 5, Code: "CREDIT_24", Name: "信用贷", Method: ledger.EqualInstallment,
			AnnualRate: decimal.MustParse("0.135"), TermMonths: 24, PenaltyRateDaily: penalty, LateFee: money.Yuan(30)},
	}
}

// productMix is the share of new loans per product, in Products order, and
// the size of a loan as a multiple of the borrower's monthly income: between
// Min and Max times, clamped to [Floor, Ceil] yuan and rounded to Step yuan.
var productMix = []struct {
	Weight            int
	MinX, MaxX        float64
	Floor, Ceil, Step int64
}{
	{32, 0.5, 2.5, 1_000, 50_000, 100},
	{28, 0.3, 1.5, 500, 20_000, 100},
	{12, 4, 12, 30_000, 300_000, 1_000},
	{13, 2, 6, 10_000, 200_000, 1_000},
	{15, 1, 5, 5_000, 150_000, 1_000},
}

var productIndex = newWeighted(len(productMix), func(i int) int { return productMix[i].Weight })
