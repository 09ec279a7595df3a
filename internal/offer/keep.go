package offer

import (
	"math"

	"accord/internal/money"
)

// History is what the case's record says about the borrower's word and
// payments, counted by the caller over its look-back window (the same
// counts as the segment's signals).
type History struct {
	InstallmentsDue         int `json:"installments_due"`          // installments due in the window
	InstallmentsOnTime      int `json:"installments_on_time"`      // of those, paid in full by the due date
	PaymentsWhileDelinquent int `json:"payments_while_delinquent"` // payments made since falling behind
	PromisesKept            int `json:"promises_kept"`
	PromisesBroken          int `json:"promises_broken"` // partly kept counts as broken
	PlansBroken             int `json:"plans_broken"`    // earlier negotiated plans that failed
}

// KeepFacts are what a KeepModel sees of one offer on one case.
type KeepFacts struct {
	Segment     string
	History     History
	Willingness string // the borrower's stated willingness (Assessment.Willingness)
	Kind        Kind
	Payments    int          // number of payments in the schedule
	Burden      float64      // largest payment ÷ sustainable payment (the first less liquid assets); +Inf without a sustainable payment
	MaxPayment  money.Amount // the largest payment of the schedule (the plan model reads it over income)
	Incentive   bool         // a conditional waiver rewards keeping the plan
}

// KeepModel estimates the chance that a borrower keeps an offer's plan to
// the end. It is the seam where an approved plan model (internal/scoring,
// target plan90) replaces DefaultKeep; see negotiation.KeepSource.
type KeepModel interface {
	PKept(KeepFacts) float64
}

// KeepFunc adapts a function to KeepModel.
type KeepFunc func(KeepFacts) float64

// PKept calls f.
func (f KeepFunc) PKept(k KeepFacts) float64 { return f(k) }

// DefaultKeep is the documented default chance-kept model, a logistic score
// until the scoring work replaces it:
//
//	z = segment base (willing_able 1.4, willing_unable 0.6, unwilling_able −0.6,
//	    unwilling_unable −1.2, unknown 0)
//	  + 0.25 × (promises kept − broken), within ±1
//	  + 1.0 × (installments on time ÷ due − 0.5)          when any were due
//	  + 0.3 if the borrower paid something while delinquent
//	  − 0.5 × plans broken, at most −1
//	  + stated willingness: willing 0.3, hesitant −0.2, unwilling −0.8
//	  + 0.2 if burden ≤ 0.5;  − 2.5 × (burden − 0.7) if burden > 0.7 (capped at 3 below)
//	  − 0.04 × (payments − 6) if more than 6 payments
//	  + 0.25 with a conditional-waiver incentive
//	p_kept = 1 ÷ (1 + e^(−z)), within 0.01 … 0.99
//
// Options rounds the result to 4 places.
type DefaultKeep struct{}

var segmentBase = map[string]float64{"willing_able": 1.4, "willing_unable": 0.6, "unwilling_able": -0.6, "unwilling_unable": -1.2}

// PKept implements KeepModel.
func (DefaultKeep) PKept(f KeepFacts) float64 {
	z := segmentBase[f.Segment]
	h := f.History
	z += math.Max(-1, math.Min(1, 0.25*float64(h.PromisesKept-h.PromisesBroken)))
	if h.InstallmentsDue > 0 {
		z += float64(min(h.InstallmentsOnTime, h.InstallmentsDue))/float64(h.InstallmentsDue) - 0.5
	}
	if h.PaymentsWhileDelinquent > 0 {
		z += 0.3
	}
	z -= math.Min(1, 0.5*float64(h.PlansBroken))
	switch f.Willingness {
	case Willing:
		z += 0.3
	case Hesitant:
		z -= 0.2
	case Unwilling:
		z -= 0.8
	}
	switch b := f.Burden; {
	case b <= 0.5:
		z += 0.2
	case b > 0.7:
		z -= math.Min(3, 2.5*(b-0.7))
	}
	if f.Payments > 6 {
		z -= 0.04 * float64(f.Payments-6)
	}
	if f.Incentive {
		z += 0.25
	}
	p := 1 / (1 + math.Exp(-z))
	return math.Max(0.01, math.Min(0.99, p))
}
