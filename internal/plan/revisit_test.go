package plan

import (
	"math/rand/v2"
	"testing"

	"accord/internal/money"
)

func TestRevisitDue(t *testing.T) {
	t.Parallel()
	p := three()
	p.Schedule = append(p.Schedule, Instalment{4, d("2026-05-10"), 1000_00}, Instalment{5, d("2026-06-10"), 1000_00},
		Instalment{6, d("2026-07-10"), 1000_00}, Instalment{7, d("2026-08-10"), 1000_00})
	onTime := []Payment{pay(1, "2026-02-10", 1000_00), pay(2, "2026-03-10", 1000_00), pay(3, "2026-04-10", 1000_00)}
	late := []Payment{pay(1, "2026-02-12", 1000_00), pay(2, "2026-03-10", 1000_00), pay(3, "2026-04-10", 1000_00)}
	tests := []struct {
		name string
		pays []Payment
		last string
		asOf string
		want string // "" for none due
	}{
		{"a late payer: three months after the start", late, "", "2026-04-10", "2026-04-10"},
		{"not yet", late, "", "2026-04-09", ""},
		{"a good payer: six months", onTime, "", "2026-04-10", ""},
		{"a good payer at six months", append(onTime, pay(4, "2026-05-10", 1000_00), pay(5, "2026-06-10", 1000_00), pay(6, "2026-07-10", 1000_00)), "", "2026-07-10", "2026-07-10"},
		{"after the last revisit", onTime, "2026-04-10", "2026-07-10", ""},
		{"broken: none", nil, "", "2026-05-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var last = d("2000-01-01")
			if tt.last == "" {
				last = 0
			} else {
				last = d(tt.last)
			}
			st := Evaluate(p, tt.pays, d(tt.asOf))
			got, ok := RevisitDue(p, st, last)
			if tt.want == "" {
				if ok {
					t.Errorf("revisit due %s, want none", got)
				}
				return
			}
			if !ok || got != d(tt.want) {
				t.Errorf("revisit %s %v, want %s", got, ok, tt.want)
			}
		})
	}
}

// TestEvaluateProperties checks, over random payments, that what is applied
// to the schedule plus what is left equals the schedule, that a plan is
// completed exactly when nothing remains (of the schedule, or forfeited beside it), that instalments are paid in
// order, and that the plan's DPD never exceeds the loan's.
func TestEvaluateProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	p := three()
	for range 3000 {
		var pays []Payment
		for k := range rng.IntN(6) {
			pays = append(pays, Payment{ID: int64(k + 1), On: p.Start.AddDays(rng.IntN(120)), Amount: money.Amount(rng.Int64N(1500_00))})
		}
		asOf := p.Start.AddDays(rng.IntN(130))
		st := Evaluate(p, pays, asOf)
		var applied money.Amount
		for i, s := range st.Instalments {
			applied += s.Paid
			if i > 0 && s.Paid > 0 && st.Instalments[i-1].PaidOn.IsZero() {
				t.Fatalf("instalment %d paid before %d: %+v", s.Seq, i, st.Instalments)
			}
			if s.PaidByDue > s.Paid {
				t.Fatalf("paid by due %s > paid %s", s.PaidByDue, s.Paid)
			}
		}
		if applied+st.Surplus != st.Paid || applied+st.Remaining != p.Total() {
			t.Fatalf("applied %s surplus %s paid %s remaining %s", applied, st.Surplus, st.Paid, st.Remaining)
		}
		r, f, _ := st.Beside()
		if (st.Status == Completed) != (st.Remaining == 0 && r == 0 && f.Total() == 0) {
			t.Fatalf("status %s remaining %s, owed beside %s + %s", st.Status, st.Remaining, r, f.Total())
		}
		if st.LoanDPD < st.DPD || st.Overdue > st.Remaining {
			t.Fatalf("loan dpd %d plan dpd %d overdue %s", st.LoanDPD, st.DPD, st.Overdue)
		}
	}
}
