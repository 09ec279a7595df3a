package visit

import (
	"math"

	"github.com/govalues/decimal"

	"accord/internal/money"
)

// Economics is what a visit is expected to bring in and to cost, for the
// supervisor's approval list.
type Economics struct {
	Overdue       money.Amount    `json:"overdue"`
	RecoveryRate  decimal.Decimal `json:"recovery_rate"`
	ExpectedValue money.Amount    `json:"expected_value"` // Overdue × RecoveryRate
	RoadKm        decimal.Decimal `json:"road_km"`        // there and back, to the metre
	Cost          money.Amount    `json:"cost"`           // CostPerVisit + CostPerKm × RoadKm
	Net           money.Amount    `json:"net"`            // ExpectedValue − Cost
}

// Estimate returns the economics of visiting a borrower with overdue
// arrears whose address is oneWayKm by road from the pair's base (see
// route.RoadKm). rate is the expected share recovered (from a score, say);
// zero means the policy's RecoveryRate. The distance is rounded to the
// metre, and each product half-up to the fen.
func Estimate(overdue money.Amount, rate decimal.Decimal, oneWayKm float64, p Policy) Economics {
	if rate.IsZero() {
		rate = p.RecoveryRate
	}
	km := decimal.Zero
	if oneWayKm > 0 && !math.IsInf(oneWayKm, 0) {
		if d, err := decimal.NewFromFloat64(2 * oneWayKm); err == nil {
			km = d.Round(3)
		}
	}
	e := Economics{Overdue: overdue, RecoveryRate: rate, ExpectedValue: overdue.Mul(rate), RoadKm: km}
	e.Cost = p.CostPerVisit + p.CostPerKm.Mul(km)
	e.Net = e.ExpectedValue - e.Cost
	return e
}
