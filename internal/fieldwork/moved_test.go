package fieldwork_test

import (
	"strconv"
	"testing"

	"accord/internal/borrower"
	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// TestRecordOutcome_MovedAddress: a moved outcome with the new address puts
// it on the borrower in place of the visited home address; the old one is
// kept in the borrower's address changes with the visit and entry, and the
// change is audited. A bad address kind is refused and changes nothing.
func TestRecordOutcome_MovedAddress(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 1)
		e.at(start.AddDays(2), "10:00")
		var old borrower.Address
		e.read(t, func(tx *sqlstore.Tx) error {
			b, err := tx.Borrower(ctx, cs[0].BorrowerID)
			old = b.Addresses[0]
			return err
		})
		pr, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: "一组", Agent1: "fa1", Agent2: "fa2", BaseLat: old.Lat,
			BaseLon: old.Lon, DayFrom: "08:00", DayUntil: "20:00", SpeedKmh: 30, Capacity: 4, RecordingDevice: "REC-3", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		v := plannedToday(t, e, cs[0], pr)
		if _, err := e.fw.CheckIn(ctx, e.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-3"}); err != nil {
			t.Fatal(err)
		}
		bad := fieldwork.NewOutcome{Kind: visit.Moved, Note: "邻居说已搬走", NewAddress: &borrower.Address{Kind: "office", Line: "新区1号"}}
		if _, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, bad); !hasField(err, "new_address.kind") {
			t.Errorf("a new address of kind office = %v; want Invalid naming new_address.kind", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM visit_entries WHERE visit_id = ?", v.ID); n != 0 {
			t.Errorf("%d entries after a refused outcome", n)
		}
		moved := borrower.Address{Line: "浦东新区世纪大道100号2栋301室，电话13812345678", City: "上海市", Region: "上海市", Lat: 31.2304, Lon: 121.5332}
		out, err := e.fw.RecordOutcome(ctx, e.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.Moved, Note: "邻居说已搬走", NewAddress: &moved})
		if err != nil {
			t.Fatalf("RecordOutcome(moved): %v", err)
		}
		if out.AddressChangeID == 0 {
			t.Errorf("no address change made: %+v", out)
		}
		var b borrower.Borrower
		e.read(t, func(tx *sqlstore.Tx) error {
			var err error
			b, err = tx.Borrower(ctx, cs[0].BorrowerID)
			return err
		})
		home := b.Addresses[0]
		if home.Kind != old.Kind || home.City != "上海市" || home.Lat != moved.Lat || home.Line == moved.Line || len(b.Addresses) != 1 {
			t.Errorf("borrower's addresses after the move = %+v; want the new %s address in place of the old, the phone masked", b.Addresses, old.Kind)
		}
		list, err := e.fw.AddressChanges(ctx, e.as("supervisor"), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != out.AddressChangeID || list[0].Previous == nil || *list[0].Previous != old ||
			list[0].VisitID != v.ID || list[0].EntryID != out.Entry.ID || list[0].RecordedBy != "fa1" || list[0].Source != fieldwork.SourceVisit {
			t.Errorf("address changes = %+v; want one replacing %+v", list, old)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'borrower.address_change' AND entity_type = 'borrower' AND entity_id = ?", strconv.FormatInt(b.ID, 10)); n != 1 {
			t.Errorf("%d address changes audited, want 1", n)
		}
		if _, err := e.fw.AddressChanges(ctx, e.as("fa3"), b.ID); err == nil {
			t.Errorf("a field agent with no visit of the borrower sees their address changes")
		}
	})
}

// hasField reports whether err is Invalid and names field.
func hasField(err error, field string) bool {
	if errs.CodeOf(err) != errs.Invalid {
		return false
	}
	for _, f := range errs.FieldsOf(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
