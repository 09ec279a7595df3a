package fieldwork

import (
	"time"

	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// domain returns v as package visit's Visit, for its rules.
func domain(v sqlstore.Visit) visit.Visit {
	d := visit.Visit{ID: v.ID, BorrowerID: v.BorrowerID, CaseID: v.CaseID, State: visit.State(v.State),
		Recommended: v.Source == SourceStrategy, Purpose: v.Purpose, RequestedBy: v.RequestedBy, RequestedAt: v.RequestedAt,
		Address: address(v), DecidedBy: v.DecidedBy, DecidedAt: v.DecidedAt, DecisionNote: v.DecisionNote,
		NoticeSentAt: v.NoticeSentAt, Date: v.PlannedOn, Start: v.PlannedStart, CheckedInAt: v.CheckedInAt,
		CheckIn: visit.CheckIn{DistanceM: v.CheckInDistanceM, Flagged: v.CheckInFlagged}, DoneAt: v.DoneAt,
		CancelledAt: v.CancelledAt, CancelReason: v.CancelReason}
	d.Economics = economics(v)
	if v.PlannedOn != 0 {
		d.Slot = visit.Slot{Date: v.PlannedOn, From: clock(v.SlotFrom), Until: clock(v.SlotUntil)}
	}
	return d
}

// apply copies the fields the visit rules change from d back to v.
func apply(v *sqlstore.Visit, d visit.Visit) {
	v.State, v.DecidedBy, v.DecidedAt, v.DecisionNote = string(d.State), d.DecidedBy, d.DecidedAt, d.DecisionNote
	v.NoticeSentAt, v.PlannedOn, v.PlannedStart = d.NoticeSentAt, d.Date, d.Start
	v.SlotFrom, v.SlotUntil = "", ""
	if d.Date != 0 {
		v.SlotFrom, v.SlotUntil = hhmm(d.Slot.From), hhmm(d.Slot.Until)
	}
	v.CheckedInAt, v.CheckInDistanceM, v.CheckInFlagged = d.CheckedInAt, d.CheckIn.DistanceM, d.CheckIn.Flagged
	v.DoneAt, v.CancelledAt, v.CancelReason = d.DoneAt, d.CancelledAt, d.CancelReason
	if d.Outcome != nil {
		v.OutcomeKind = string(d.Outcome.Kind)
	}
}

func address(v sqlstore.Visit) borrower.Address {
	return borrower.Address{Kind: v.AddressKind, Line: v.AddressLine, City: v.AddressCity, Region: v.Region, Lat: v.Lat, Lon: v.Lon}
}

func economics(v sqlstore.Visit) visit.Economics {
	rate, _ := decimal.Parse(v.RecoveryRate)
	km, _ := decimal.Parse(v.RoadKm)
	return visit.Economics{Overdue: money.Amount(v.OverdueMinor), RecoveryRate: rate, ExpectedValue: money.Amount(v.ExpectedMinor),
		RoadKm: km, Cost: money.Amount(v.CostMinor), Net: money.Amount(v.ExpectedMinor - v.CostMinor)}
}

func setEconomics(v *sqlstore.Visit, e visit.Economics) {
	v.OverdueMinor, v.RecoveryRate, v.ExpectedMinor = int64(e.Overdue), e.RecoveryRate.String(), int64(e.ExpectedValue)
	v.RoadKm, v.CostMinor = e.RoadKm.String(), int64(e.Cost)
}

// clock reads "HH:MM" ("" and bad text are 0).
func clock(s string) compliance.Clock {
	c, err := compliance.ParseClock(s)
	if err != nil {
		return 0
	}
	return c
}

// hhmm writes c as "HH:MM".
func hhmm(c compliance.Clock) string { return c.String()[:5] }

// location returns v's borrower's zone, or the lender's business zone
// when the borrower has none (or an unknown one).
func (s *Service) location(v sqlstore.Visit) *time.Location {
	if v.TimeZone == "" {
		return s.zone
	}
	if loc, err := time.LoadLocation(v.TimeZone); err == nil {
		return loc
	}
	return s.zone
}

// preference returns the time the borrower said suits them, or nil.
func preference(v sqlstore.Visit) *visit.Preference {
	if v.PrefFrom == "" || v.PrefUntil == "" {
		return nil
	}
	return &visit.Preference{From: clock(v.PrefFrom), Until: clock(v.PrefUntil), Weekdays: v.PrefWeekdays}
}

// slotRequest returns what scheduling needs to know about v.
func (s *Service) slotRequest(v sqlstore.Visit) visit.SlotRequest {
	d := time.Duration(v.DurationMin) * time.Minute
	if d <= 0 {
		d = s.duration
	}
	return visit.SlotRequest{Duration: d, Preference: preference(v), NoticeSent: v.NoticeSentAt, Location: s.location(v)}
}
