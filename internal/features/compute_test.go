package features

import (
	"math"
	"math/rand/v2"
	"testing"

	"accord/internal/date"
	"accord/internal/ledger"
)

// truncate returns the history f as it stood at the end of day d: every
// fact dated after d removed, every verdict or reversal reached after d
// undone.
func truncate(f *Facts, d date.Date) *Facts {
	out := &Facts{BorrowerID: f.BorrowerID, MonthlyIncome: f.MonthlyIncome, Policy: f.Policy}
	for _, l := range f.Loans {
		if l.Loan.DisbursedOn.After(d) {
			continue
		}
		c := Loan{Loan: l.Loan, Schedule: l.Schedule}
		for _, p := range l.Payments {
			if p.PaidOn.After(d) {
				continue
			}
			if p.Reversed && reversedOn(p).After(d) {
				p.Reversed = false
			}
			c.Payments = append(c.Payments, p)
		}
		out.Loans = append(out.Loans, c)
	}
	for _, c := range f.Contacts {
		if !c.On.After(d) {
			out.Contacts = append(out.Contacts, c)
		}
	}
	for _, p := range f.Promises {
		if p.MadeOn.After(d) {
			continue
		}
		if p.JudgedOn.After(d) {
			p.JudgedOn, p.Final, p.Kept = 0, false, false
		}
		out.Promises = append(out.Promises, p)
	}
	for _, p := range f.Plans {
		if p.Start.After(d) {
			continue
		}
		if p.BrokenOn.After(d) {
			p.BrokenOn = 0
		}
		if p.CompletedOn.After(d) {
			p.CompletedOn = 0
		}
		out.Plans = append(out.Plans, p)
	}
	for _, v := range f.Visits {
		if !v.On.After(d) {
			out.Visits = append(out.Visits, v)
		}
	}
	return out
}

func sameVector(a, b Vector) (string, bool) {
	if a.Product != b.Product {
		return ProductName, false
	}
	for i := range a.Num {
		x, y := a.Num[i], b.Num[i]
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
			return Names[i], false
		}
	}
	return "", true
}

// TestCompute_NoLookAhead: on random histories, the features as of D are
// the same whether the history goes on after D or stops at D, and adding
// more facts after D changes nothing.
func TestCompute_NoLookAhead(t *testing.T) {
	t.Parallel()
	start := day("2025-01-01")
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 99))
		f := randomFacts(t, r, start, 500)
		d := start.AddDays(r.IntN(480))
		full := Compute(f, d)
		cut := Compute(truncate(f, d), d)
		if name, ok := sameVector(full, cut); !ok {
			t.Fatalf("seed %d, as of %s: %s differs with the history after D (%v) and without (%v)", seed, d, name, full, cut)
		}
		more := randomFacts(t, r, d.AddDays(1), 200)
		g := *f
		g.Contacts = append(append([]Contact(nil), f.Contacts...), more.Contacts...)
		g.Promises = append(append([]Promise(nil), f.Promises...), more.Promises...)
		g.Plans = append(append([]Plan(nil), f.Plans...), more.Plans...)
		g.Visits = append(append([]Visit(nil), f.Visits...), more.Visits...)
		g.Loans = append([]Loan(nil), f.Loans...)
		for i := range g.Loans {
			l := &g.Loans[i]
			l.Payments = append([]ledger.Payment(nil), l.Payments...)
			l.pay(d.AddDays(1+r.IntN(30)), 50_000_00)
		}
		for _, l := range more.Loans {
			l.Loan.ID += 10
			g.Loans = append(g.Loans, l)
		}
		if name, ok := sameVector(full, Compute(&g, d)); !ok {
			t.Fatalf("seed %d, as of %s: %s changed when facts dated after D were added", seed, d, name)
		}
	}
}

// TestCompute_KnownHistory checks each feature on a history worked out by
// hand.
func TestCompute_KnownHistory(t *testing.T) {
	t.Parallel()
	l := newLoan(t, 1, day("2026-01-15")) // due 02-15, 03-15, 04-15 …
	inst := l.Schedule[0].Total()
	l.pay(day("2026-02-15"), inst)   // on time
	l.pay(day("2026-03-20"), inst/2) // 5 days late and partial
	f := &Facts{MonthlyIncome: installment(l) * 4, Loans: []Loan{l},
		Contacts: []Contact{
			{On: day("2026-04-20"), Channel: "call", Party: "borrower", Connected: true},
			{On: day("2026-04-21"), Channel: "call", Party: "contact", Connected: true},
			{On: day("2026-04-22"), Channel: "call", Party: "borrower"},
			{On: day("2026-04-22"), Channel: "sms", Party: "borrower", Connected: true},
			{On: day("2026-03-01"), Channel: "call", Party: "borrower", Connected: true}, // older than 30 days
		},
		Promises: []Promise{
			{MadeOn: day("2026-03-25"), Due: day("2026-03-28"), JudgedOn: day("2026-03-29"), Final: true},
			{MadeOn: day("2026-04-20"), Due: day("2026-04-30"), JudgedOn: day("2026-05-01"), Final: true, Kept: true},
		},
		Plans: []Plan{{Start: day("2026-04-01")}},
	}
	v := Compute(f, day("2026-04-25"))
	// 03-15 is half paid: DPD 41 on 04-25; on 03-26 (30 days before) it was 11.
	want := map[int]float64{
		DPD: 41, DPDMax90: 41, DPDChange30: 30, DaysSincePayment: 36, Payments90: 2, PartialPayments90: 1,
		PromisesMade90: 2, PromisesKept: 0, PromisesBroken: 1, Calls30: 3, InstToIncome: 0.25, TenureMonths: 3,
		LoansOpen: 1, Plans: 1, PlanActive: 1,
	}
	for i, w := range want {
		if got := v.Num[i]; math.Abs(got-w) > 1e-9 {
			t.Errorf("%s = %v, want %v", Names[i], got, w)
		}
	}
	if got := v.Num[RPCRate30]; math.Abs(got-1.0/3) > 1e-9 {
		t.Errorf("rpc_rate_30 = %v, want 1/3", got)
	}
	// Due in the 90 days to 04-25: 02-15, 03-15, 04-15 (3 installments); paid 1.5 of them.
	if got := v.Num[PayRatio90]; math.Abs(got-0.5) > 0.001 {
		t.Errorf("pay_ratio_90 = %v, want 0.5", got)
	}
	if v.Product != "cash" {
		t.Errorf("product = %q", v.Product)
	}
	fresh := Compute(&Facts{Loans: []Loan{newLoan(t, 2, day("2026-04-01"))}}, day("2026-04-10"))
	for _, i := range []int{DaysSincePayment, RPCRate30, InstToIncome, PayRatio90} {
		if !math.IsNaN(fresh.Num[i]) {
			t.Errorf("%s of a fresh loan = %v, want missing", Names[i], fresh.Num[i])
		}
	}
}

// TestDPDOn: the DPD on a past day read from one replay to a later date
// equals the DPD of a replay to that day (payments without reversals).
func TestDPDOn(t *testing.T) {
	t.Parallel()
	start := day("2025-01-01")
	for seed := range uint64(200) {
		r := rand.New(rand.NewPCG(seed, 5))
		f := randomFacts(t, r, start, 500)
		for i := range f.Loans {
			for j := range f.Loans[i].Payments {
				f.Loans[i].Payments[j].Reversed = false
			}
		}
		d := start.AddDays(100 + r.IntN(400))
		for _, l := range f.Loans {
			pos := f.position(l, d)
			for range 5 {
				day := d.AddDays(-r.IntN(120))
				if got, want := dpdOn(pos, day), f.position(l, day).DPD; got != want {
					t.Fatalf("seed %d loan %d: DPD on %s read from %s = %d, replayed to it %d", seed, l.Loan.ID, day, d, got, want)
				}
			}
		}
	}
}

// A Computer used for one borrower after another gives each the features
// and paid-off days Compute and PaidOffBy give: its replays leave nothing
// behind in its buffers.
func TestComputer_SameAsCompute(t *testing.T) {
	t.Parallel()
	start := day("2025-01-01")
	var c Computer
	paidOff, allPaid := 0, 0
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		f := randomFacts(t, r, start, 500)
		if seed%2 == 0 { // the loans caught up and overpaid: paid off
			for i := range f.Loans {
				if i == 0 || seed%4 == 0 {
					f.Loans[i].pay(start.AddDays(450), 30_000_00)
				}
			}
		}
		for _, d := range []date.Date{start.AddDays(r.IntN(480)), start.AddDays(700)} {
			if name, ok := sameVector(Compute(f, d), c.Compute(f, d)); !ok {
				t.Fatalf("seed %d, as of %s: %s differs from Compute", seed, d, name)
			}
			var last date.Date
			all := len(f.Loans) > 0
			for _, l := range f.Loans {
				on, ok := PaidOffBy(f, l, d)
				if on2, ok2 := c.PaidOffBy(f, l, d); on2 != on || ok2 != ok {
					t.Fatalf("seed %d, loan %d as of %s: paid off %s %v, PaidOffBy %s %v", seed, l.Loan.ID, d, on2, ok2, on, ok)
				}
				if ok {
					paidOff++
				}
				last, all = max(last, on), all && ok
			}
			if !all {
				last = 0
			}
			if on, ok := c.AllPaidOffBy(f, d); on != last || ok != all {
				t.Fatalf("seed %d as of %s: all paid off %s %v, by loan %s %v", seed, d, on, ok, last, all)
			}
			if all {
				allPaid++
			}
		}
	}
	if paidOff == 0 || allPaid == 0 {
		t.Fatalf("%d loans and %d borrowers paid off in the histories: PaidOffBy untested", paidOff, allPaid)
	}
}
