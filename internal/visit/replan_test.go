package visit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/calendar"
	"accord/internal/date"
	"accord/internal/money"
	"accord/internal/route"
	"accord/internal/visit"
)

// A pair's day built from scheduled visits, then re-planned when visits
// are cancelled during the day: the rest keep to their slots and the
// cancelled ones are not visited.
func TestReplan_keepsSlots(t *testing.T) {
	t.Parallel()
	p := visit.DefaultPolicy()
	on := date.MustParse("2026-03-10")
	base := route.Point{Lat: 31.23, Lon: 121.47}
	prefs := []*visit.Preference{
		nil,
		{From: clock("10:00"), Until: clock("11:30")},
		{From: clock("14:00"), Until: clock("16:00")},
		nil,
		{From: clock("09:00"), Until: clock("10:30")},
	}
	d := route.Day{Start: base, From: 9 * 3600, Until: 18 * 3600, SpeedKmh: 30}
	slots := map[string]visit.Slot{}
	for i, pref := range prefs {
		addr := borrower.Address{Line: fmt.Sprintf("地址 %d", i), Lat: 31.23 + 0.02*float64(i%3), Lon: 121.44 + 0.02*float64(i)}
		s, err := visit.Schedule(on, visit.SlotRequest{Duration: 45 * time.Minute, Preference: pref}, calendar.Default(), p)
		if err != nil {
			t.Fatal(err)
		}
		e := visit.Estimate(money.Yuan(int64(2000+i*500)), decimal.Zero, route.RoadKm(base, route.Point{Lat: addr.Lat, Lon: addr.Lon}), p)
		id := fmt.Sprintf("v%d", i)
		slots[id] = s
		d.Visits = append(d.Visits, visit.RouteVisit(id, addr, s, 45*time.Minute, e))
	}
	first := d.Plan()
	if len(first.Stops) != len(prefs) {
		t.Fatalf("planned %d of %d visits", len(first.Stops), len(prefs))
	}
	tests := []struct {
		name   string
		done   int   // stops of the first plan made before the change
		cancel []int // stops of the first plan cancelled
	}{
		{"cancelled before setting out", 0, []int{2}},
		{"cancelled after the first visit", 1, []int{1}},
		{"two cancelled mid-day", 2, []int{2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			at, now := base, d.From
			var done []string
			for _, s := range first.Stops[:tt.done] {
				done = append(done, s.ID)
				for _, v := range d.Visits {
					if v.ID == s.ID {
						at = v.At
					}
				}
				now = s.Leave
			}
			var cancelled []string
			for _, i := range tt.cancel {
				cancelled = append(cancelled, first.Stops[i].ID)
			}
			r := d.Replan(at, now, done, cancelled)
			if want := len(prefs) - tt.done; len(r.Stops)+len(r.LeftOut) != want {
				t.Fatalf("%d stops and %d left out, want %d visits accounted for", len(r.Stops), len(r.LeftOut), want)
			}
			for _, s := range r.Stops {
				for _, c := range append(done, cancelled...) {
					if s.ID == c {
						t.Fatalf("visit %s planned again", c)
					}
				}
				sl := slots[s.ID]
				if s.Start < route.Clock(sl.From) || s.Start > route.Clock(sl.Until) || s.Arrive < now {
					t.Fatalf("stop %s at %v outside its slot %s–%s or before now", s.ID, s.Start, sl.From, sl.Until)
				}
			}
			if len(r.Stops) != len(prefs)-tt.done-len(cancelled) {
				t.Fatalf("stops %v: a cancellation frees time, the rest still fits", r.Stops)
			}
		})
	}
}
