package demo

import (
	"testing"

	"accord/internal/date"
	"accord/internal/money"
)

func TestBehaviour_Respond(t *testing.T) {
	t.Parallel()
	trouble := date.MustParse("2026-01-01")
	owed := State{DPD: 45, Overdue: money.Yuan(1200)}
	tests := []struct {
		name              string
		b                 Behaviour
		answer, keep, pay [2]float64 // least and most share of days
	}{
		{"AlwaysOnTime", Behaviour{Kind: AlwaysOnTime, Seed: 1}, [2]float64{0.8, 0.9}, [2]float64{0.95, 1}, [2]float64{0.45, 0.55}},
		{"OccasionallyLate", Behaviour{Kind: OccasionallyLate, Seed: 2}, [2]float64{0.4, 0.7}, [2]float64{0.75, 0.85}, [2]float64{0.03, 0.12}},
		{"HardshipPartial", Behaviour{Kind: Hardship, Seed: 3, TroubleOn: trouble, Partial: true}, [2]float64{0.3, 0.6}, [2]float64{0.45, 0.55}, [2]float64{0.01, 0.05}},
		{"Strategic", Behaviour{Kind: StrategicDefaulter, Seed: 4, TroubleOn: trouble}, [2]float64{0.05, 0.25}, [2]float64{0.02, 0.08}, [2]float64{0, 0}},
		{"Unreachable", Behaviour{Kind: Unreachable, Seed: 5, TroubleOn: trouble}, [2]float64{0, 0}, [2]float64{0, 0}, [2]float64{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const days = 4000
			var answer, keep, pay float64
			for d := range days {
				day := trouble.AddDays(d)
				r := tt.b.Respond(day, owed)
				if r != tt.b.Respond(day, owed) {
					t.Fatalf("Respond(%s) is not deterministic", day)
				}
				if (r.Pays || r.KeepsPromise) && (r.Amount <= 0 || r.Amount > owed.Overdue) {
					t.Fatalf("Respond(%s) pays %s of %s", day, r.Amount, owed.Overdue)
				}
				answer += b2f(r.AnswersCall) / days
				keep += b2f(r.KeepsPromise) / days
				pay += b2f(r.Pays) / days
			}
			for _, c := range []struct {
				what  string
				got   float64
				limit [2]float64
			}{{"answers", answer, tt.answer}, {"keeps promises", keep, tt.keep}, {"pays", pay, tt.pay}} {
				if c.got < c.limit[0] || c.got > c.limit[1] {
					t.Errorf("%s on %.3f of days, want %.2f–%.2f", c.what, c.got, c.limit[0], c.limit[1])
				}
			}
		})
	}
}

func TestBehaviour_RespondNothingOwed(t *testing.T) {
	t.Parallel()
	b := Behaviour{Kind: AlwaysOnTime, Seed: 9}
	for d := range 100 {
		if r := b.Respond(asOf.AddDays(d), State{}); r.Pays || r.KeepsPromise || r.Amount != 0 {
			t.Fatalf("Respond with nothing owed = %+v", r)
		}
	}
}

func TestBehaviour_BeforeTrouble(t *testing.T) {
	t.Parallel()
	b := Behaviour{Kind: StrategicDefaulter, Seed: 4, TroubleOn: asOf}
	answered := 0
	for d := range 200 {
		if b.Respond(asOf.AddDays(-1-d), State{DPD: 3, Overdue: money.Yuan(100)}).AnswersCall {
			answered++
		}
	}
	if answered < 100 {
		t.Errorf("answered %d of 200 calls before trouble, want a good-standing borrower's share", answered)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
