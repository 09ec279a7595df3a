package offer

import (
	"fmt"

	"github.com/govalues/decimal"

	"accord/internal/errs"
	"accord/internal/money"
)

// Hardship is the reason a borrower cannot keep the original terms.
type Hardship string

// The hardship reasons; "" means none declared.
const (
	JobLoss         Hardship = "job_loss"
	Illness         Hardship = "illness"
	BusinessFailure Hardship = "business_failure"
	FamilyEvent     Hardship = "family_event"
	IncomeDrop      Hardship = "income_drop"
	OtherHardship   Hardship = "other"
)

// Hardships lists the hardship reasons.
var Hardships = []Hardship{JobLoss, Illness, BusinessFailure, FamilyEvent, IncomeDrop, OtherHardship}

// Stated willingness to pay, as the borrower put it in the conversation.
const (
	Willing   = "willing"   // asks for a plan and means it
	Hesitant  = "hesitant"  // agrees in principle, non-committal
	Unwilling = "unwilling" // refuses or disputes
)

// Assessment is the affordability assessment (还款能力评估) of one case as
// the negotiator records it. EssentialExpenses overrides the default derived
// from HouseholdSize and CityTier when set.
type Assessment struct {
	MonthlyIncome     money.Amount  `json:"monthly_income"`
	IncomeEvidence    string        `json:"income_evidence,omitempty"` // payslip, bank_statement, tax_record, self_declared …
	EssentialExpenses *money.Amount `json:"essential_expenses,omitempty"`
	HouseholdSize     int           `json:"household_size,omitempty"` // people living on the income; 0: 1 + dependants
	CityTier          int           `json:"city_tier,omitempty"`      // 1 (一线) to 4; 0: 2
	OtherDebtPayments money.Amount  `json:"other_debt_payments"`
	Dependants        int           `json:"dependants"`
	LiquidAssets      money.Amount  `json:"liquid_assets"`
	Hardship          Hardship      `json:"hardship,omitempty"`
	HardshipMonths    int           `json:"hardship_months"` // expected duration of the hardship
	Willingness       string        `json:"willingness,omitempty"`
}

// Validate checks amounts, counts and enumerations. It returns an Invalid
// error naming the fields (prefixed "assessment.").
func (a Assessment) Validate() error {
	var fe []errs.FieldError
	bad := func(field, msg string) { fe = append(fe, errs.FieldError{Field: "assessment." + field, Message: msg}) }
	if a.MonthlyIncome < 0 {
		bad("monthly_income", "must not be negative")
	}
	if a.EssentialExpenses != nil && *a.EssentialExpenses < 0 {
		bad("essential_expenses", "must not be negative")
	}
	if a.OtherDebtPayments < 0 {
		bad("other_debt_payments", "must not be negative")
	}
	if a.LiquidAssets < 0 {
		bad("liquid_assets", "must not be negative")
	}
	if a.Dependants < 0 || a.Dependants > 20 {
		bad("dependants", "must be from 0 to 20")
	}
	if a.HouseholdSize < 0 || a.HouseholdSize > 21 {
		bad("household_size", "must be from 0 to 21")
	}
	if a.CityTier < 0 || a.CityTier > 4 {
		bad("city_tier", "must be from 1 to 4 (0: the default, 2)")
	}
	if a.HardshipMonths < 0 || a.HardshipMonths > 60 {
		bad("hardship_months", "must be from 0 to 60")
	}
	if a.Hardship != "" && !validHardship(a.Hardship) {
		bad("hardship", "must be one of job_loss, illness, business_failure, family_event, income_drop, other")
	}
	switch a.Willingness {
	case "", Willing, Hesitant, Unwilling:
	default:
		bad("willingness", "must be willing, hesitant or unwilling")
	}
	if len(fe) > 0 {
		return errs.Fields("The assessment is not valid.", fe...)
	}
	return nil
}

func validHardship(h Hardship) bool {
	for _, k := range Hardships {
		if h == k {
			return true
		}
	}
	return false
}

// Step is one line of the assessment's arithmetic, in Chinese and English,
// so the console can show how the sustainable payment was reached.
type Step struct {
	Key string `json:"key"`
	ZH  string `json:"zh"`
	EN  string `json:"en"`
}

// Affordability is what Assess derives from an Assessment.
type Affordability struct {
	Income            money.Amount     `json:"monthly_income"`
	Expenses          money.Amount     `json:"essential_expenses"`
	ExpensesDefaulted bool             `json:"essential_expenses_default"` // from household size and city tier
	OtherDebt         money.Amount     `json:"other_debt_payments"`
	Disposable        money.Amount     `json:"disposable_income"`            // income − expenses − other debt, at least 0
	DebtServiceRatio  *decimal.Decimal `json:"debt_service_ratio,omitempty"` // (other debt + contract installment) ÷ income; nil without income
	Sustainable       money.Amount     `json:"sustainable_payment"`          // disposable × sustainable share
	LiquidAssets      money.Amount     `json:"liquid_assets"`
	Steps             []Step           `json:"steps"`
}

// Assess computes the affordability of a against the contract installment
// of d under pol:
//
//	disposable  = max(0, income − essential expenses − other debt payments)
//	sustainable = disposable × pol.SustainableShare, rounded half-up to the fen
//	DSR         = (other debt payments + d.MonthlyPayment) ÷ income, 4 places
//
// It does not validate a; Options does.
func Assess(a Assessment, d Debt, pol Policy) Affordability {
	f := Affordability{Income: a.MonthlyIncome, OtherDebt: a.OtherDebtPayments, LiquidAssets: a.LiquidAssets}
	if a.EssentialExpenses != nil {
		f.Expenses = *a.EssentialExpenses
	} else {
		var step Step
		f.Expenses, step = pol.Expenses.Default(a)
		f.ExpensesDefaulted = true
		f.Steps = append(f.Steps, step)
	}
	f.Disposable = max(0, f.Income-f.Expenses-f.OtherDebt)
	f.Steps = append(f.Steps, Step{Key: "disposable",
		ZH: fmt.Sprintf("可支配收入 = max(0, 月收入 %s − 必要支出 %s − 其他债务月供 %s) = %s", f.Income.Grouped(), f.Expenses.Grouped(), f.OtherDebt.Grouped(), f.Disposable.Grouped()),
		EN: fmt.Sprintf("Disposable income = max(0, monthly income %s − essential expenses %s − other debt payments %s) = %s", f.Income.Grouped(), f.Expenses.Grouped(), f.OtherDebt.Grouped(), f.Disposable.Grouped())})
	f.Sustainable = f.Disposable.Mul(pol.SustainableShare)
	f.Steps = append(f.Steps, Step{Key: "sustainable",
		ZH: fmt.Sprintf("可持续月供 = 可支配收入 %s × 可用比例 %s = %s（四舍五入到分）", f.Disposable.Grouped(), percentText(pol.SustainableShare), f.Sustainable.Grouped()),
		EN: fmt.Sprintf("Sustainable monthly payment = disposable income %s × sustainable share %s = %s (rounded half-up to the fen)", f.Disposable.Grouped(), percentText(pol.SustainableShare), f.Sustainable.Grouped())})
	service := f.OtherDebt + d.MonthlyPayment
	if f.Income > 0 {
		q, err := service.Decimal().Quo(f.Income.Decimal())
		if err == nil {
			q = roundHalfUp(q, 4)
			f.DebtServiceRatio = &q
			f.Steps = append(f.Steps, Step{Key: "dsr",
				ZH: fmt.Sprintf("债务收入比 = (其他债务月供 %s + 本笔月供 %s) ÷ 月收入 %s = %s", f.OtherDebt.Grouped(), d.MonthlyPayment.Grouped(), f.Income.Grouped(), percentText(q)),
				EN: fmt.Sprintf("Debt-service ratio = (other debt payments %s + this loan's installment %s) ÷ monthly income %s = %s", f.OtherDebt.Grouped(), d.MonthlyPayment.Grouped(), f.Income.Grouped(), percentText(q))})
		}
	} else {
		f.Steps = append(f.Steps, Step{Key: "dsr", ZH: "债务收入比：无收入，无法计算", EN: "Debt-service ratio: no income, not defined"})
	}
	if d.MonthlyPayment > 0 {
		zh, en := "可以负担原合同月供", "the contract installment is affordable"
		if d.MonthlyPayment > f.Sustainable {
			zh, en = "无法负担原合同月供", "the contract installment is not affordable"
		}
		f.Steps = append(f.Steps, Step{Key: "installment",
			ZH: fmt.Sprintf("合同月供 %s，可持续月供 %s：%s", d.MonthlyPayment.Grouped(), f.Sustainable.Grouped(), zh),
			EN: fmt.Sprintf("Contract installment %s against a sustainable payment of %s: %s", d.MonthlyPayment.Grouped(), f.Sustainable.Grouped(), en)})
	}
	if f.LiquidAssets > 0 {
		f.Steps = append(f.Steps, Step{Key: "liquid",
			ZH: fmt.Sprintf("流动资产 %s 可用于首期还款", f.LiquidAssets.Grouped()),
			EN: fmt.Sprintf("Liquid assets %s may go towards the first payment", f.LiquidAssets.Grouped())})
	}
	return f
}

// roundHalfUp rounds a non-negative decimal half-up to scale places.
func roundHalfUp(d decimal.Decimal, scale int) decimal.Decimal {
	half, _ := decimal.New(5, scale+1)
	s, err := d.Add(half)
	if err != nil {
		return d.Round(scale)
	}
	return s.Floor(scale)
}

// percentText shows a ratio as a percentage for the arithmetic the
// negotiator reads: 0.0778 → "7.78%", 0.80 → "80%".
func percentText(r decimal.Decimal) string {
	p, err := r.Mul(decimal.Hundred)
	if err != nil {
		return r.String()
	}
	return p.Trim(0).String() + "%"
}
