package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const negotiateCase = `{"as_of": "2026-03-10",
 "debt": {"principal": "9000.00", "interest": "320.00", "penalty": "85.20", "fees": "50.00",
          "annual_rate": "0.18", "remaining_months": 8, "monthly_payment": "1150.00"},
 "assessment": {"monthly_income": "6000.00", "essential_expenses": "3500.00", "other_debt_payments": "800.00",
                "dependants": 1, "liquid_assets": "0.00", "hardship": "job_loss", "hardship_months": 3},
 "segment": "willing_unable",
 "policy": {"discount_rate": "0.10", "sustainable_share": "0.80", "min_payment": "100.00", "max_term_months": 36,
            "max_rate_cut": "0.06", "max_fee_waiver_share": "1.00", "max_settlement_discount": "0.30"}}`

func negotiate(t *testing.T, file string, extra ...string) (int, string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "case.json")
	if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	return runAccord(t, context.Background(), nil, append([]string{"--log-level", "warn", "negotiate", "options", "--file", path}, extra...)...)
}

func TestNegotiateOptions_JSON(t *testing.T) {
	t.Parallel()
	code, out, errb := negotiate(t, negotiateCase, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb)
	}
	var res struct {
		Balance     string `json:"balance"`
		Sustainable string `json:"sustainable_payment"`
		Offers      []struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			Schedule []struct {
				Due    string `json:"due"`
				Amount string `json:"amount"`
			} `json:"schedule"`
			Total      string            `json:"total_payable"`
			Waived     map[string]string `json:"waived"`
			AnnualRate string            `json:"annual_rate"`
			NPV        string            `json:"npv"`
			PKept      float64           `json:"p_kept"`
			Expected   string            `json:"expected_recovery"`
			MaxPayment string            `json:"max_payment"`
			Affordable bool              `json:"affordable"`
			Approval   string            `json:"approval"`
			Limits     []string          `json:"limits"`
			Extra      map[string]any    `json:"-"`
		} `json:"offers"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if res.Balance != "9455.20" || res.Sustainable != "1360.00" || len(res.Offers) < 4 {
		t.Fatalf("balance %s sustainable %s, %d offers", res.Balance, res.Sustainable, len(res.Offers))
	}
	kinds := map[string]bool{}
	for _, o := range res.Offers {
		kinds[o.Kind] = true
		if o.ID == "" || len(o.Schedule) == 0 || o.Total == "" || o.NPV == "" || o.AnnualRate == "" || o.Approval == "" || len(o.Limits) == 0 ||
			len(o.Waived) != 4 || o.Schedule[0].Due == "" {
			t.Errorf("offer %+v is missing fields", o)
		}
	}
	for _, k := range []string{"extension", "graduated", "relief", "waiver", "settlement"} {
		if !kinds[k] {
			t.Errorf("no %s offer", k)
		}
	}
	if !res.Offers[0].Affordable {
		t.Errorf("first offer %s is not affordable", res.Offers[0].ID)
	}
	var lump bool
	for _, o := range res.Offers {
		if o.ID == "settlement-lump-6300.00" {
			lump = o.Total == "6300.00" && o.Schedule[0].Due == "2026-03-24" && o.Waived["principal"] == "2700.00" && o.NPV == "6277.01"
		}
	}
	if !lump {
		t.Errorf("no lump-sum settlement of 6300.00 due 2026-03-24: %s", out)
	}

	code, text, errb := negotiate(t, negotiateCase)
	if code != 0 || !strings.Contains(text, "sustainable payment 1360.00") || !strings.Contains(text, "settlement-lump-6300.00") {
		t.Errorf("text output: %d %s %s", code, text, errb)
	}
}

func TestNegotiateOptions_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, from, to, field string }{
		{"unknown field", `"fees": "50.00"`, `"fees": "50.00", "bonus": "1.00"`, "debt.bonus"},
		{"bad amount", `"principal": "9000.00"`, `"principal": "9000.001"`, "debt.principal"},
		{"bad date", `"as_of": "2026-03-10"`, `"as_of": "10/03/2026"`, "as_of"},
		{"bad value", `"hardship": "job_loss"`, `"hardship": "lottery"`, "assessment.hardship"},
		{"unknown segment", `"segment": "willing_unable"`, `"segment": "bogus"`, "segment"},
		{"policy out of range", `"max_term_months": 36`, `"max_term_months": 0`, "policy.max_term_months"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errb := negotiate(t, strings.Replace(negotiateCase, tt.from, tt.to, 1), "--json")
			if code != 2 || !strings.Contains(errb, tt.field) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want 2 naming %s", code, errb, out, tt.field)
			}
		})
	}
	code, _, errb := runAccord(t, context.Background(), nil, "--log-level", "warn", "negotiate", "options")
	if code != 2 || !strings.Contains(errb, "--file") {
		t.Errorf("no file: exit %d %s", code, errb)
	}
	code, out, _ := runAccord(t, context.Background(), nil, "negotiate", "options", "--help")
	if code != 0 || !strings.Contains(out, "remaining_months") || !strings.Contains(out, "max_settlement_discount") {
		t.Errorf("--help does not document the file: %d %s", code, out)
	}
}
