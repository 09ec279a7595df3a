package fieldwork_test

import (
	"testing"
	"time"

	"accord/internal/fieldwork"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// plannedToday stores a visit of case c planned for fa1 and fa2's pair
// today at 10:00, noticed two days ago and approved, as planning leaves it.
func plannedToday(t *testing.T, e *env, c sqlstore.Case, pr sqlstore.FieldPair) sqlstore.Visit {
	t.Helper()
	return plannedTodayIn(t, e, c, pr, "Asia/Shanghai")
}

// plannedTodayIn is plannedToday for a borrower in zone tz ("" for none).
func plannedTodayIn(t *testing.T, e *env, c sqlstore.Case, pr sqlstore.FieldPair, tz string) sqlstore.Visit {
	t.Helper()
	var v sqlstore.Visit
	today := e.fw.Today()
	e.write(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, c.BorrowerID)
		if err != nil {
			return err
		}
		a := b.Addresses[0]
		v = sqlstore.Visit{BorrowerID: c.BorrowerID, CaseID: c.ID, State: string(visit.Planned), Source: fieldwork.SourceCollector,
			Purpose: "面谈", RequestedBy: "admin", RequestedAt: e.clock().Add(-72 * time.Hour), AddressLine: a.Line, Region: a.Region,
			Lat: a.Lat, Lon: a.Lon, TimeZone: tz, DurationMin: 45, OverdueMinor: int64(c.Overdue), CostMinor: 12000, DecidedBy: "supervisor",
			DecidedAt: e.clock().Add(-60 * time.Hour), NoticeSentAt: e.clock().Add(-48 * time.Hour), PairID: pr.ID, PlannedOn: today,
			SlotFrom: "09:00", SlotUntil: "12:00", PlannedStart: e.clock(), RecordingDevice: pr.RecordingDevice}
		return tx.CreateVisit(ctx, &v)
	})
	return v
}

// TestDayWork: a check-in far from the address is flagged; an incident
// outcome reaches the supervisor at once; a met_other outcome needs who was
// met; a correction of a visit not done is refused.
func TestDayWork(t *testing.T) {
	e := newEnv(t, openSQLite(t), 400)
	cs := e.eligibleCases(t, 1)
	e.at(start.AddDays(2), "10:00")
	var pr sqlstore.FieldPair
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, cs[0].BorrowerID)
		pr = sqlstore.FieldPair{BaseLat: b.Addresses[0].Lat, BaseLon: b.Addresses[0].Lon}
		return err
	})
	pr, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: "一组", Agent1: "fa1", Agent2: "fa2", BaseLat: pr.BaseLat,
		BaseLon: pr.BaseLon, DayFrom: "08:00", DayUntil: "20:00", SpeedKmh: 30, Capacity: 4, RecordingDevice: "REC-3", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	v := plannedToday(t, e, cs[0], pr)
	if _, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.NotHome, Corrects: 1}); err == nil {
		t.Error("a correction of a visit with no outcome was taken")
	}
	got, err := e.fw.CheckIn(ctx, e.as("fa2"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat + 0.018, Lon: v.Lon, Partner: "fa1", RecordingDevice: "REC-3"})
	if err != nil {
		t.Fatalf("CheckIn 2 km away: %v", err)
	}
	if !got.CheckInFlagged || got.CheckInDistanceM < 1900 || got.CheckInDistanceM > 2100 {
		t.Errorf("a check-in 2 km away: flagged %v at %.0f m", got.CheckInFlagged, got.CheckInDistanceM)
	}
	if _, err := e.fw.RecordOutcome(ctx, e.as("fa2"), v.ID, fieldwork.NewOutcome{Kind: visit.MetOther, Note: "邻居说不在"}); err == nil {
		t.Error("met_other without whom was taken")
	}
	out, err := e.fw.RecordOutcome(ctx, e.as("fa2"), v.ID, fieldwork.NewOutcome{Kind: visit.Incident, Note: "借款人家属情绪激动，推搡催收员"})
	if err != nil {
		t.Fatalf("RecordOutcome(incident): %v", err)
	}
	open, err := e.fw.Incidents(ctx, e.as("supervisor"), true)
	if err != nil || out.IncidentID == 0 || len(open) != 1 || open[0].ID != out.IncidentID || open[0].Kind != "incident" {
		t.Errorf("incident %d; open incidents %+v (%v)", out.IncidentID, open, err)
	}
	if out.Visit.State != "done" || out.Visit.OutcomeKind != "incident" {
		t.Errorf("visit after the incident = %+v", out.Visit)
	}
}
