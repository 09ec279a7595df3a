package classify

// Reason is one signal behind a tier or a segment: which signal, the value it
// had, the points it earned (0 where there are no points, as for tiers) and a
// sentence in Chinese and in English that a collector can read to the
// supervisor or the borrower.
type Reason struct {
	Axis   string `json:"axis,omitempty"` // willingness, ability, tier
	Signal string `json:"signal"`
	Value  string `json:"value"`
	Points int    `json:"points"`
	ZH     string `json:"zh"`
	EN     string `json:"en"`
}

// The axes a Reason can belong to.
const (
	AxisWillingness = "willingness"
	AxisAbility     = "ability"
	AxisTier        = "tier"
)
