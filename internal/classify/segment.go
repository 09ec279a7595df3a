package classify

import (
	"fmt"

	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/money"
)

// Segment is a willingness × ability segment.
type Segment string

// The segments.
const (
	WillingAble     Segment = "willing_able"     // wants to and can: a reminder usually does it
	WillingUnable   Segment = "willing_unable"   // wants to, cannot: talk about a plan (二次协商)
	UnwillingAble   Segment = "unwilling_able"   // can, will not: firm, factual follow-up
	UnwillingUnable Segment = "unwilling_unable" // neither: keep contact, look for change
)

// Segments lists the segments in display order.
var Segments = []Segment{WillingAble, WillingUnable, UnwillingAble, UnwillingUnable}

// Hardship kinds a borrower can declare.
const (
	HardshipJobLoss = "job_loss"
	HardshipIllness = "illness"
	HardshipOther   = "other"
)

// Signals are the facts the segment is computed from. The caller counts them
// over its look-back window (by default the last 6 installments and the last
// 30 days of contact attempts).
type Signals struct {
	InstallmentsDue         int          `json:"installments_due"`          // installments due in the window
	InstallmentsOnTime      int          `json:"installments_on_time"`      // of those, paid in full by the due date
	PaymentsWhileDelinquent int          `json:"payments_while_delinquent"` // payments made since falling behind
	PromisesKept            int          `json:"promises_kept"`
	PromisesBroken          int          `json:"promises_broken"`
	Attempts                int          `json:"attempts"`                // contact attempts in the window
	Connected               int          `json:"connected"`               // of those, connected or answered
	LastConnected           date.Date    `json:"last_connected,omitzero"` // zero: never
	MonthlyDue              money.Amount `json:"monthly_due"`             // all the borrower's installments in a month
	MonthlyIncome           money.Amount `json:"monthly_income"`          // declared; 0 when unknown
	Hardship                string       `json:"hardship,omitempty"`      // job_loss, illness, other; "" for none
}

// SegmentModel holds the thresholds and points of the segment score. Ratios
// are whole percentages so that boundaries are exact. A signal that does not
// apply (no installments due yet, fewer than MinAttempts attempts, income not
// declared) scores 0 and says so in its reason.
type SegmentModel struct {
	// Willingness (还款意愿).
	OnTimeGoodPct             int `json:"on_time_good_pct"`    // on-time ratio ≥ this …
	OnTimeGoodPoints          int `json:"on_time_good_points"` // … earns this
	OnTimePoorPct             int `json:"on_time_poor_pct"`    // on-time ratio < this …
	OnTimePoorPoints          int `json:"on_time_poor_points"` // … earns this
	PaidWhileDelinquentPoints int `json:"paid_while_delinquent_points"`
	PromiseKeptPoints         int `json:"promise_kept_points"`   // per promise kept
	PromiseBrokenPoints       int `json:"promise_broken_points"` // per promise broken
	PromiseCap                int `json:"promise_cap"`           // promises counted at most, each way
	MinAttempts               int `json:"min_attempts"`          // contact signals need this many attempts
	ConnectGoodPct            int `json:"connect_good_pct"`
	ConnectGoodPoints         int `json:"connect_good_points"`
	ConnectPoorPct            int `json:"connect_poor_pct"`
	ConnectPoorPoints         int `json:"connect_poor_points"`
	StaleContactDays          int `json:"stale_contact_days"` // no connected contact for more days than this …
	StaleContactPoints        int `json:"stale_contact_points"`
	WillingAtLeast            int `json:"willing_at_least"` // willingness score ≥ this is willing

	// Ability (还款能力).
	DTIGoodPct     int `json:"dti_good_pct"` // monthly due ≤ this % of income …
	DTIGoodPoints  int `json:"dti_good_points"`
	DTIPoorPct     int `json:"dti_poor_pct"` // monthly due > this % of income …
	DTIPoorPoints  int `json:"dti_poor_points"`
	HardshipPoints int `json:"hardship_points"`
	AbleAtLeast    int `json:"able_at_least"` // ability score ≥ this is able
}

// DefaultSegmentModel returns the default points. A borrower we know nothing
// about scores 0 on both axes and is willing_able: the benefit of the doubt.
//
//	willingness: on time ≥80% +2, <50% −2; paid while delinquent +2;
//	             promise kept +1, broken −2 (3 counted each way);
//	             with ≥3 attempts: connected ≥50% +1, <20% −1,
//	             no connected contact for >30 days −1; willing at ≥ 0
//	ability:     installment ≤30% of income +1, >60% −2; hardship −3; able at ≥ 0
func DefaultSegmentModel() SegmentModel {
	return SegmentModel{
		OnTimeGoodPct: 80, OnTimeGoodPoints: 2, OnTimePoorPct: 50, OnTimePoorPoints: -2,
		PaidWhileDelinquentPoints: 2,
		PromiseKeptPoints:         1, PromiseBrokenPoints: -2, PromiseCap: 3,
		MinAttempts:    3,
		ConnectGoodPct: 50, ConnectGoodPoints: 1, ConnectPoorPct: 20, ConnectPoorPoints: -1,
		StaleContactDays: 30, StaleContactPoints: -1,
		WillingAtLeast: 0,
		DTIGoodPct:     30, DTIGoodPoints: 1, DTIPoorPct: 60, DTIPoorPoints: -2,
		HardshipPoints: -3,
		AbleAtLeast:    0,
	}
}

// Validate checks that the percentages are between 0 and 100 (poor below
// good) and the counts are not negative. It returns an Invalid error.
func (m SegmentModel) Validate() error {
	var fe []errs.FieldError
	pct := func(field string, v int) {
		if v < 0 || v > 100 {
			fe = append(fe, errs.FieldError{Field: field, Message: fmt.Sprintf("%d is not a percentage from 0 to 100", v)})
		}
	}
	pct("on_time_good_pct", m.OnTimeGoodPct)
	pct("on_time_poor_pct", m.OnTimePoorPct)
	pct("connect_good_pct", m.ConnectGoodPct)
	pct("connect_poor_pct", m.ConnectPoorPct)
	if m.OnTimePoorPct > m.OnTimeGoodPct {
		fe = append(fe, errs.FieldError{Field: "on_time_poor_pct", Message: "must not be above on_time_good_pct"})
	}
	if m.ConnectPoorPct > m.ConnectGoodPct {
		fe = append(fe, errs.FieldError{Field: "connect_poor_pct", Message: "must not be above connect_good_pct"})
	}
	if m.DTIGoodPct < 0 || m.DTIPoorPct < m.DTIGoodPct {
		fe = append(fe, errs.FieldError{Field: "dti_poor_pct", Message: "must be at least dti_good_pct, and both ≥ 0"})
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"promise_cap", m.PromiseCap}, {"min_attempts", m.MinAttempts}, {"stale_contact_days", m.StaleContactDays}} {
		if f.v < 0 {
			fe = append(fe, errs.FieldError{Field: f.name, Message: fmt.Sprintf("%d is negative", f.v)})
		}
	}
	if len(fe) > 0 {
		return errs.Fields("Segment model is invalid.", fe...)
	}
	return nil
}

// Assessment is a segment with its two scores and every reason behind them,
// willingness reasons first.
type Assessment struct {
	Segment     Segment  `json:"segment"`
	Willingness int      `json:"willingness"`
	Ability     int      `json:"ability"`
	Reasons     []Reason `json:"reasons"`
}

// Assess scores s as of asOf and returns the segment with its reasons.
func (m SegmentModel) Assess(s Signals, asOf date.Date) Assessment {
	var rs []Reason
	rs = append(rs, m.onTime(s), m.paidWhileDelinquent(s), m.promises(s))
	rs = append(rs, m.connectRate(s), m.staleContact(s, asOf))
	rs = append(rs, m.dti(s), m.hardship(s))
	var a Assessment
	for _, r := range rs {
		if r.Axis == AxisWillingness {
			a.Willingness += r.Points
		} else {
			a.Ability += r.Points
		}
	}
	willing, able := a.Willingness >= m.WillingAtLeast, a.Ability >= m.AbleAtLeast
	switch {
	case willing && able:
		a.Segment = WillingAble
	case willing:
		a.Segment = WillingUnable
	case able:
		a.Segment = UnwillingAble
	default:
		a.Segment = UnwillingUnable
	}
	a.Reasons = append(rs,
		verdict(AxisWillingness, a.Willingness, m.WillingAtLeast, willing, "有还款意愿", "无还款意愿", "willing", "unwilling"),
		verdict(AxisAbility, a.Ability, m.AbleAtLeast, able, "有还款能力", "无还款能力", "able", "unable"))
	return a
}

func verdict(axis string, score, threshold int, yes bool, zhYes, zhNo, enYes, enNo string) Reason {
	zh, en, cmp := zhNo, enNo, "<"
	if yes {
		zh, en, cmp = zhYes, enYes, "≥"
	}
	axisZH := map[string]string{AxisWillingness: "意愿", AxisAbility: "能力"}[axis]
	return Reason{Axis: axis, Signal: axis + "_score", Value: fmt.Sprint(score),
		ZH: fmt.Sprintf("%s得分%d %s 阈值%d：%s", axisZH, score, cmp, threshold, zh),
		EN: fmt.Sprintf("%s score %d %s threshold %d: %s", axis, score, cmp, threshold, en)}
}

// atLeastPct reports whether num/den ≥ pct%, exactly.
func atLeastPct(num, den int64, pct int) bool { return num*100 >= int64(pct)*den }

// roundPct returns num/den as a whole percentage, rounded half up.
func roundPct(num, den int64) int64 { return (num*200 + den) / (den * 2) }
