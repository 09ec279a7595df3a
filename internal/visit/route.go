package visit

import (
	"time"

	"accord/internal/borrower"
	"accord/internal/route"
)

// RouteVisit returns visit id as the day's planner takes it: at the
// address's coordinates, starting inside slot s, lasting d, worth the
// expected value of e (the planner itself minimises travel, so the cost is
// not deducted twice).
func RouteVisit(id string, addr borrower.Address, s Slot, d time.Duration, e Economics) route.Visit {
	w := s.Window()
	return route.Visit{
		ID: id, At: route.Point{Lat: addr.Lat, Lon: addr.Lon}, Duration: route.Clock(d / time.Second),
		Window: &w, Value: int64(max(e.ExpectedValue, 0)), Region: addr.Region,
	}
}
