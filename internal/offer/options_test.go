package offer

import (
	"math"
	"slices"
	"testing"

	"accord/internal/date"
	"accord/internal/money"
)

// The example case. Every number below is worked out by hand:
//
//	balance      = 9000.00 + 320.00 + 85.20 + 50.00 = 9455.20
//	sustainable  = (6000.00 − 3500.00 − 800.00) × 0.80 = 1360.00
//	lump sum     = 9455.20 − (85.20 + 50.00 penalty and fees at share 1.00
//	               + 320.00 interest + 2700.00 = 30% of principal) = 6300.00,
//	               due 14 days after as-of (2026-03-24)
//	3 instalments: half the principal discount (1350.00), so
//	               9455.20 − 135.20 − 320.00 − 1350.00 = 7650.00 = 3 × 2550.00
func exampleCase() (Debt, Assessment, Policy) {
	d := Debt{Principal: yuan("9000.00"), Interest: yuan("320.00"), Penalty: yuan("85.20"), Fees: yuan("50.00"),
		AnnualRate: dec("0.18"), RemainingMonths: 8, MonthlyPayment: yuan("1150.00")}
	a := Assessment{MonthlyIncome: yuan("6000.00"), EssentialExpenses: amt("3500.00"), OtherDebtPayments: yuan("800.00"),
		Dependants: 1, Hardship: JobLoss, HardshipMonths: 3}
	return d, a, DefaultPolicy()
}

func TestOptions_Example(t *testing.T) {
	t.Parallel()
	d, a, pol := exampleCase()
	res := mustOptions(t, "2026-03-10", d, a, "willing_unable", pol)
	if res.Balance != yuan("9455.20") || res.Sustainable != yuan("1360.00") {
		t.Fatalf("balance %s sustainable %s, want 9455.20 and 1360.00", res.Balance, res.Sustainable)
	}
	if got := res.Affordability.DebtServiceRatio.String(); got != "0.3250" { // (800 + 1150) / 6000
		t.Errorf("DSR = %s, want 0.3250", got)
	}

	lump := find(t, res, "settlement-lump-6300.00")
	if got := dues(lump); !slices.Equal(got, []string{"2026-03-24"}) {
		t.Errorf("lump due %v", got)
	}
	want := Components{Principal: yuan("2700.00"), Interest: yuan("320.00"), Penalty: yuan("85.20"), Fees: yuan("50.00")}
	if lump.Waived != want || lump.Financed != yuan("6300.00") || lump.TotalPayable != yuan("6300.00") {
		t.Errorf("lump waived %+v financed %s total %s", lump.Waived, lump.Financed, lump.TotalPayable)
	}
	// 6300.00 × 1.1^(−14/365) = 6277.0109…; p_kept: willing_unable 0.6, burden 6300/1360 − 0.7 caps at −3:
	// 1/(1+e^2.4) = 0.0832; 6277.01 × 0.0832 = 522.247… → 522.25.
	if lump.NPV != yuan("6277.01") || lump.PKept != 0.0832 || lump.ExpectedRecovery != yuan("522.25") {
		t.Errorf("lump npv %s p %v er %s, want 6277.01 0.0832 522.25", lump.NPV, lump.PKept, lump.ExpectedRecovery)
	}
	if lump.Affordable || lump.Approval != Manager || lump.AnnualRate.String() != "0.000000" {
		t.Errorf("lump affordable %v approval %s rate %s", lump.Affordable, lump.Approval, lump.AnnualRate)
	}

	inst := find(t, res, "settlement-3m-7650.00")
	if got := amounts(inst); !slices.Equal(got, []string{"2550.00", "2550.00", "2550.00"}) {
		t.Errorf("instalments %v", got)
	}
	if got := dues(inst); !slices.Equal(got, []string{"2026-04-10", "2026-05-10", "2026-06-10"}) {
		t.Errorf("instalment dues %v", got)
	}
	if inst.Waived.Principal != yuan("1350.00") || inst.Waived.Total() != yuan("1805.20") {
		t.Errorf("instalment waived %+v", inst.Waived)
	}
	// 2550 × (1.1^(−31/365) + 1.1^(−61/365) + 1.1^(−92/365)) = 7528.6158
	if inst.NPV != yuan("7528.62") {
		t.Errorf("instalment npv %s, want 7528.62", inst.NPV)
	}

	// The conditional waiver forgives all penalty and fees after 3 on-time
	// payments and finances the rest: 9455.20 − 135.20 = 9320.00.
	w := find(t, res, "waiver-after3-135.20-8m")
	if w.Financed != yuan("9320.00") || len(w.Waivers) != 1 || w.Waivers[0].Condition == nil || w.Waivers[0].Condition.OnTimePayments != 3 {
		t.Errorf("conditional waiver %+v", w)
	}
	if w.Approval != Collector { // 135.20 ≤ ¥500, 8 months, contract rate
		t.Errorf("conditional waiver approval %s", w.Approval)
	}
	// Affordable offers come first.
	if !res.Offers[0].Affordable || res.Offers[len(res.Offers)-1].Affordable {
		t.Errorf("order: first affordable %v, last affordable %v", res.Offers[0].Affordable, res.Offers[len(res.Offers)-1].Affordable)
	}
}

// A one-month plan at 12%: the payment that is worth 1000.00 on
// 2026-01-10 when paid 31 days later is 1000.00 × 1.12^(31/365) =
// 1009.6716…, rounded down so the plan never charges more than 12%.
func TestOptions_OneMonthExtension(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("1000.00"), AnnualRate: dec("0.12"), RemainingMonths: 1}
	a := Assessment{MonthlyIncome: yuan("2000.00"), EssentialExpenses: amt("625.00")} // sustainable (2000 − 625) × 0.8 = 1100
	res := mustOptions(t, "2026-01-10", d, a, "willing_able", DefaultPolicy())
	o := find(t, res, "extension-1m")
	if got := amounts(o); !slices.Equal(got, []string{"1009.67"}) || dues(o)[0] != "2026-02-10" {
		t.Fatalf("extension %v %v", got, dues(o))
	}
	// (1009.67/1000)^(365/31) − 1 = 0.1199784…; 1009.67 × 1.1^(−31/365) = 1001.5299
	if o.AnnualRate.String() != "0.119978" || o.NPV != yuan("1001.53") || !o.Affordable || o.Approval != Collector {
		t.Errorf("rate %s npv %s affordable %v approval %s", o.AnnualRate, o.NPV, o.Affordable, o.Approval)
	}
	// Nothing to waive but principal; the borrower can pay it all, so the
	// settlement asks the full balance and the instalments split it.
	if l := find(t, res, "settlement-lump-1000.00"); l.Waived.Total() != 0 || l.Approval != Collector {
		t.Errorf("lump %+v", l)
	}
	if got := amounts(find(t, res, "settlement-3m-1000.00")); !slices.Equal(got, []string{"333.33", "333.33", "333.34"}) {
		t.Errorf("instalments %v", got)
	}
	for _, o := range res.Offers {
		if o.Kind == KindRateCut || o.Kind == KindWaiver || o.Kind == KindRelief {
			t.Errorf("unexpected offer %s: no rate cut buys a shorter plan, nothing to waive, no hardship", o.ID)
		}
	}
}

// With an interest-free contract every plan is exact: extension over the
// shortest term whose payments fit 300.00 (4 × 250.00), graduated plans in
// stages weighted 6:8:10, relief at the minimum payment for the hardship
// months then level.
func TestOptions_InterestFree(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("1000.00"), AnnualRate: dec("0")}
	a := Assessment{MonthlyIncome: yuan("1000.00"), EssentialExpenses: amt("625.00"), Hardship: Illness, HardshipMonths: 2} // 375 × 0.8 = 300
	res := mustOptions(t, "2026-01-31", d, a, "willing_unable", DefaultPolicy())
	ext := find(t, res, "extension-4m")
	if got := amounts(ext); !slices.Equal(got, []string{"250.00", "250.00", "250.00", "250.00"}) {
		t.Errorf("extension %v", got)
	}
	if got := dues(ext); !slices.Equal(got, []string{"2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"}) {
		t.Errorf("dues clamp to month end: %v", got)
	}
	// 3 months: 250, 333.33, 416.67 > 300; 4 months: 200, 200, 266.66, 333.34 > 300;
	// 5 months, weights 6 6 8 8 10 (38): 157.89 157.89 210.52 210.52 263.15, 3 fen left for the last three.
	if got := amounts(find(t, res, "graduated-5m")); !slices.Equal(got, []string{"157.89", "157.89", "210.53", "210.53", "263.16"}) {
		t.Errorf("graduated %v", got)
	}
	// Relief: interest-only is 0, so the reduced payment is the policy's
	// minimum 100.00 for 2 months; the 800.00 left fits 300.00 a month in 3.
	if got := amounts(find(t, res, "relief-2x100.00-5m")); !slices.Equal(got, []string{"100.00", "100.00", "266.66", "266.67", "266.67"}) {
		t.Errorf("relief %v", got)
	}
	for _, o := range res.Offers {
		if o.AnnualRate.String() != "0.000000" || o.TotalPayable != o.Financed {
			t.Errorf("%s: rate %s total %s financed %s", o.ID, o.AnnualRate, o.TotalPayable, o.Financed)
		}
		if o.Kind == KindRateCut {
			t.Errorf("rate cut offered on an interest-free contract: %s", o.ID)
		}
	}
}

// When nothing at the contract rate fits within max_term_months but an
// interest-free plan does, the interest freeze (停息挂账) is offered: 1200.00
// over 12 months at 100.00 is affordable at 0%; at 0.01% the payments round
// to 100.01 and are not.
func TestOptions_InterestFreeze(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("1200.00"), AnnualRate: dec("0.24"), RemainingMonths: 3}
	a := Assessment{MonthlyIncome: yuan("1125.00"), EssentialExpenses: amt("1000.00")} // 125 × 0.8 = 100
	pol := DefaultPolicy()
	pol.MaxTermMonths = 12
	res := mustOptions(t, "2026-05-15", d, a, "willing_unable", pol)
	o := find(t, res, "extension-12m-freeze-0.0000")
	want := slices.Repeat([]string{"100.00"}, 12)
	if got := amounts(o); !slices.Equal(got, want) {
		t.Fatalf("freeze %v", got)
	}
	if !o.Affordable || o.Approval != Manager || o.Concession.RateCut.Cmp(dec("0.24")) != 0 || res.Offers[0].ID != o.ID {
		t.Errorf("freeze affordable %v approval %s cut %s; first offer %s", o.Affordable, o.Approval, o.Concession.RateCut, res.Offers[0].ID)
	}
	var npv float64
	for k := 1; k <= 12; k++ {
		days := date.MustParse("2026-05-15").AddMonthsClamped(k).Sub(date.MustParse("2026-05-15"))
		npv += 10000 * math.Pow(1.1, -float64(days)/365)
	}
	if o.NPV != money.Amount(math.Floor(npv+0.5)) {
		t.Errorf("npv %s, want %.2f", o.NPV, npv/100)
	}
	if ext := find(t, res, "extension-12m"); ext.Affordable || ext.AnnualRate.Cmp(dec("0.24")) > 0 {
		t.Errorf("contract-rate extension %+v", ext)
	}
	rc := find(t, res, "rate_cut-0.0600-12m")
	if rc.Affordable || rc.AnnualRate.Cmp(dec("0.18")) < 0 || rc.AnnualRate.Cmp(dec("0.24")) > 0 {
		t.Errorf("rate cut %s affordable %v", rc.AnnualRate, rc.Affordable)
	}
}

// A rate cut is offered when it buys a shorter plan than the extension:
// the least cut, in basis points, that makes the shortest term affordable.
func TestOptions_RateCut(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("10000.00"), AnnualRate: dec("0.24"), RemainingMonths: 10}
	// 1362.50 × 0.8 = 1090: at 24% ten months cost about 1103 a month, eleven 1011;
	// at 18% ten months cost about 1077.
	a := Assessment{MonthlyIncome: yuan("2562.50"), EssentialExpenses: amt("1200.00")}
	res := mustOptions(t, "2026-01-10", d, a, "willing_unable", DefaultPolicy())
	var rc Offer
	for _, o := range res.Offers {
		if o.Kind == KindRateCut {
			rc = o
		}
	}
	ext := res.Offers[slices.IndexFunc(res.Offers, func(o Offer) bool { return o.ID[:10] == "extension-" })]
	if rc.ID == "" || len(rc.Schedule) != 10 || ext.ID != "extension-11m" || !rc.Affordable {
		t.Fatalf("rate cut %q (%d months) vs extension %q", rc.ID, len(rc.Schedule), ext.ID)
	}
	if rc.AnnualRate.Cmp(dec("0.18")) < 0 || rc.AnnualRate.Cmp(rc.PlanRate) < 0 || rc.AnnualRate.Cmp(dec("0.24")) > 0 {
		t.Errorf("rate cut rate %s plan %s", rc.AnnualRate, rc.PlanRate)
	}
	if rc.Approval != Supervisor {
		t.Errorf("rate cut approval %s", rc.Approval)
	}
	// One basis point less cut is not affordable at that term.
	n := len(rc.Schedule)
	r, _ := rc.PlanRate.Add(bp(1))
	e := newEnv(date.MustParse("2026-01-10"), d, a, DefaultPolicy(), Assess(a, d, DefaultPolicy()))
	if x, ok := build(d.Balance(), e.factors(fl(r), n), n, nil, level, true, false); ok && e.affordable(x) {
		t.Errorf("a cut of one basis point less (%s) is affordable too", r)
	}
}

func TestOptions_Invalid(t *testing.T) {
	t.Parallel()
	d, a, pol := exampleCase()
	d.Principal = -1
	a.Hardship = "bored"
	pol.MaxTermMonths = 0
	_, err := Options(date.MustParse("2026-03-10"), d, a, "", History{}, pol)
	var fields []string
	for _, f := range errsFields(err) {
		fields = append(fields, f)
	}
	for _, want := range []string{"debt.principal", "assessment.hardship", "policy.max_term_months"} {
		if !slices.Contains(fields, want) {
			t.Errorf("fields %v lack %s", fields, want)
		}
	}
}

// Two months at 12% from 2026-01-10 (31 and 59 days): v1 = 1.12^(−31/365),
// v2 = 1.12^(−59/365), X = 1000.00 ÷ (v1 + v2) = 507.0303 → 507.03; the last
// payment (1000.00 − 507.03 × v1) ÷ v2 = 507.0305 is rounded down to 507.03.
// Internal rate 0.1199954; NPV at 10% 1002.2206.
func TestOptions_TwoMonthExtension(t *testing.T) {
	t.Parallel()
	d := Debt{Principal: yuan("1000.00"), AnnualRate: dec("0.12"), RemainingMonths: 2}
	a := Assessment{MonthlyIncome: yuan("2000.00"), EssentialExpenses: amt("625.00")}
	res := mustOptions(t, "2026-01-10", d, a, "willing_able", DefaultPolicy())
	o := find(t, res, "extension-2m")
	if got := amounts(o); !slices.Equal(got, []string{"507.03", "507.03"}) {
		t.Fatalf("extension %v", got)
	}
	if o.TotalPayable != yuan("1014.06") || o.AnnualRate.String() != "0.119995" || o.NPV != yuan("1002.22") {
		t.Errorf("total %s rate %s npv %s", o.TotalPayable, o.AnnualRate, o.NPV)
	}
}
