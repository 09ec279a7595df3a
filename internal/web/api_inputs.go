package web

import (
	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// borrowerRequest is the body of POST /api/v1/borrowers.
type borrowerRequest struct {
	ExternalID    string             `json:"external_id" minLength:"1" maxLength:"64" doc:"Id in the lender's core system"`
	Name          string             `json:"name" minLength:"1" maxLength:"100"`
	NationalID    string             `json:"national_id,omitempty" doc:"18-character resident identity number; stored encrypted"`
	Phones        []borrower.Phone   `json:"phones,omitempty" doc:"E.164 numbers; stored encrypted"`
	Addresses     []borrower.Address `json:"addresses,omitempty"`
	TimeZone      string             `json:"time_zone,omitempty" doc:"IANA zone, default Asia/Shanghai"`
	Language      string             `json:"language,omitempty" doc:"zh-CN (default) or en"`
	Employer      string             `json:"employer,omitempty"`
	MonthlyIncome money.Amount       `json:"monthly_income,omitempty" pattern:"^\\d{1,13}(\\.\\d{1,2})?$" doc:"Declared monthly income in yuan"`
	Flags         []string           `json:"flags,omitempty"`
}

func (b borrowerRequest) borrower() borrower.Borrower {
	lang := b.Language
	if lang == "" {
		lang = "zh-CN"
	}
	return borrower.Borrower{ExternalID: b.ExternalID, Name: b.Name, NationalID: b.NationalID, Phones: b.Phones, Addresses: b.Addresses,
		TimeZone: b.TimeZone, Language: lang, Employer: b.Employer, MonthlyIncome: b.MonthlyIncome, Flags: b.Flags}
}

// loanRequest is the body of POST /api/v1/loans.
type loanRequest struct {
	ExternalID       string           `json:"external_id" minLength:"1" maxLength:"64"`
	BorrowerID       int64            `json:"borrower_id" minimum:"1"`
	ProductCode      string           `json:"product_code" minLength:"1"`
	Principal        money.Amount     `json:"principal" pattern:"^\\d{1,13}(\\.\\d{1,2})?$" doc:"Yuan, e.g. \"10000.00\""`
	AnnualRate       decimal.Decimal  `json:"annual_rate" pattern:"^0?\\.\\d+$|^[01]$" doc:"e.g. \"0.12\""`
	TermMonths       int              `json:"term_months" minimum:"1" maximum:"360"`
	Method           ledger.Method    `json:"method" enum:"equal_installment,equal_principal,interest_first"`
	DisbursedOn      date.Date        `json:"disbursed_on" format:"date"`
	PenaltyRateDaily *decimal.Decimal `json:"penalty_rate_daily,omitempty" doc:"Penalty interest per day on overdue principal, default 0.0005"`
	LateFee          money.Amount     `json:"late_fee,omitempty" pattern:"^\\d{1,13}(\\.\\d{1,2})?$"`
}

func (l loanRequest) loan() ledger.Loan {
	pr := decimal.MustParse("0.0005")
	if l.PenaltyRateDaily != nil {
		pr = *l.PenaltyRateDaily
	}
	return ledger.Loan{ExternalID: l.ExternalID, BorrowerID: l.BorrowerID, ProductCode: l.ProductCode, Principal: l.Principal,
		AnnualRate: l.AnnualRate, TermMonths: l.TermMonths, Method: l.Method, DisbursedOn: l.DisbursedOn,
		PenaltyRateDaily: pr, LateFee: l.LateFee, Status: ledger.Active}
}

// paymentRequest is the body of POST /api/v1/payments.
type paymentRequest struct {
	ExternalID string       `json:"external_id" minLength:"1" maxLength:"64" doc:"Payment reference in the core system; posting is idempotent by it"`
	LoanID     int64        `json:"loan_id" minimum:"1"`
	Amount     money.Amount `json:"amount" pattern:"^\\d{1,13}(\\.\\d{1,2})?$" doc:"Yuan, e.g. \"888.49\""`
	PaidOn     date.Date    `json:"paid_on" format:"date" doc:"Value date"`
	Channel    string       `json:"channel,omitempty" enum:"bank_transfer,app,withholding,counter,"`
}

func (p paymentRequest) payment() ledger.Payment {
	ch := p.Channel
	if ch == "" {
		ch = "bank_transfer"
	}
	return ledger.Payment{ExternalID: p.ExternalID, LoanID: p.LoanID, Amount: p.Amount, PaidOn: p.PaidOn, Channel: ch}
}
