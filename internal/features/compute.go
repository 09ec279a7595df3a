package features

import (
	"math"

	"accord/internal/date"
	"accord/internal/ledger"
	"accord/internal/money"
)

// The numeric features, in the order of Vector.Num. Product is the one
// categorical feature.
const (
	DPD               = iota // days past due as of D (largest of the loans)
	DPDMax90                 // largest DPD seen on D, D−30, D−60 and D−90
	DPDChange30              // DPD on D less DPD on D−30
	OverdueShare             // overdue principal and interest over principal outstanding plus overdue interest
	PayRatio90               // paid in the last 90 days over what fell due in them (missing when nothing fell due)
	DaysSincePayment         // days since the last payment (missing when none)
	Payments90               // payments in the last 90 days
	PartialPayments90        // of those, payments smaller than the loan's smallest installment
	PromisesMade90           // promises made in the last 90 days
	PromisesKept             // promises judged kept by D
	PromisesBroken           // promises judged broken or partly kept by D
	Calls30                  // calls performed in the last 30 days
	RPCRate30                // right-party contacts over calls in the last 30 days (missing without calls)
	InstToIncome             // monthly installments of open loans over monthly income (missing without income)
	TenureMonths             // months since the first loan was disbursed
	LoansOpen                // loans disbursed and not paid off
	Plans                    // repayment plans started
	PlansBroken              // repayment plans broken
	PlanActive               // 1 when a plan is running on D
	Visits90                 // field visits in the last 90 days
	VisitsMet90              // of those, visits that met the borrower
	NumCount                 // the number of numeric features
)

// ProductName is the name of the categorical feature: the product of the
// borrower's largest open loan.
const ProductName = "product"

// Names are the numeric features' names, indexed like Vector.Num.
var Names = [NumCount]string{
	"dpd", "dpd_max_90", "dpd_change_30", "overdue_share", "pay_ratio_90", "days_since_payment", "payments_90",
	"partial_payments_90", "promises_made_90", "promises_kept", "promises_broken", "calls_30", "rpc_rate_30",
	"inst_to_income", "tenure_months", "loans_open", "plans", "plans_broken", "plan_active", "visits_90",
	"visits_met_90",
}

// Vector is a borrower's features as of a date. A missing value is NaN.
type Vector struct {
	Num     [NumCount]float64
	Product string
}

// Compute returns f's features as of the end of day d. It reads no fact
// dated after d.
func Compute(f *Facts, d date.Date) Vector { return compute(nil, f, d) }

// Computer computes the features (and the paid-off days) of many
// borrowers one after another, replaying their loans in the same buffers
// (ledger.Replayer): what Compute and PaidOffBy give, with less garbage.
// A zero Computer is ready to use; it is not safe for concurrent use.
type Computer struct{ replays ledger.Replayer }

// Compute is Compute.
func (c *Computer) Compute(f *Facts, d date.Date) Vector { return compute(&c.replays, f, d) }

// PaidOffBy is PaidOffBy.
func (c *Computer) PaidOffBy(f *Facts, l Loan, d date.Date) (date.Date, bool) {
	return paidOffBy(&c.replays, f, l, d)
}

// AllPaidOffBy returns the day by which all of f's loans were paid off
// (PaidOffBy), or false when one was not or f has none. It replays no loan
// unless the payments of every loan could cover its schedule.
func (c *Computer) AllPaidOffBy(f *Facts, d date.Date) (date.Date, bool) {
	for _, l := range f.Loans {
		if !covered(l, d) {
			return 0, false
		}
	}
	var last date.Date
	for _, l := range f.Loans {
		on, ok := paidOffBy(&c.replays, f, l, d)
		if !ok {
			return 0, false
		}
		last = max(last, on)
	}
	return last, len(f.Loans) > 0
}

func compute(x *ledger.Replayer, f *Facts, d date.Date) Vector {
	var v Vector
	ledgerFeatures(x, f, d, &v)
	contactFeatures(f, d, &v)
	planFeatures(f, d, &v)
	return v
}

// ledgerFeatures fills the features read from the loans disbursed by d,
// their schedules and payments.
func ledgerFeatures(x *ledger.Replayer, f *Facts, d date.Date, v *Vector) {
	var dpdNow, dpdAgo, dpdMax int
	var overdue, base, dueWindow, paidWindow, monthly money.Amount
	var largest money.Amount
	last := date.Date(0)
	first := date.Date(0)
	for _, l := range f.Loans {
		if l.Loan.DisbursedOn.After(d) {
			continue
		}
		pos := f.positionIn(x, l, d) // valid until the next replay in x
		dpdNow = max(dpdNow, pos.DPD)
		dpdMax = max(dpdMax, pos.DPD)
		for k := 1; k <= 3; k++ {
			past := dpdOn(pos, d.AddDays(-30*k))
			if k == 1 {
				dpdAgo = max(dpdAgo, past)
			}
			dpdMax = max(dpdMax, past)
		}
		overdue += pos.OverduePrincipal + pos.OverdueInterest
		base += pos.OutstandingPrincipal + pos.OverdueInterest
		inst := installment(l)
		open := pos.PaidOffOn.IsZero() || pos.PaidOffOn.After(d)
		if open {
			v.Num[LoansOpen]++
			monthly += inst
			if l.Loan.Principal > largest {
				largest, v.Product = l.Loan.Principal, l.Loan.ProductCode
			}
		}
		if first == 0 || l.Loan.DisbursedOn.Before(first) {
			first = l.Loan.DisbursedOn
		}
		for _, in := range l.Schedule {
			if in.DueDate.After(d.AddDays(-90)) && !in.DueDate.After(d) {
				dueWindow += in.Total()
			}
		}
		for _, p := range paymentsAsOf(l, d) {
			if p.Reversed || p.Amount <= 0 {
				continue
			}
			if p.PaidOn.After(last) {
				last = p.PaidOn
			}
			if p.PaidOn.After(d.AddDays(-90)) {
				paidWindow += p.Amount
				v.Num[Payments90]++
				if p.Amount < inst {
					v.Num[PartialPayments90]++
				}
			}
		}
	}
	v.Num[DPD] = float64(dpdNow)
	v.Num[DPDMax90] = float64(dpdMax)
	v.Num[DPDChange30] = float64(dpdNow - dpdAgo)
	v.Num[OverdueShare] = ratio(overdue, base)
	v.Num[PayRatio90] = math.Min(ratio(paidWindow, dueWindow), 5)
	v.Num[DaysSincePayment] = math.NaN()
	if last != 0 {
		v.Num[DaysSincePayment] = float64(d.Sub(last))
	}
	v.Num[InstToIncome] = ratio(monthly, f.MonthlyIncome)
	if first != 0 {
		v.Num[TenureMonths] = math.Floor(float64(d.Sub(first)) / 30.4375)
	}
}

// installment is the loan's smallest scheduled installment (principal and
// interest of one due date): a payment below it is partial whatever the
// repayment method.
func installment(l Loan) money.Amount {
	var m money.Amount
	for _, in := range l.Schedule {
		if t := in.Total(); t > 0 && (m == 0 || t < m) {
			m = t
		}
	}
	return m
}

// ratio returns a/b, NaN when b is not positive.
func ratio(a, b money.Amount) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// contactFeatures fills the features of the contact log and promises.
func contactFeatures(f *Facts, d date.Date, v *Vector) {
	var rpc float64
	for _, c := range f.Contacts {
		if c.On.After(d) || !c.On.After(d.AddDays(-30)) || c.Channel != "call" {
			continue
		}
		v.Num[Calls30]++
		if c.RightParty() {
			rpc++
		}
	}
	v.Num[RPCRate30] = math.NaN()
	if v.Num[Calls30] > 0 {
		v.Num[RPCRate30] = rpc / v.Num[Calls30]
	}
	for _, p := range f.Promises {
		if p.MadeOn.After(d) {
			continue
		}
		if p.MadeOn.After(d.AddDays(-90)) {
			v.Num[PromisesMade90]++
		}
		if !p.Final || p.JudgedOn.IsZero() || p.JudgedOn.After(d) {
			continue
		}
		if p.Kept {
			v.Num[PromisesKept]++
		} else {
			v.Num[PromisesBroken]++
		}
	}
	for _, x := range f.Visits {
		if x.On.After(d) || !x.On.After(d.AddDays(-90)) {
			continue
		}
		v.Num[Visits90]++
		if x.Met {
			v.Num[VisitsMet90]++
		}
	}
}

// planFeatures fills the features of repayment plans.
func planFeatures(f *Facts, d date.Date, v *Vector) {
	for _, p := range f.Plans {
		if p.Start.IsZero() || p.Start.After(d) {
			continue
		}
		v.Num[Plans]++
		broken := !p.BrokenOn.IsZero() && !p.BrokenOn.After(d)
		done := !p.CompletedOn.IsZero() && !p.CompletedOn.After(d)
		if broken {
			v.Num[PlansBroken]++
		}
		if !broken && !done {
			v.Num[PlanActive] = 1
		}
	}
}
