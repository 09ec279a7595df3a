package importer

import (
	"slices"

	"github.com/govalues/decimal"

	"accord/internal/ledger"
)

var loanColumns = []column{
	{name: "external_id", required: true},
	{name: "borrower_external_id", required: true},
	{name: "product_code", required: true},
	{name: "principal", required: true},
	{name: "annual_rate", required: true},
	{name: "term_months", required: true},
	{name: "method", required: true},
	{name: "disbursed_on", required: true},
	{name: "penalty_rate_daily"},
	{name: "late_fee"},
	{name: "status"},
}

// DefaultPenaltyRateDaily is the daily penalty rate (罚息, 日万分之五) a loan
// gets when the file gives none.
var DefaultPenaltyRateDaily = decimal.MustParse("0.0005")

// maxPenaltyRateDaily is 1% a day. Anything higher is a percentage typed as
// a fraction (0.05 for 0.05%), not a rate any lender charges.
var maxPenaltyRateDaily = decimal.MustParse("0.01")

// methodNames accepts the Chinese names of the repayment methods too.
var methodNames = map[string]ledger.Method{
	"等额本息": ledger.EqualInstallment,
	"等额本金": ledger.EqualPrincipal,
	"先息后本": ledger.InterestFirst,
}

var statuses = []ledger.Status{ledger.Active, ledger.Delinquent, ledger.Restructured, ledger.ChargedOff, ledger.Settled, ledger.PaidOff}

func convertLoan(r *row, b *Batch) {
	l := ledger.Loan{
		ExternalID:       r.id("external_id"),
		ProductCode:      r.id("product_code"),
		Principal:        r.amount("principal", 0),
		AnnualRate:       r.rate("annual_rate", decimal.Zero, "0.12 for 12% a year"),
		TermMonths:       r.integer("term_months"),
		Method:           ledger.Method(r.lower("method")),
		DisbursedOn:      r.date("disbursed_on"),
		PenaltyRateDaily: r.rate("penalty_rate_daily", DefaultPenaltyRateDaily, "0.0005 for 0.05% a day"),
		LateFee:          r.amount("late_fee", 0),
		Status:           ledger.Status(r.lower("status")),
	}
	if m, ok := methodNames[string(l.Method)]; ok {
		l.Method = m
	}
	if l.PenaltyRateDaily.IsNeg() || l.PenaltyRateDaily.Cmp(maxPenaltyRateDaily) > 0 {
		r.bad("penalty_rate_daily", "must be between 0 and 0.01 (0.0005 is 0.05%% a day)")
	}
	if l.LateFee < 0 {
		r.bad("late_fee", "must not be negative")
	}
	if l.Status == "" {
		l.Status = ledger.Active
	} else if !slices.Contains(statuses, l.Status) {
		r.bad("status", "must be one of active, delinquent, restructured, charged_off, settled, paid_off")
	}
	owner := r.id("borrower_external_id")
	r.merge(l.Terms().Validate(), map[string]string{"months": "term_months"})
	if r.ok() {
		b.Loans = append(b.Loans, LoanRow{Row: r.line, BorrowerExternalID: owner, Loan: l})
	}
}
