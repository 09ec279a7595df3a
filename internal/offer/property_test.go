package offer

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/date"
	"accord/internal/money"
)

// randomCase is one generated case with the policy's rates kept as whole
// basis points, so the test can check the conventions in integer
// arithmetic of its own.
type randomCase struct {
	asOf    date.Date
	debt    Debt
	a       Assessment
	segment string
	hist    History
	pol     Policy
	shareBp int64 // sustainable share
	feeBp   int64 // max fee waiver share
	discBp  int64 // max settlement discount
	cutBp   int64 // max rate cut
	rateBp  int64 // contract rate
	discRt  float64
}

func logUniform(r *rand.Rand, lo, hi float64) money.Amount {
	return money.Amount(math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo))))
}

func genCase(r *rand.Rand) randomCase {
	var c randomCase
	c.asOf = date.MustParse("2025-01-01").AddDays(r.IntN(900))
	p := logUniform(r, 5_000, 50_000_000)
	c.rateBp = 0
	if r.IntN(10) > 0 {
		c.rateBp = 500 + r.Int64N(3100)
	}
	c.debt = Debt{Principal: p, Interest: money.Amount(r.Int64N(int64(p)/10 + 1)), AnnualRate: decimal.MustNew(c.rateBp, 4),
		RemainingMonths: r.IntN(37)}
	if r.IntN(4) > 0 {
		c.debt.Penalty = money.Amount(r.Int64N(int64(p)/20 + 1))
		c.debt.Fees = money.Amount(r.Int64N(50_000))
	}
	if c.debt.RemainingMonths > 0 {
		c.debt.MonthlyPayment = p / money.Amount(c.debt.RemainingMonths)
	}
	c.a = Assessment{MonthlyIncome: money.Amount(r.Int64N(3_000_000)), OtherDebtPayments: money.Amount(r.Int64N(500_000)),
		Dependants: r.IntN(4), HardshipMonths: r.IntN(13), Hardship: []Hardship{"", JobLoss, Illness, IncomeDrop, OtherHardship}[r.IntN(5)],
		Willingness: []string{"", Willing, Hesitant, Unwilling}[r.IntN(4)]}
	if r.IntN(2) == 0 {
		e := money.Amount(r.Int64N(int64(c.a.MonthlyIncome) + 1))
		c.a.EssentialExpenses = &e
	} else {
		c.a.HouseholdSize, c.a.CityTier = r.IntN(6), r.IntN(5)
	}
	if r.IntN(2) == 0 {
		c.a.LiquidAssets = logUniform(r, 100, 10_000_000)
	}
	c.segment = []string{"", "willing_able", "willing_unable", "unwilling_able", "unwilling_unable"}[r.IntN(5)]
	c.hist = History{InstallmentsDue: r.IntN(7), PromisesKept: r.IntN(3), PromisesBroken: r.IntN(3), PlansBroken: r.IntN(2), PaymentsWhileDelinquent: r.IntN(2)}
	c.hist.InstallmentsOnTime = r.IntN(c.hist.InstallmentsDue + 1)

	c.shareBp, c.feeBp, c.discBp = 3000+r.Int64N(7001), r.Int64N(10001), r.Int64N(5001)
	if r.IntN(5) > 0 {
		c.cutBp = 1 + r.Int64N(1000)
	}
	discBp := r.Int64N(2001)
	c.discRt = float64(discBp) / 10000
	c.pol = DefaultPolicy()
	c.pol.DiscountRate = decimal.MustNew(discBp, 4)
	c.pol.SustainableShare = decimal.MustNew(c.shareBp, 4)
	c.pol.MinPayment = money.Amount(r.Int64N(30_001))
	c.pol.MaxTermMonths = 1 + r.IntN(60)
	c.pol.MaxRateCut = decimal.MustNew(c.cutBp, 4)
	c.pol.MaxFeeWaiverShare = decimal.MustNew(c.feeBp, 4)
	c.pol.MaxSettlementDiscount = decimal.MustNew(c.discBp, 4)
	c.pol.WaiverAfterPayments = 1 + r.IntN(6)
	c.pol.SettlementDueDays = 1 + r.IntN(28)
	c.pol.SettlementInstalments = 2 + r.IntN(5)
	return c
}

// addMonths is the due-date convention written out with the time package:
// asOf's day of the month, clamped to the month's last day.
func addMonths(d date.Date, k int) date.Date {
	y, m, day := d.Parts()
	first := time.Date(y, m+time.Month(k), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return date.Of(first.Year(), first.Month(), min(day, last))
}

// halfUp returns x × bp ÷ 10 000 rounded half-up, x ≥ 0.
func halfUp(x money.Amount, bp int64) money.Amount { return money.Amount((int64(x)*bp + 5000) / 10000) }

// floorBp returns x × bp ÷ 10 000 rounded down.
func floorBp(x money.Amount, bp int64) money.Amount { return money.Amount(int64(x) * bp / 10000) }

// irr solves Σ amount (1+x)^(−days/365) = financed by plain bisection.
func irr(asOf date.Date, financed money.Amount, s []Payment) float64 {
	pv := func(x float64) float64 {
		v := 0.0
		for _, p := range s {
			v += float64(p.Amount) * math.Pow(1+x, -float64(p.Due.Sub(asOf))/365)
		}
		return v
	}
	lo, hi := -0.99, 50.0
	for range 80 {
		mid := (lo + hi) / 2
		if pv(mid) > float64(financed) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

func TestOptions_Properties(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(seed, 7))
			offers, affordable, guaranteed := 0, 0, 0
			kinds := map[Kind]int{}
			for i := range 1500 {
				c := genCase(r)
				res, err := Options(c.asOf, c.debt, c.a, c.segment, c.hist, c.pol)
				if err != nil {
					t.Fatalf("case %d: %v", i, err)
				}
				checkCase(t, i, c, res)
				if i%50 == 0 {
					again, _ := Options(c.asOf, c.debt, c.a, c.segment, c.hist, c.pol)
					if !reflect.DeepEqual(res, again) {
						t.Fatalf("case %d: two runs differ", i)
					}
				}
				offers += len(res.Offers)
				for _, o := range res.Offers {
					kinds[o.Kind]++
					if o.Affordable {
						affordable++
					}
				}
				bal := c.debt.Balance()
				M := money.Amount(c.pol.MaxTermMonths)
				if (bal+M-1)/M <= res.Sustainable {
					guaranteed++
				}
			}
			t.Logf("%d offers, %d affordable, %d cases with an affordable interest-free extension; kinds %v", offers, affordable, guaranteed, kinds)
			for _, k := range []Kind{KindExtension, KindGraduated, KindRelief, KindRateCut, KindWaiver, KindSettlement} {
				if kinds[k] < 50 {
					t.Errorf("only %d %s offers: the generator does not exercise them", kinds[k], k)
				}
			}
		})
	}
}

func checkCase(t *testing.T, i int, c randomCase, res Result) {
	t.Helper()
	fail := func(o Offer, format string, args ...any) {
		t.Helper()
		t.Errorf("case %d (%+v, %+v), offer %s: %s", i, c.debt, c.a, o.ID, fmt.Sprintf(format, args...))
	}
	d := c.debt
	bal := d.Principal + d.Interest + d.Penalty + d.Fees
	if res.Balance != bal {
		t.Errorf("case %d: balance %s, want %s", i, res.Balance, bal)
	}
	exp := res.Affordability.Expenses
	if c.a.EssentialExpenses != nil {
		exp = *c.a.EssentialExpenses
	} else {
		size, tier := c.a.HouseholdSize, c.a.CityTier
		if size == 0 {
			size = 1 + c.a.Dependants
		}
		if tier == 0 {
			tier = 2
		}
		per := DefaultExpenseTable().PerPerson[tier-1]
		exp = money.Amount((int64(per)*int64(10+6*(size-1)) + 5) / 10)
	}
	if res.Affordability.Expenses != exp {
		t.Errorf("case %d: expenses %s, want %s", i, res.Affordability.Expenses, exp)
	}
	S := halfUp(max(0, c.a.MonthlyIncome-exp-c.a.OtherDebtPayments), c.shareBp)
	if res.Sustainable != S {
		t.Errorf("case %d: sustainable %s, want %s", i, res.Sustainable, S)
	}
	M := c.pol.MaxTermMonths
	if (bal+money.Amount(M)-1)/money.Amount(M) <= S && (len(res.Offers) == 0 || !res.Offers[0].Affordable) {
		t.Errorf("case %d: an interest-free extension over %d months (%s a month) is affordable at %s, but no offer is",
			i, M, (bal+money.Amount(M)-1)/money.Amount(M), S)
	}
	ids := map[string]bool{}
	for k, o := range res.Offers {
		if ids[o.ID] {
			fail(o, "duplicate id")
		}
		ids[o.ID] = true
		var total, maxPay money.Amount
		affordable := len(o.Schedule) > 0
		for j, p := range o.Schedule {
			total += p.Amount
			maxPay = max(maxPay, p.Amount)
			limit := S
			if j == 0 {
				limit += c.a.LiquidAssets
			}
			if p.Amount > limit {
				affordable = false
			}
			if p.Amount < 0 {
				fail(o, "negative payment")
			}
			lump := o.Kind == KindSettlement && len(o.Schedule) == 1
			switch {
			case lump && !(p.Due.After(c.asOf) && !p.Due.After(addMonths(c.asOf, 1))):
				fail(o, "lump sum due %s", p.Due)
			case !lump && p.Due != addMonths(c.asOf, j+1):
				fail(o, "payment %d due %s, want %s", j, p.Due, addMonths(c.asOf, j+1))
			}
		}
		if total != o.TotalPayable || maxPay != o.MaxPayment || affordable != o.Affordable {
			fail(o, "total %s/%s max %s/%s affordable %v/%v", total, o.TotalPayable, maxPay, o.MaxPayment, affordable, o.Affordable)
		}
		var waived Components
		for _, w := range o.Waivers {
			waived = waived.Add(w.Amount)
			if w.Condition != nil && (w.Condition.OnTimePayments < 1 || w.Condition.OnTimePayments > len(o.Schedule)) {
				fail(o, "condition %+v", *w.Condition)
			}
		}
		if waived != o.Waived || o.Financed != bal-waived.Total() || o.TotalPayable < o.Financed {
			fail(o, "waived %+v (%+v) financed %s total %s", o.Waived, waived, o.Financed, o.TotalPayable)
		}
		w := o.Waived
		if w.Principal < 0 || w.Interest < 0 || w.Penalty < 0 || w.Fees < 0 || w.Interest > d.Interest || w.Penalty > d.Penalty || w.Fees > d.Fees {
			fail(o, "waived %+v of %+v", w, d)
		}
		// waived penalty + fees ≤ share × (penalty + fees); principal ≤ discount × principal
		if int64(w.Penalty+w.Fees)*10000 > int64(d.Penalty+d.Fees)*c.feeBp || int64(w.Principal)*10000 > int64(d.Principal)*c.discBp {
			fail(o, "waived %+v beyond the policy (fees %d bp, principal %d bp)", w, c.feeBp, c.discBp)
		}
		if o.Kind != KindSettlement && len(o.Schedule) < min(max(d.RemainingMonths, 1), M) {
			fail(o, "%d payments, fewer than the contract's remaining %d months", len(o.Schedule), d.RemainingMonths)
		}
		if len(o.Schedule) > M || o.Schedule[len(o.Schedule)-1].Due.After(addMonths(c.asOf, M)) {
			fail(o, "%d payments, last %s, max %d months", len(o.Schedule), o.Schedule[len(o.Schedule)-1].Due, M)
		}
		// rates: the reported one never above the contract's; a rate cut's within max_rate_cut of it
		contract := decimal.MustNew(c.rateBp, 4)
		floor := decimal.MustNew(c.rateBp-c.cutBp, 4)
		if o.AnnualRate.Cmp(contract) > 0 || (o.Kind == KindRateCut && o.AnnualRate.Cmp(floor) < 0) {
			fail(o, "annual rate %s, contract %s, floor %s", o.AnnualRate, contract, floor)
		}
		x := irr(c.asOf, o.Financed, o.Schedule)
		if x > float64(c.rateBp)/10000+1e-9 || (o.Kind == KindRateCut && x < float64(c.rateBp-c.cutBp)/10000-1e-9) || math.Abs(x-fl(o.AnnualRate)) > 2e-6 {
			fail(o, "internal rate %.9f, reported %s, contract %d bp", x, o.AnnualRate, c.rateBp)
		}
		npv := 0.0
		for _, p := range o.Schedule {
			npv += float64(p.Amount) * math.Pow(1+c.discRt, -float64(p.Due.Sub(c.asOf))/365)
		}
		if o.NPV != money.Amount(math.Floor(npv+0.5)) {
			fail(o, "npv %s, want %.4f", o.NPV, npv/100)
		}
		q := int64(math.Round(o.PKept * 10000))
		if o.PKept < 0 || o.PKept > 1 || math.Abs(float64(q)/10000-o.PKept) > 1e-12 {
			fail(o, "p_kept %v", o.PKept)
		}
		if o.ExpectedRecovery != halfUp(o.NPV, q) {
			fail(o, "expected recovery %s, want %s × %v", o.ExpectedRecovery, o.NPV, o.PKept)
		}
		lvl, ok := c.pol.Authority.Required(o.Concession)
		if lvl != o.Approval || (ok && !c.pol.Authority.MayApprove(o.Approval, o.Concession)) {
			fail(o, "approval %s, required %s %v", o.Approval, lvl, ok)
		}
		if k > 0 {
			prev := res.Offers[k-1]
			if !prev.Affordable && o.Affordable || prev.Affordable == o.Affordable && prev.ExpectedRecovery < o.ExpectedRecovery {
				fail(o, "out of order after %s", prev.ID)
			}
		}
		if !slices.ContainsFunc(o.Limits, func(s string) bool { return len(s) > 15 && s[:15] == "max_term_months" }) {
			fail(o, "limits %v do not give the term", o.Limits)
		}
	}
}

// Drafts that fen rounding pushes past a limit are dropped, not offered;
// that must stay rare (it needs amounts of a few yuan).
func TestOptions_FewDropped(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 9))
	drafts, dropped := 0, 0
	for range 1000 {
		c := genCase(r)
		aff := Assess(c.a, c.debt, c.pol)
		e := newEnv(c.asOf, c.debt, c.a, c.pol, aff)
		ext, n, ok := e.extensions()
		all := append(ext, e.graduatedPlan()...)
		all = append(all, e.relief()...)
		all = append(all, e.rateCut(n, ok)...)
		all = append(all, e.waivers()...)
		all = append(all, e.settlements()...)
		for _, d := range all {
			drafts++
			if _, ok := e.finish(d, c.segment, c.hist, DefaultKeep{}); !ok {
				dropped++
				t.Logf("dropped %s of %+v", d.id, c.debt)
			}
		}
	}
	if dropped*1000 > drafts {
		t.Errorf("%d of %d drafts dropped", dropped, drafts)
	}
}
