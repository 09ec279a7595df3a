package offer

import (
	"strings"
	"testing"
)

func TestAssess(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("5000.00"), AnnualRate: dec("0.18"), MonthlyPayment: yuan("700.00")}
	tests := []struct {
		name         string
		a            Assessment
		expenses     string
		disposable   string
		sustainable  string
		dsr          string // "" when not defined
		defaulted    bool
		stepsContain []string
	}{
		{"negotiator's expenses", Assessment{MonthlyIncome: yuan("6000.00"), EssentialExpenses: amt("3500.00"), OtherDebtPayments: yuan("800.00")},
			"3500.00", "1700.00", "1360.00", "0.2500", false, []string{"1,700.00 × sustainable share 80% = 1,360.00", "monthly income 6,000.00 = 25%", "700.00 against a sustainable payment of 1,360.00: the contract installment is affordable"}},
		// tier 1, household of 3: 3000.00 × (1 + 0.6 × 2) = 6600.00
		{"default, tier 1, household 3", Assessment{MonthlyIncome: yuan("9000.00"), HouseholdSize: 3, CityTier: 1},
			"6600.00", "2400.00", "1920.00", "0.0778", true, []string{"tier-1 city per person 3,000.00", "= 6,600.00"}},
		// no size: 1 + 2 dependants; no tier: 2 → 2400.00 × 2.2 = 5280.00
		{"default from dependants and tier 2", Assessment{MonthlyIncome: yuan("5000.00"), Dependants: 2},
			"5280.00", "0.00", "0.00", "0.1400", true, []string{"installment 700.00 against a sustainable payment of 0.00: the contract installment is not affordable"}},
		// 0.01 of disposable × 0.8 = 0.008 → 0.01 (half-up to the fen)
		{"rounds half-up", Assessment{MonthlyIncome: yuan("100.01"), EssentialExpenses: amt("100.00")},
			"100.00", "0.01", "0.01", "6.9993", false, nil},
		{"no income", Assessment{EssentialExpenses: amt("100.00")}, "100.00", "0.00", "0.00", "", false, []string{"no income"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Assess(tt.a, d, DefaultPolicy())
			if f.Expenses.String() != tt.expenses || f.Disposable.String() != tt.disposable || f.Sustainable.String() != tt.sustainable || f.ExpensesDefaulted != tt.defaulted {
				t.Errorf("expenses %s disposable %s sustainable %s defaulted %v", f.Expenses, f.Disposable, f.Sustainable, f.ExpensesDefaulted)
			}
			dsr := ""
			if f.DebtServiceRatio != nil {
				dsr = f.DebtServiceRatio.String()
			}
			if dsr != tt.dsr {
				t.Errorf("DSR %q, want %q", dsr, tt.dsr)
			}
			var en strings.Builder
			for _, s := range f.Steps {
				if s.ZH == "" || s.EN == "" || s.Key == "" {
					t.Errorf("step %+v lacks a language", s)
				}
				en.WriteString(s.EN + "\n")
			}
			for _, want := range tt.stepsContain {
				if !strings.Contains(en.String(), want) {
					t.Errorf("steps lack %q:\n%s", want, en.String())
				}
			}
		})
	}
}

func TestAssessment_Validate(t *testing.T) {
	t.Parallel()
	a := Assessment{MonthlyIncome: -1, Dependants: -1, CityTier: 5, HardshipMonths: 61, Hardship: "bored", Willingness: "maybe"}
	got := errsFields(a.Validate())
	for _, want := range []string{"assessment.monthly_income", "assessment.dependants", "assessment.city_tier", "assessment.hardship_months", "assessment.hardship", "assessment.willingness"} {
		if !strings.Contains(strings.Join(got, " "), want) {
			t.Errorf("fields %v lack %s", got, want)
		}
	}
	if err := (Assessment{MonthlyIncome: 1, Hardship: BusinessFailure, Willingness: Willing}).Validate(); err != nil {
		t.Errorf("valid assessment: %v", err)
	}
}
