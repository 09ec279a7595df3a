package plan

import (
	"testing"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/offer"
)

func d(s string) date.Date { return date.MustParse(s) }

// three is a plan of three monthly 1000.00 instalments from 2026-01-10, a
// 7-day grace, a reset after 2, and 150.00 of penalty waived after 2.
func three() Plan {
	return Plan{ID: 1, Start: d("2026-01-10"), Financed: 3000_00, PreDPD: 45,
		Schedule:    []Instalment{{1, d("2026-02-10"), 1000_00}, {2, d("2026-03-10"), 1000_00}, {3, d("2026-04-10"), 1000_00}},
		Conditional: []offer.Waiver{{Amount: offer.Components{Penalty: 150_00}, Condition: &offer.Condition{OnTimePayments: 2}}},
		Rules:       Rules{GraceDays: 7, ResetAfter: 2}}
}

func pay(id int64, on string, a money.Amount) Payment { return Payment{ID: id, On: d(on), Amount: a} }

func TestEvaluate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		pays      []Payment
		asOf      string
		status    Status
		dpd, loan int
		run       int
		remaining money.Amount
		overdue   money.Amount
		signals   []Signal
		waiverMet string
		forfeited bool
		brokenOn  string
		resetOn   string
		graceFrom string
	}{
		{name: "nothing due yet: pre-restructure DPD frozen", asOf: "2026-02-10", status: Active, loan: 45, remaining: 3000_00},
		{name: "first missed: grace from the next day", asOf: "2026-02-11", status: InGrace, dpd: 1, loan: 45, remaining: 3000_00, overdue: 1000_00, graceFrom: "2026-02-11"},
		{name: "last day of grace", asOf: "2026-02-17", status: InGrace, dpd: 7, loan: 45, remaining: 3000_00, overdue: 1000_00, graceFrom: "2026-02-11"},
		{name: "broken the day after grace", asOf: "2026-02-18", status: Broken, dpd: 8, loan: 45, remaining: 3000_00, overdue: 1000_00, brokenOn: "2026-02-18", graceFrom: "2026-02-11", forfeited: true},
		{name: "plan DPD passes the frozen DPD", asOf: "2026-04-01", status: Broken, dpd: 50, loan: 50, remaining: 3000_00, overdue: 2000_00, brokenOn: "2026-02-18", graceFrom: "2026-02-11", forfeited: true},
		{name: "paid on the due date is on time", pays: []Payment{pay(1, "2026-02-10", 1000_00)}, asOf: "2026-03-01",
			status: Active, loan: 45, run: 1, remaining: 2000_00},
		{name: "two on time: reset and waiver met on the second payment day",
			pays: []Payment{pay(1, "2026-02-09", 1000_00), pay(2, "2026-03-05", 1000_00)}, asOf: "2026-03-20",
			status: Active, run: 2, remaining: 1000_00, waiverMet: "2026-03-05", resetOn: "2026-03-05"},
		{name: "one payment ahead pays two instalments",
			pays: []Payment{pay(1, "2026-02-01", 2000_00)}, asOf: "2026-03-11",
			status: Active, run: 2, remaining: 1000_00, waiverMet: "2026-02-01", resetOn: "2026-02-01"},
		{name: "late within grace: signal, not broken, streak ends",
			pays: []Payment{pay(1, "2026-02-14", 1000_00)}, asOf: "2026-03-01",
			status: Active, loan: 45, remaining: 2000_00, signals: []Signal{{1, SignalLate, d("2026-02-14")}}},
		{name: "partial by the due date: signal the day after, in grace",
			pays: []Payment{pay(1, "2026-02-10", 400_00)}, asOf: "2026-02-12",
			status: InGrace, dpd: 2, loan: 45, remaining: 2600_00, overdue: 600_00, graceFrom: "2026-02-11",
			signals: []Signal{{1, SignalPartial, d("2026-02-11")}}},
		{name: "paid after grace: still broken",
			pays: []Payment{pay(1, "2026-02-20", 1000_00)}, asOf: "2026-03-01",
			status: Broken, loan: 45, remaining: 2000_00, brokenOn: "2026-02-18", graceFrom: "2026-02-11", forfeited: true,
			signals: []Signal{{1, SignalLate, d("2026-02-20")}}},
		{name: "completed, surplus kept",
			pays: []Payment{pay(1, "2026-02-10", 1000_00), pay(2, "2026-03-10", 1000_00), pay(3, "2026-04-01", 1000_01)}, asOf: "2026-05-01",
			status: Completed, run: 3, waiverMet: "2026-03-10", resetOn: "2026-03-10"},
		{name: "payments before the start or after as-of do not count",
			pays: []Payment{pay(1, "2026-01-09", 1000_00), pay(2, "2026-02-12", 1000_00)}, asOf: "2026-02-11",
			status: InGrace, dpd: 1, loan: 45, remaining: 3000_00, overdue: 1000_00, graceFrom: "2026-02-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := Evaluate(three(), tt.pays, d(tt.asOf))
			if st.Status != tt.status || st.DPD != tt.dpd || st.LoanDPD != tt.loan || st.OnTimeRun != tt.run {
				t.Errorf("status %s dpd %d loan dpd %d run %d, want %s %d %d %d", st.Status, st.DPD, st.LoanDPD, st.OnTimeRun, tt.status, tt.dpd, tt.loan, tt.run)
			}
			if st.Remaining != tt.remaining || st.Overdue != tt.overdue {
				t.Errorf("remaining %s overdue %s, want %s %s", st.Remaining, st.Overdue, tt.remaining, tt.overdue)
			}
			if len(st.Signals) != len(tt.signals) {
				t.Fatalf("signals %v, want %v", st.Signals, tt.signals)
			}
			for i := range tt.signals {
				if st.Signals[i] != tt.signals[i] {
					t.Errorf("signal %d = %v, want %v", i, st.Signals[i], tt.signals[i])
				}
			}
			w := st.Waivers[0]
			if w.MetOn.String() != dstr(tt.waiverMet) || w.Forfeited != tt.forfeited {
				t.Errorf("waiver met %s forfeited %v, want %q %v", w.MetOn, w.Forfeited, tt.waiverMet, tt.forfeited)
			}
			for _, c := range []struct {
				name string
				got  date.Date
				want string
			}{{"broken on", st.BrokenOn, tt.brokenOn}, {"reset on", st.ResetOn, tt.resetOn}, {"grace from", st.GraceFrom, tt.graceFrom}} {
				if c.got.String() != dstr(c.want) {
					t.Errorf("%s %s, want %q", c.name, c.got, c.want)
				}
			}
		})
	}
}

// dstr is how a zero or set date prints, for comparing with a table string.
func dstr(s string) string {
	if s == "" {
		return date.Date(0).String()
	}
	return s
}

func TestEvaluateSurplusAndCompletedOn(t *testing.T) {
	t.Parallel()
	st := Evaluate(three(), []Payment{pay(1, "2026-02-10", 1000_00), pay(2, "2026-03-10", 1000_00), pay(3, "2026-04-01", 1000_01)}, d("2026-05-01"))
	if st.Surplus != 1 || st.Paid != 3000_01 || st.CompletedOn != d("2026-04-01") {
		t.Errorf("surplus %s paid %s completed %s", st.Surplus, st.Paid, st.CompletedOn)
	}
	if got := st.LoanStatus(false); got != "paid_off" {
		t.Errorf("loan status %s", got)
	}
	pos := st.Position(7, true)
	if pos.OutstandingPrincipal != 0 || pos.Credit != 1 || pos.PaidInstallments != 3 || pos.PaidOffOn != d("2026-04-01") {
		t.Errorf("position %+v", pos)
	}
}

func TestPositionFrozenDPD(t *testing.T) {
	t.Parallel()
	st := Evaluate(three(), nil, d("2026-02-01"))
	p := st.Position(7, true)
	if p.DPD != 45 || p.OldestUnpaidDue != d("2025-12-18") || p.OutstandingPrincipal != 3000_00 || p.NextDue != d("2026-02-10") {
		t.Errorf("position %+v", p)
	}
	if o := st.Position(8, false); o.OutstandingPrincipal != 0 || o.DPD != 45 {
		t.Errorf("secondary position %+v", o)
	}
}

func TestPositionSplitsPrincipalAndPlanInterest(t *testing.T) {
	t.Parallel()
	p := three()
	p.Financed = 1000_00 // the rest of the 3000.00 is plan interest
	tests := []struct {
		name                      string
		pays                      []Payment
		asOf                      string
		outstanding, overdue, int money.Amount
	}{
		{"at activation the balance is the amount financed", nil, "2026-01-10", 1000_00, 0, 0},
		{"a third overdue", nil, "2026-02-11", 1000_00, 333_33, 666_67},
		{"a fen short: 2000.01 left is 666.67 principal, the fen overdue is interest", []Payment{pay(1, "2026-02-10", 999_99)}, "2026-02-11", 666_67, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pos := Evaluate(p, tt.pays, d(tt.asOf)).Position(1, true)
			if pos.OutstandingPrincipal != tt.outstanding || pos.OverduePrincipal != tt.overdue || pos.OverdueInterest != tt.int {
				t.Errorf("outstanding %s overdue %s + %s, want %s %s + %s", pos.OutstandingPrincipal, pos.OverduePrincipal,
					pos.OverdueInterest, tt.outstanding, tt.overdue, tt.int)
			}
		})
	}
}

func TestResetAfterALateStart(t *testing.T) {
	t.Parallel()
	p := three()
	p.Schedule = append(p.Schedule, Instalment{4, d("2026-05-10"), 1000_00})
	pays := []Payment{pay(1, "2026-02-12", 1000_00), pay(2, "2026-03-10", 1000_00), pay(3, "2026-04-09", 1000_00)}
	if st := Evaluate(p, pays[:2], d("2026-03-20")); st.LoanDPD != 45 || !st.ResetOn.IsZero() {
		t.Errorf("one on time after a late one: loan DPD %d reset %s, want the frozen 45", st.LoanDPD, st.ResetOn)
	}
	st := Evaluate(p, pays, d("2026-04-20"))
	if st.LoanDPD != 0 || st.ResetOn != d("2026-04-09") || st.OnTimeRun != 0 {
		t.Errorf("two on time after a late one: loan DPD %d reset %s run %d, want 0, 2026-04-09, 0", st.LoanDPD, st.ResetOn, st.OnTimeRun)
	}
	if st.Waivers[0].MetOn != 0 {
		t.Errorf("the conditional waiver counts from the first instalment: met %s", st.Waivers[0].MetOn)
	}
	strict := three()
	strict.Rules.ResetAfter = 3
	late := []Payment{pay(1, "2026-02-12", 3000_00)} // the first late, the others paid ahead
	if st := Evaluate(strict, late, d("2026-05-01")); st.Status != Completed || !st.ResetOn.IsZero() || st.LoanDPD != 0 {
		t.Errorf("completed without a reset: %s reset %s loan DPD %d, want completed, none, 0", st.Status, st.ResetOn, st.LoanDPD)
	}
}
