package offer

import (
	"slices"
	"strings"
	"testing"

	"accord/internal/errs"
)

const exampleFile = `{"as_of": "2026-03-10",
 "debt": {"principal": "9000.00", "interest": "320.00", "penalty": "85.20", "fees": "50.00",
          "annual_rate": "0.18", "remaining_months": 8, "monthly_payment": "1150.00"},
 "assessment": {"monthly_income": "6000.00", "essential_expenses": "3500.00", "other_debt_payments": "800.00",
                "dependants": 1, "liquid_assets": "0.00", "hardship": "job_loss", "hardship_months": 3},
 "segment": "willing_unable",
 "policy": {"discount_rate": "0.10", "sustainable_share": "0.80", "min_payment": "100.00", "max_term_months": 36,
            "max_rate_cut": "0.06", "max_fee_waiver_share": "1.00", "max_settlement_discount": "0.30"}}`

func TestParseCase(t *testing.T) {
	t.Parallel()
	c, err := ParseCase(strings.NewReader(exampleFile))
	if err != nil {
		t.Fatal(err)
	}
	d, a, _ := exampleCase()
	if c.Debt != d || c.AsOf.String() != "2026-03-10" || c.Segment != "willing_unable" || c.Assessment.EssentialExpenses == nil ||
		*c.Assessment.EssentialExpenses != *a.EssentialExpenses || c.Assessment.Hardship != JobLoss || c.Assessment.HardshipMonths != 3 {
		t.Errorf("parsed %+v", c)
	}
	if c.Policy.Name != "default" || c.Policy.MaxTermMonths != 36 || len(c.Policy.Authority) != 3 {
		t.Errorf("policy %+v", c.Policy)
	}
}

func TestParseCase_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, from, to string
		fields         []string
	}{
		{"unknown top-level field", `"segment"`, `"segmnt"`, []string{"segmnt"}},
		{"unknown nested field", `"fees": "50.00"`, `"fee": "50.00"`, []string{"debt.fee"}},
		{"bad amount", `"principal": "9000.00"`, `"principal": "9,000.00"`, []string{"debt.principal"}},
		{"three decimals", `"penalty": "85.20"`, `"penalty": "85.205"`, []string{"debt.penalty"}},
		{"amount as a number", `"monthly_income": "6000.00"`, `"monthly_income": 6000`, []string{"assessment.monthly_income"}},
		{"bad date", `"2026-03-10"`, `"2026-02-30"`, []string{"as_of"}},
		{"bad rate", `"annual_rate": "0.18"`, `"annual_rate": "18%"`, []string{"debt.annual_rate"}},
		{"unknown segment", `"segment": "willing_unable"`, `"segment": "willing"`, []string{"segment"}},
		{"months not whole", `"remaining_months": 8`, `"remaining_months": 8.5`, []string{"debt.remaining_months"}},
		{"missing principal", `"principal": "9000.00", `, ``, []string{"debt.principal"}},
		{"unknown policy field and bad value", `"max_term_months": 36`, `"max_terms": 36, "min_payment": "x"`, []string{"policy.max_terms", "policy.min_payment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := strings.Replace(exampleFile, tt.from, tt.to, 1)
			if in == exampleFile {
				t.Fatalf("%q not in the example", tt.from)
			}
			_, err := ParseCase(strings.NewReader(in))
			if errs.CodeOf(err) != errs.Invalid {
				t.Fatalf("err = %v, want Invalid", err)
			}
			got := errsFields(err)
			for _, f := range tt.fields {
				if !slices.Contains(got, f) {
					t.Errorf("fields %v lack %s", got, f)
				}
			}
		})
	}
	for _, in := range []string{`{"as_of": }`, `[]`, `{} {}`} {
		if _, err := ParseCase(strings.NewReader(in)); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("%s: err = %v, want Invalid", in, err)
		}
	}
}
