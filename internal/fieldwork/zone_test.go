package fieldwork_test

import (
	"strings"
	"testing"
	"time"

	"accord/internal/fieldwork"
	"accord/internal/sqlstore"
)

// TestCheckIn_BusinessZone: a borrower with no zone of their own is visited
// in the lender's business zone (here Tokyo, an hour ahead of Shanghai):
// 21:30 in Shanghai is 22:30 in Tokyo, past the allowed hours, so the
// governor refuses the check-in; a borrower whose zone is Shanghai is still
// taken in their own zone at the same instant.
func TestCheckIn_BusinessZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, openSQLite(t), 400, fieldwork.Options{Zone: tokyo})
	cs := e.eligibleCases(t, 2)
	e.at(start.AddDays(2), "21:30")
	var base sqlstore.FieldPair
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, cs[0].BorrowerID)
		base = sqlstore.FieldPair{BaseLat: b.Addresses[0].Lat, BaseLon: b.Addresses[0].Lon}
		return err
	})
	pr, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: "一组", Agent1: "fa1", Agent2: "fa2", BaseLat: base.BaseLat,
		BaseLon: base.BaseLon, DayFrom: "08:00", DayUntil: "23:00", SpeedKmh: 30, Capacity: 4, RecordingDevice: "REC-3", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	none := plannedTodayIn(t, e, cs[0], pr, "")
	_, err = e.fw.CheckIn(ctx, e.as("fa1"), none.ID, fieldwork.CheckInRequest{Lat: none.Lat, Lon: none.Lon, Partner: "fa2", RecordingDevice: "REC-3"})
	if _, ok := fieldwork.AsRefused(err); !ok || !strings.Contains(err.Error(), "start_outside_allowed_hours") {
		t.Errorf("check-in at 22:30 Tokyo time of a borrower with no zone = %v; want the governor's start_outside_allowed_hours", err)
	}
	own := plannedTodayIn(t, e, cs[1], pr, "Asia/Shanghai")
	if _, err := e.fw.CheckIn(ctx, e.as("fa1"), own.ID, fieldwork.CheckInRequest{Lat: own.Lat, Lon: own.Lon, Partner: "fa2", RecordingDevice: "REC-3"}); err != nil {
		t.Errorf("check-in at 21:30 Shanghai time of a borrower in Shanghai: %v", err)
	}
}
