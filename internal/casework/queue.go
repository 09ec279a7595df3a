package casework

import (
	"cmp"
	"slices"

	"accord/internal/money"
)

// Scored is a case with its expected value, for a work queue. The factors
// behind one case's value come from ExpectedValue.
type Scored struct {
	CaseID  int64        `json:"case_id"`
	EV      money.Amount `json:"ev"`
	Balance money.Amount `json:"balance"`
}

// Queue scores cases under m and orders them for working: highest expected
// value first, then larger balance, then lower case id. "Get next case" is
// the first case of the collector's queue.
func (m EVModel) Queue(cases []EVFacts) []Scored {
	out := make([]Scored, len(cases))
	for i, f := range cases {
		out[i] = Scored{CaseID: f.CaseID, EV: f.Balance.Mul(m.chance(m.factors(f))), Balance: f.Balance}
	}
	slices.SortFunc(out, func(a, b Scored) int {
		if c := cmp.Compare(b.EV, a.EV); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Balance, a.Balance); c != 0 {
			return c
		}
		return cmp.Compare(a.CaseID, b.CaseID)
	})
	return out
}
