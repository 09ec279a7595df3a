package negotiation_test

import (
	"reflect"
	"testing"

	"accord/internal/date"
	"accord/internal/sqlstore"
)

// TestMonitorPlans_WritesOnlyChangedPositions: a plan with nothing new
// costs the nightly monitoring no write of its loans' positions — the
// frozen pre-restructure DPD stays, so the position stored before still
// says it — while a night that changes something (an instalment missed)
// writes the position again.
func TestMonitorPlans_WritesOnlyChangedPositions(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 40)
		_, loans, p := e.planOnCase(t, 9201)
		activated := e.today
		before := e.positions(t, loans)[loans[0]]
		if before.AsOf != activated || before.DPD != p.PreDPD || before.OldestUnpaidDue != activated.AddDays(-p.PreDPD) {
			t.Fatalf("position at activation: as of %s, DPD %d, oldest unpaid %s; want %s, the frozen %d, %s",
				before.AsOf, before.DPD, before.OldestUnpaidDue, activated, p.PreDPD, activated.AddDays(-p.PreDPD))
		}
		for _, d := range []date.Date{activated.AddDays(1), activated.AddDays(2)} {
			e.monitorTwice(t, d)
			if got := e.positions(t, loans)[loans[0]]; !reflect.DeepEqual(got, before) {
				t.Errorf("nothing new on %s, yet the position was written: %+v, before %+v", d, got.Position, before.Position)
			}
		}
		// The payment posted writes the position (as of its day); the night
		// after has nothing new. A missed instalment is new: the night
		// after its due date writes the position.
		d := p.Schedule[0].Due
		e.setDay(d)
		e.pay(t, "POS-1", loans[0], p.Schedule[0].Amount)
		e.monitorTwice(t, d.AddDays(1))
		if got := e.positions(t, loans)[loans[0]]; got.AsOf != d || got.PaidInstallments != 1 {
			t.Errorf("after a plan payment: as of %s, %d paid; want %s and 1", got.AsOf, got.PaidInstallments, d)
		}
		missed := p.Schedule[1].Due.AddDays(1)
		e.monitorTwice(t, missed)
		if got := e.positions(t, loans)[loans[0]]; got.AsOf != missed || got.OverdueInstallments != 1 {
			t.Errorf("after instalment 2 was missed: as of %s, %d overdue; want %s and 1", got.AsOf, got.OverdueInstallments, missed)
		}
	})
}
