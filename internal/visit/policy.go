package visit

import (
	"time"

	"github.com/govalues/decimal"

	"accord/internal/compliance"
	"accord/internal/money"
)

// Policy is a lender's field-visit settings. Hours, advance notice and
// holidays come from Compliance, the contact governor's policy, read under
// the China profile: the visit rules never allow what the governor would
// refuse.
type Policy struct {
	Compliance compliance.Policy

	MinDPD     int          // only borrowers at least this many days past due
	MinOverdue money.Amount // only borrowers owing at least this overdue

	RecoveryRate decimal.Decimal // expected share of the overdue amount a visit brings in, when no better estimate is given
	CostPerVisit money.Amount    // two collectors' time and the recording
	CostPerKm    money.Amount    // travel, per road km there and back

	CheckInRadiusM float64 // a check-in farther than this from the address is flagged
}

// DefaultPolicy returns the settings Accord starts with: visits from 31
// days past due (M2) and ¥1,000 overdue, a 15% expected recovery, ¥120 a
// visit plus ¥1.50 a km, check-ins flagged beyond 500 m, and the governor's
// defaults (08:00–22:00, 24 hours' notice, no visits on statutory
// holidays).
func DefaultPolicy() Policy {
	return Policy{
		MinDPD: 31, MinOverdue: money.Yuan(1000),
		RecoveryRate: decimal.MustParse("0.15"), CostPerVisit: money.Yuan(120), CostPerKm: 1_50,
		CheckInRadiusM: 500,
	}
}

// limits returns what the governor applies to visits under p.
func (p Policy) limits() compliance.Limits { return p.Compliance.Limits(compliance.CN) }

// NoticeRequired reports whether a visit needs advance notice under p and
// how long before (policy visit_advance_notice, on by default; CN-VISIT).
func (p Policy) NoticeRequired() (bool, time.Duration) {
	l := p.limits()
	return l.VisitAdvanceNotice, time.Duration(l.VisitNoticeHours) * time.Hour
}

// hours returns the local hours in which a visit may take place:
// [from, until).
func (p Policy) hours() (from, until compliance.Clock) {
	l := p.limits()
	from, _ = compliance.ParseClock(l.WindowStart)
	until, _ = compliance.ParseClock(l.WindowEnd)
	return from, until
}
