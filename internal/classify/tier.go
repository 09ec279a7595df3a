package classify

import (
	"fmt"

	"accord/internal/errs"
	"accord/internal/money"
)

// Tier is a risk tier: low, medium or high.
type Tier string

// The tiers.
const (
	Low    Tier = "low"
	Medium Tier = "medium"
	High   Tier = "high"
)

// TierMatrix grades a borrower by DPD band × overdue-amount band.
//
// DPDUpTo holds the inclusive upper bounds of every DPD band but the last,
// which is open: [30, 90] makes the bands ≤30, 31–90 and >90. AmountBelow
// holds the exclusive upper bounds of every amount band but the last, in fen:
// [2000_00, 20000_00] makes the bands <2,000, 2,000 to under 20,000 and
// ≥20,000 yuan. Tiers[d][a] is the tier of DPD band d and amount band a.
//
// Its JSON form:
//
//	{"dpd_up_to":[30,90],"amount_below":["2000.00","20000.00"],
//	 "tiers":[["low","low","medium"],["medium","medium","high"],["medium","high","high"]]}
type TierMatrix struct {
	DPDUpTo     []int          `json:"dpd_up_to"`
	AmountBelow []money.Amount `json:"amount_below"`
	Tiers       [][]Tier       `json:"tiers"`
}

// DefaultTierMatrix returns DPD bands ≤30 / 31–90 / >90 × amount bands
// <2,000 / 2,000–20,000 / ≥20,000 yuan:
//
//	          <2k     2k–20k   ≥20k
//	≤30       low     low      medium
//	31–90     medium  medium   high
//	>90       medium  high     high
func DefaultTierMatrix() TierMatrix {
	return TierMatrix{
		DPDUpTo:     []int{30, 90},
		AmountBelow: []money.Amount{money.Yuan(2000), money.Yuan(20000)},
		Tiers: [][]Tier{
			{Low, Low, Medium},
			{Medium, Medium, High},
			{Medium, High, High},
		},
	}
}

// Validate checks that the bounds are positive and strictly ascending and
// that Tiers has one row per DPD band and one known tier per amount band. It
// returns an Invalid error listing every fault.
func (m TierMatrix) Validate() error {
	var fe []errs.FieldError
	add := func(field, format string, args ...any) {
		fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i, v := range m.DPDUpTo {
		if v < 0 || (i > 0 && v <= m.DPDUpTo[i-1]) {
			add(fmt.Sprintf("dpd_up_to[%d]", i), "%d must be ≥ 0 and above the previous bound", v)
		}
	}
	for i, v := range m.AmountBelow {
		if v <= 0 || (i > 0 && v <= m.AmountBelow[i-1]) {
			add(fmt.Sprintf("amount_below[%d]", i), "%s must be positive and above the previous bound", v)
		}
	}
	if len(m.Tiers) != len(m.DPDUpTo)+1 {
		add("tiers", "has %d rows; %d DPD bands need %d", len(m.Tiers), len(m.DPDUpTo)+1, len(m.DPDUpTo)+1)
	}
	for d, row := range m.Tiers {
		if len(row) != len(m.AmountBelow)+1 {
			add(fmt.Sprintf("tiers[%d]", d), "has %d cells; %d amount bands need %d", len(row), len(m.AmountBelow)+1, len(m.AmountBelow)+1)
		}
		for a, t := range row {
			if t != Low && t != Medium && t != High {
				add(fmt.Sprintf("tiers[%d][%d]", d, a), "%q is not low, medium or high", t)
			}
		}
	}
	if len(fe) > 0 {
		return errs.Fields("Risk tier matrix is invalid.", fe...)
	}
	return nil
}

// Tier returns the tier of a borrower dpd days past due with overdue
// outstanding, and three reasons: the DPD band, the amount band and the cell
// they select. m must be valid.
func (m TierMatrix) Tier(dpd int, overdue money.Amount) (Tier, []Reason) {
	d := len(m.DPDUpTo)
	for i, up := range m.DPDUpTo {
		if dpd <= up {
			d = i
			break
		}
	}
	a := len(m.AmountBelow)
	for i, below := range m.AmountBelow {
		if overdue < below {
			a = i
			break
		}
	}
	t := m.Tiers[d][a]
	dz, de := m.dpdBand(d)
	az, ae := m.amountBand(a)
	return t, []Reason{
		{Axis: AxisTier, Signal: "dpd", Value: fmt.Sprint(dpd),
			ZH: fmt.Sprintf("逾期%d天，属于%s档", dpd, dz), EN: fmt.Sprintf("%d days past due, in the %s band", dpd, de)},
		{Axis: AxisTier, Signal: "overdue_amount", Value: overdue.Grouped(),
			ZH: fmt.Sprintf("逾期金额%s元，属于%s档", overdue.Grouped(), az), EN: fmt.Sprintf("%s yuan overdue, in the %s band", overdue.Grouped(), ae)},
		{Axis: AxisTier, Signal: "tier", Value: string(t),
			ZH: fmt.Sprintf("%s × %s → %s风险", dz, az, tierZH[t]), EN: fmt.Sprintf("%s × %s → %s risk", de, ae, t)},
	}
}

var tierZH = map[Tier]string{Low: "低", Medium: "中", High: "高"}

// dpdBand names DPD band d in Chinese and English: "≤30天", "31–90 days", ">90天".
func (m TierMatrix) dpdBand(d int) (string, string) {
	switch {
	case len(m.DPDUpTo) == 0:
		return "全部天数", "any DPD"
	case d == 0:
		return fmt.Sprintf("≤%d天", m.DPDUpTo[0]), fmt.Sprintf("≤%d days", m.DPDUpTo[0])
	case d == len(m.DPDUpTo):
		return fmt.Sprintf(">%d天", m.DPDUpTo[d-1]), fmt.Sprintf(">%d days", m.DPDUpTo[d-1])
	}
	lo, hi := m.DPDUpTo[d-1]+1, m.DPDUpTo[d]
	return fmt.Sprintf("%d–%d天", lo, hi), fmt.Sprintf("%d–%d days", lo, hi)
}

// amountBand names amount band a: "<2,000.00元", "2,000.00至20,000.00元（不含）", "≥20,000.00元".
func (m TierMatrix) amountBand(a int) (string, string) {
	switch {
	case len(m.AmountBelow) == 0:
		return "全部金额", "any amount"
	case a == 0:
		return fmt.Sprintf("<%s元", m.AmountBelow[0].Grouped()), fmt.Sprintf("<%s yuan", m.AmountBelow[0].Grouped())
	case a == len(m.AmountBelow):
		return fmt.Sprintf("≥%s元", m.AmountBelow[a-1].Grouped()), fmt.Sprintf("≥%s yuan", m.AmountBelow[a-1].Grouped())
	}
	lo, hi := m.AmountBelow[a-1].Grouped(), m.AmountBelow[a].Grouped()
	return fmt.Sprintf("%s至%s元（不含）", lo, hi), fmt.Sprintf("%s to under %s yuan", lo, hi)
}
