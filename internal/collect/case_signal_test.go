package collect

import (
	"reflect"
	"testing"

	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/plan"
)

// TestPlanSignals: a loan under a plan is graded by the plan's
// instalments — those due before the date, on time when paid in full by
// their due date, the latest n kept — and its burden is the next unpaid
// plan instalment; the plan's other loans carry nothing, so the borrower's
// monthly burden is counted once.
func TestPlanSignals(t *testing.T) {
	d := date.MustParse
	in := func(seq int, due string, amount int64, paidOn string, onTime bool) plan.InstalmentState {
		s := plan.InstalmentState{Instalment: plan.Instalment{Seq: seq, Due: d(due), Amount: money.Amount(amount)}, OnTime: onTime}
		if paidOn != "" {
			s.PaidOn = d(paidOn)
		}
		return s
	}
	st := plan.State{Instalments: []plan.InstalmentState{
		in(1, "2026-01-10", 50000, "2026-01-10", true),
		in(2, "2026-02-10", 50000, "2026-02-13", false), // late
		in(3, "2026-03-10", 50000, "2026-03-01", true),  // paid ahead
		in(4, "2026-04-10", 60000, "", false),           // due on the date: not yet in the history
		in(5, "2026-05-10", 60000, "", false),
	}}
	ps := PlanState{LoanIDs: []int64{7, 3}, State: st}
	tests := []struct {
		asOf string
		n    int
		want loanSignal
	}{
		{"2026-04-10", 6, loanSignal{monthly: 60000, due: []dueMark{{d("2026-01-10"), true}, {d("2026-02-10"), false}, {d("2026-03-10"), true}}}},
		{"2026-04-10", 2, loanSignal{monthly: 60000, due: []dueMark{{d("2026-02-10"), false}, {d("2026-03-10"), true}}}},
		{"2026-04-11", 6, loanSignal{monthly: 60000, due: []dueMark{{d("2026-01-10"), true}, {d("2026-02-10"), false},
			{d("2026-03-10"), true}, {d("2026-04-10"), false}}}},
	}
	for _, tt := range tests {
		got := planSignals(ps, d(tt.asOf), tt.n)
		if !reflect.DeepEqual(got[7], tt.want) {
			t.Errorf("as of %s, n %d: primary loan %+v, want %+v", tt.asOf, tt.n, got[7], tt.want)
		}
		if s, ok := got[3]; !ok || s.monthly != 0 || len(s.due) != 0 {
			t.Errorf("as of %s: second loan %+v (present %v), want an empty signal", tt.asOf, s, ok)
		}
	}
	fresh := plan.State{Instalments: []plan.InstalmentState{in(1, "2026-01-10", 50000, "", false), in(2, "2026-02-10", 60000, "", false)}}
	if got := planSignals(PlanState{LoanIDs: []int64{7}, State: fresh}, d("2026-01-05"), 6)[7]; got.monthly != 50000 || len(got.due) != 0 {
		t.Errorf("a plan with nothing due yet: %+v, want the first instalment's burden and no history", got)
	}
	done := plan.State{Instalments: []plan.InstalmentState{in(1, "2026-01-10", 50000, "2026-01-09", true)}}
	if got := planSignals(PlanState{LoanIDs: []int64{7}, State: done}, d("2026-02-01"), 6)[7]; got.monthly != 0 || len(got.due) != 1 {
		t.Errorf("a plan paid in full: %+v, want no burden and one on-time mark", got)
	}
}
