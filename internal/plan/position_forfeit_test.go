package plan

import (
	"testing"

	"accord/internal/money"
	"accord/internal/offer"
)

// TestPosition_ForfeitedWaiverOwed: a waiver parked on a plan is not owed
// while the plan runs; once the plan breaks before its condition is met
// the waiver's amounts are owed again (penalty due here), and payments
// beyond the whole schedule pay them before any credit is kept.
func TestPosition_ForfeitedWaiverOwed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pays    []Payment
		asOf    string
		penalty money.Amount
		credit  money.Amount
	}{
		{name: "running: parked, not owed", asOf: "2026-02-17"},
		{name: "broken: forfeited, owed", asOf: "2026-02-18", penalty: 150_00},
		{name: "met before it could break: never owed", pays: []Payment{pay(1, "2026-02-10", 1000_00), pay(2, "2026-03-10", 1000_00)},
			asOf: "2026-05-01"},
		{name: "schedule paid after the break: penalty still owed", pays: []Payment{pay(1, "2026-03-01", 3000_00)},
			asOf: "2026-03-02", penalty: 150_00},
		{name: "surplus pays the forfeited penalty first", pays: []Payment{pay(1, "2026-03-01", 3100_00)},
			asOf: "2026-03-02", penalty: 50_00},
		{name: "surplus beyond it is credit", pays: []Payment{pay(1, "2026-03-01", 3200_00)},
			asOf: "2026-03-02", credit: 50_00},
	}
	for _, tt := range tests {
		st := Evaluate(three(), tt.pays, d(tt.asOf))
		p := st.Position(9, true)
		if p.PenaltyDue != tt.penalty || p.Credit != tt.credit || p.FeesDue != 0 {
			t.Errorf("%s: penalty due %s credit %s fees %s, want %s, %s, 0", tt.name, p.PenaltyDue, p.Credit, p.FeesDue, tt.penalty, tt.credit)
		}
		if other := st.Position(10, false); other.PenaltyDue != 0 || other.Credit != 0 {
			t.Errorf("%s: a second loan of the plan carries %s penalty, %s credit", tt.name, other.PenaltyDue, other.Credit)
		}
		if _, f, _ := st.Beside(); f != (offer.Components{Penalty: tt.penalty}) {
			t.Errorf("%s: forfeited %+v", tt.name, f)
		}
	}
}

// TestEvaluate_Reinstated: a payment the plan's debt counted and reversed
// since (a negative plan payment) is owed beside the schedule, as
// outstanding principal (not overdue: no plan DPD, no grace); the surplus pays
// it first, and the plan is completed only on the day it is paid too.
func TestEvaluate_Reinstated(t *testing.T) {
	t.Parallel()
	back := Payment{ID: 1, On: d("2026-01-10"), Amount: -200_00}
	st := Evaluate(three(), []Payment{back, pay(2, "2026-02-10", 1000_00)}, d("2026-02-20"))
	if p := st.Position(9, true); st.Status != Active || st.Reinstated != 200_00 || p.OutstandingPrincipal != 2000_00+200_00 ||
		p.OverduePrincipal != 0 || p.DPD != 45 || st.DPD != 0 {
		t.Errorf("one instalment paid: %s reinstated %s, position principal %s overdue %s DPD %d", st.Status, st.Reinstated,
			p.OutstandingPrincipal, p.OverduePrincipal, p.DPD)
	}
	st = Evaluate(three(), []Payment{back, pay(2, "2026-02-10", 3100_00)}, d("2026-03-01"))
	if p := st.Position(9, true); st.Status != Active || p.OutstandingPrincipal != 100_00 || p.Credit != 0 {
		t.Errorf("schedule paid, 100.00 of the 200.00: %s, principal %s credit %s", st.Status, p.OutstandingPrincipal, p.Credit)
	}
	st = Evaluate(three(), []Payment{back, pay(2, "2026-02-10", 3100_00), pay(3, "2026-03-05", 150_00)}, d("2026-03-10"))
	if p := st.Position(9, true); st.Status != Completed || st.CompletedOn != d("2026-03-05") || p.OutstandingPrincipal != 0 || p.Credit != 50_00 {
		t.Errorf("all paid: %s on %s, principal %s credit %s; want completed on 2026-03-05, 0, 50.00", st.Status, st.CompletedOn,
			p.OutstandingPrincipal, p.Credit)
	}
}
