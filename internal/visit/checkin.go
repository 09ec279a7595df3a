package visit

import (
	"accord/internal/borrower"
	"accord/internal/route"
)

// CheckIn is where a pair checked in for a visit, compared with the
// address.
type CheckIn struct {
	DistanceM float64 `json:"distance_m"` // straight-line distance from the address, in metres
	Flagged   bool    `json:"flagged"`    // farther than the policy allows: the supervisor reviews it
}

// CheckInAt measures the check-in at (from the phone's location) against
// the address: the great-circle distance (haversine) in metres, flagged
// when above p.CheckInRadiusM.
func CheckInAt(addr borrower.Address, at route.Point, p Policy) CheckIn {
	d := route.Haversine(route.Point{Lat: addr.Lat, Lon: addr.Lon}, at) * 1000
	return CheckIn{DistanceM: d, Flagged: d > p.CheckInRadiusM}
}
