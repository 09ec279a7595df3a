package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/govalues/decimal"

	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/classify"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/ledger"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// The visit store's contract tests, on both engines.

var (
	vctx = context.Background()
	vDay = date.MustParse("2026-03-10")
	vT   = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
)

func vWrite(t *testing.T, db *sqlstore.DB, fn func(tx *sqlstore.Tx) error) {
	t.Helper()
	if err := db.InTx(vctx, fn); err != nil {
		t.Fatal(err)
	}
}

// vCase stores a borrower with a loan and an open case, and returns them.
func vCase(t *testing.T, db *sqlstore.DB, n int, bucket string) (borrower.Borrower, ledger.Loan, sqlstore.Case) {
	t.Helper()
	b := borrower.Borrower{ExternalID: fmt.Sprintf("VB-%d", n), Name: "张三", NationalID: "110105199001011234",
		Phones: []borrower.Phone{{Number: fmt.Sprintf("+86138%08d", n), Kind: "mobile"}}, TimeZone: "Asia/Shanghai", Language: "zh-CN",
		Addresses: []borrower.Address{{Kind: "home", Line: "朝阳区建国路 88 号", City: "北京", Region: "北京市", Lat: 39.9087, Lon: 116.4605}}}
	l := ledger.Loan{ExternalID: fmt.Sprintf("VL-%d", n), ProductCode: "CASH12", Principal: money.Yuan(10_000),
		AnnualRate: decimal.MustParse("0.156"), TermMonths: 12, Method: ledger.EqualInstallment, DisbursedOn: date.MustParse("2026-01-15"),
		PenaltyRateDaily: decimal.MustParse("0.0005"), LateFee: money.Yuan(50)}
	c := sqlstore.Case{Status: casework.Open, OpenedOn: vDay.AddDays(-20), Bucket: bucket, BucketRank: 2, MaxBucketRank: 2,
		DPD: 40, Tier: classify.High, Segment: classify.WillingUnable, Overdue: money.Yuan(3000), Balance: money.Yuan(9000),
		Products: []string{"CASH12"}, Language: "zh-CN", Region: "北京市", Loans: 1, HasPhone: true, Rule: "m2", RuleSince: vDay, Queue: "m2"}
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateBorrower(vctx, &b); err != nil {
			return err
		}
		l.BorrowerID, c.BorrowerID = b.ID, b.ID
		if err := tx.CreateLoan(vctx, &l); err != nil {
			return err
		}
		return tx.InsertCases(vctx, []*sqlstore.Case{&c})
	})
	return b, l, c
}

func vVisit(c sqlstore.Case) sqlstore.Visit {
	return sqlstore.Visit{BorrowerID: c.BorrowerID, CaseID: c.ID, State: "requested", Source: "collector", Purpose: "面谈还款计划",
		RequestedBy: "col1", RequestedAt: vT, AddressKind: "home", AddressLine: "朝阳区建国路 88 号", AddressCity: "北京", Region: "北京市",
		Lat: 39.9087, Lon: 116.4605, TimeZone: "Asia/Shanghai", OverdueMinor: 300000, RecoveryRate: "0.15", ExpectedMinor: 45000,
		RoadKm: "12.345", CostMinor: 13852, DurationMin: 45, PrefFrom: "10:00", PrefUntil: "12:00",
		PrefWeekdays: []time.Weekday{time.Monday, time.Saturday}}
}

func vPair(name, a1, a2 string) sqlstore.FieldPair {
	return sqlstore.FieldPair{Name: name, Agent1: a1, Agent2: a2, BaseLat: 39.95, BaseLon: 116.40, DayFrom: "09:00", DayUntil: "18:00",
		SpeedKmh: 30, Region: "北京市", Capacity: 6, RecordingDevice: "REC-1", Active: true}
}

func TestVisitStore(t *testing.T) {
	for _, e := range []struct {
		name string
		Open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			for _, tt := range []struct {
				name string
				fn   func(*testing.T, *sqlstore.DB)
			}{
				{"Pairs", testVisitPairs},
				{"Visits", testVisitRows},
				{"DayPlans", testVisitDayPlans},
				{"Entries", testVisitEntries},
				{"Incidents", testVisitIncidents},
				{"Report", testVisitReport},
			} {
				t.Run(tt.name, func(t *testing.T) { tt.fn(t, e.Open(t)) })
			}
		})
	}
}

func testVisitPairs(t *testing.T, db *sqlstore.DB) {
	p1, p2 := vPair("东区一组", "fa1", "fa2"), vPair("西区一组", "fa3", "fa4")
	p2.Active, p2.Region = false, "上海市"
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SavePair(vctx, &p1); err != nil {
			return err
		}
		return tx.SavePair(vctx, &p2)
	})
	if p1.ID == 0 || p2.ID == 0 || p1.CreatedAt.IsZero() {
		t.Fatalf("SavePair did not set ids and times: %+v %+v", p1, p2)
	}
	dup := vPair("东区一组", "x", "y")
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.SavePair(vctx, &dup) }); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second pair of the same name: %v, want Conflict", err)
	}
	p1.Capacity, p1.RecordingDevice = 4, "REC-9"
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.SavePair(vctx, &p1) })
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		got, err := tx.Pair(vctx, p1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p1, got); diff != "" {
			t.Errorf("Pair() after update (-want +got):\n%s", diff)
		}
		if _, err := tx.Pair(vctx, 999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("Pair(999) = %v, want NotFound", err)
		}
		active, _ := tx.Pairs(vctx, true, "")
		if len(active) != 1 || active[0].ID != p1.ID {
			t.Errorf("active pairs = %+v, want only %d", active, p1.ID)
		}
		mine, _ := tx.Pairs(vctx, false, "fa4")
		if len(mine) != 1 || mine[0].ID != p2.ID {
			t.Errorf("pairs of fa4 = %+v, want only %d", mine, p2.ID)
		}
		return nil
	})
	bad := vPair("同一人", "fa1", "fa1")
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.SavePair(vctx, &bad) }); err == nil {
		t.Error("a pair of one person was stored")
	}
}

func testVisitRows(t *testing.T, db *sqlstore.DB) {
	_, _, c := vCase(t, db, 1, "M2")
	_, _, c2 := vCase(t, db, 2, "M2")
	pr := vPair("一组", "fa1", "fa2")
	v := vVisit(c)
	v2 := vVisit(c2)
	v2.Source, v2.TaskID, v2.Rule, v2.State = "strategy", 77, "m2_visit", "approved"
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SavePair(vctx, &pr); err != nil {
			return err
		}
		if err := tx.CreateVisit(vctx, &v); err != nil {
			return err
		}
		return tx.CreateVisit(vctx, &v2)
	})
	if v.ID == 0 || v.CreatedAt.IsZero() {
		t.Fatalf("CreateVisit did not set id and times: %+v", v)
	}
	again := vVisit(c2)
	again.TaskID = 77
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.CreateVisit(vctx, &again) }); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second visit for task 77: %v, want Conflict", err)
	}
	// Every column round-trips through an update.
	v.State, v.DecidedBy, v.DecidedAt, v.NoticeSentAt, v.NoticeMessageID, v.NoticeFor = "planned", "sup", vT.Add(time.Hour), vT.Add(2*time.Hour), 5, "2026-03-12 10:00-12:00"
	v.PairID, v.PlannedOn, v.SlotFrom, v.SlotUntil, v.PlannedStart, v.RecordingDevice = pr.ID, vDay.AddDays(2), "10:00", "11:15", vT.Add(50*time.Hour), "REC-1"
	v.CheckedInAt, v.CheckInLat, v.CheckInLon, v.CheckInDistanceM, v.CheckInFlagged = vT.Add(56*time.Hour), 39.91, 116.46, 123.5, true
	v.CheckInAgents, v.CheckedOutAt, v.DoneAt, v.OutcomeKind = []string{"fa1", "fa2"}, vT.Add(57*time.Hour), vT.Add(57*time.Hour), "promise"
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.UpdateVisit(vctx, &v) })
	stale := v
	stale.UpdatedAt = stale.UpdatedAt.Add(-time.Second)
	stale.State = "cancelled"
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.UpdateVisit(vctx, &stale) }); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("an update of a visit changed meanwhile: %v, want Conflict", err)
	}
	missing := sqlstore.Visit{ID: 9999, State: "x"}
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.UpdateVisit(vctx, &missing) }); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("an update of no visit: %v, want NotFound", err)
	}
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		got, err := tx.Visit(vctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(v, got); diff != "" {
			t.Errorf("Visit() after update (-want +got):\n%s", diff)
		}
		if _, err := tx.Visit(vctx, 9999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("Visit(9999) = %v, want NotFound", err)
		}
		check := func(name string, f sqlstore.VisitFilter, want ...int64) {
			t.Helper()
			list, total, err := tx.Visits(vctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, x := range list {
				ids = append(ids, x.ID)
			}
			if total != len(want) || !cmp.Equal(ids, want) {
				t.Errorf("%s: ids %v (total %d), want %v", name, ids, total, want)
			}
		}
		check("all, newest first", sqlstore.VisitFilter{}, v2.ID, v.ID)
		check("approved", sqlstore.VisitFilter{States: []string{"approved"}}, v2.ID)
		check("case", sqlstore.VisitFilter{CaseID: c.ID}, v.ID)
		check("borrower", sqlstore.VisitFilter{BorrowerID: c2.BorrowerID}, v2.ID)
		check("agent fa2", sqlstore.VisitFilter{Agent: "fa2"}, v.ID)
		check("agent nobody", sqlstore.VisitFilter{Agent: "zz"})
		check("planned on", sqlstore.VisitFilter{PlannedOn: vDay.AddDays(2)}, v.ID)
		check("ids", sqlstore.VisitFilter{IDs: []int64{v2.ID}, Limit: -1}, v2.ID)
		check("scope none", sqlstore.VisitFilter{Scope: &sqlstore.Scope{}})
		check("scope all", sqlstore.VisitFilter{Scope: &sqlstore.ScopeAll}, v2.ID, v.ID)
		tasks, err := tx.VisitTasks(vctx, []int64{77, 78})
		if err != nil || !cmp.Equal(tasks, map[int64]bool{77: true}) {
			t.Errorf("VisitTasks = %v, %v; want only 77", tasks, err)
		}
		return nil
	})
}

func testVisitDayPlans(t *testing.T, db *sqlstore.DB) {
	p1, p2 := vPair("一组", "a", "b"), vPair("二组", "c", "d")
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.SavePair(vctx, &p1); err != nil {
			return err
		}
		return tx.SavePair(vctx, &p2)
	})
	first := sqlstore.DayPlan{PairID: p1.ID, On: vDay, Stops: []sqlstore.PlanStop{{VisitID: 1, Arrive: "09:41", Start: "10:00", Leave: "10:45"},
		{VisitID: 2, Arrive: "11:00", Start: "11:00", Leave: "11:45"}}, LeftOut: []sqlstore.PlanLeftOut{{VisitID: 3, Reason: "governor: x"}},
		TravelKm: 23.415, BackAt: "12:30", ValueMinor: 90000, SVG: "<svg/>", PlannedBy: "sup"}
	second := first
	second.Stops, second.LeftOut, second.Reason = first.Stops[1:], []sqlstore.PlanLeftOut{{VisitID: 1, Reason: "cancelled"}}, "visit 1 cancelled"
	other := sqlstore.DayPlan{PairID: p2.ID, On: vDay, BackAt: "09:00", PlannedBy: "sup"}
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		for _, p := range []*sqlstore.DayPlan{&first, &second, &other} {
			if err := tx.AddDayPlan(vctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if first.Version != 1 || second.Version != 2 || other.Version != 1 {
		t.Fatalf("versions %d, %d, %d; want 1, 2, 1", first.Version, second.Version, other.Version)
	}
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		got, err := tx.DayPlan(vctx, p1.ID, vDay)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(second, got); diff != "" {
			t.Errorf("DayPlan() is not the latest version (-want +got):\n%s", diff)
		}
		all, err := tx.DayPlans(vctx, vDay, 0)
		if err != nil || len(all) != 2 || all[0].Version != 2 || all[1].PairID != p2.ID || len(all[1].Stops) != 0 {
			t.Errorf("DayPlans = %+v, %v", all, err)
		}
		if _, err := tx.DayPlan(vctx, p1.ID, vDay.AddDays(1)); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an unplanned day: %v, want NotFound", err)
		}
		return nil
	})
}

func testVisitEntries(t *testing.T, db *sqlstore.DB) {
	_, _, c := vCase(t, db, 1, "M2")
	v := vVisit(c)
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.CreateVisit(vctx, &v) })
	photo := []byte("\x89PNG fake photo")
	e := sqlstore.VisitEntry{BorrowerID: c.BorrowerID, VisitID: v.ID, Kind: "promise", Note: "答应月底还", AmountMinor: 100000,
		PromiseOn: vDay.AddDays(10), PromiseID: 9, RecordedBy: "fa1", NewAddress: `{"line":"x"}`,
		Attachments: []sqlstore.VisitAttachment{{Name: "door.png", ContentType: "image/png", Data: photo}}}
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.AddVisitEntry(vctx, &e) })
	sum := sha256.Sum256(photo)
	if a := e.Attachments[0]; a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(photo)) || a.ID == 0 {
		t.Errorf("attachment %+v: want SHA-256 %x and size %d", a, sum, len(photo))
	}
	fix := sqlstore.VisitEntry{BorrowerID: c.BorrowerID, VisitID: v.ID, Kind: "promise", Note: "更正：下月初", CorrectsID: e.ID, RecordedBy: "fa1"}
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.AddVisitEntry(vctx, &fix) })
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		list, err := tx.VisitEntries(vctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := e
		want.Attachments = []sqlstore.VisitAttachment{e.Attachments[0]}
		want.Attachments[0].Data = nil
		if len(list) != 2 || list[1].CorrectsID != e.ID {
			t.Fatalf("VisitEntries = %+v", list)
		}
		if diff := cmp.Diff(want, list[0]); diff != "" {
			t.Errorf("entry (-want +got):\n%s", diff)
		}
		a, err := tx.VisitAttachment(vctx, e.Attachments[0].ID)
		if err != nil || string(a.Data) != string(photo) {
			t.Errorf("VisitAttachment = %q, %v", a.Data, err)
		}
		return nil
	})
	for _, stmt := range []string{"UPDATE visit_entries SET note = 'x' WHERE id = ?", "DELETE FROM visit_entries WHERE id = ?",
		"UPDATE visit_attachments SET name = 'x' WHERE entry_id = ?", "DELETE FROM visit_attachments WHERE entry_id = ?"} {
		err := db.InTx(vctx, func(tx *sqlstore.Tx) error {
			var n int
			return tx.Inspect(vctx, stmt+" RETURNING 1", e.ID).Scan(&n)
		})
		if err == nil {
			t.Errorf("%s: the evidence was changed", stmt)
		}
	}
	big := sqlstore.VisitEntry{BorrowerID: c.BorrowerID, VisitID: v.ID, Kind: "not_home", RecordedBy: "fa1",
		Attachments: []sqlstore.VisitAttachment{{Name: "big", ContentType: "x", Data: make([]byte, sqlstore.MaxAttachment+1)}}}
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.AddVisitEntry(vctx, &big) }); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("an attachment over the cap: %v, want Invalid", err)
	}
}

func testVisitIncidents(t *testing.T, db *sqlstore.DB) {
	_, _, c := vCase(t, db, 1, "M2")
	v := vVisit(c)
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.CreateVisit(vctx, &v) })
	i1 := sqlstore.VisitIncident{BorrowerID: c.BorrowerID, VisitID: v.ID, Kind: "incident", Note: "被推搡", ReportedBy: "fa1"}
	i2 := sqlstore.VisitIncident{BorrowerID: c.BorrowerID, VisitID: v.ID, Kind: "complaint", Note: "投诉态度", ReportedBy: "col1"}
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.AddIncident(vctx, &i1); err != nil {
			return err
		}
		return tx.AddIncident(vctx, &i2)
	})
	vWrite(t, db, func(tx *sqlstore.Tx) error { return tx.AcknowledgeIncident(vctx, i1.ID, "sup") })
	if err := db.InTx(vctx, func(tx *sqlstore.Tx) error { return tx.AcknowledgeIncident(vctx, i1.ID, "sup") }); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("acknowledging twice: %v, want NotFound", err)
	}
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		open, err := tx.Incidents(vctx, true, 0)
		if err != nil || len(open) != 1 || open[0].ID != i2.ID {
			t.Errorf("open incidents = %+v, %v; want only the complaint", open, err)
		}
		all, _ := tx.Incidents(vctx, false, v.ID)
		if len(all) != 2 || all[1].AcknowledgedBy != "sup" || all[1].AcknowledgedAt.IsZero() {
			t.Errorf("incidents of the visit = %+v", all)
		}
		return nil
	})
}

func testVisitReport(t *testing.T, db *sqlstore.DB) {
	_, l1, c1 := vCase(t, db, 1, "M2")
	_, l2, _ := vCase(t, db, 2, "M2")
	_, _, _ = vCase(t, db, 3, "M3")
	v := vVisit(c1)
	v.State = "done"
	vWrite(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateVisit(vctx, &v); err != nil {
			return err
		}
		for _, p := range []ledger.Payment{
			{LoanID: l1.ID, Amount: money.Yuan(500), PaidOn: vDay.AddDays(3)},
			{LoanID: l1.ID, Amount: money.Yuan(700), PaidOn: vDay.AddDays(40)},
			{LoanID: l2.ID, Amount: money.Yuan(200), PaidOn: vDay.AddDays(5)},
			{LoanID: l2.ID, Amount: money.Yuan(999), PaidOn: vDay.AddDays(6), Reversed: true, ReversedAt: vT},
		} {
			if err := tx.CreatePayment(vctx, &p); err != nil {
				return err
			}
		}
		return nil
	})
	_ = db.Read(vctx, func(tx *sqlstore.Tx) error {
		pays, err := tx.PaymentsOf(vctx, []int64{c1.BorrowerID, l2.BorrowerID}, vDay, vDay.AddDays(29))
		if err != nil {
			t.Fatal(err)
		}
		want := []sqlstore.BorrowerPayment{{BorrowerID: c1.BorrowerID, PaidOn: vDay.AddDays(3), AmountMinor: 50000},
			{BorrowerID: l2.BorrowerID, PaidOn: vDay.AddDays(5), AmountMinor: 20000}}
		if diff := cmp.Diff(want, pays); diff != "" {
			t.Errorf("PaymentsOf (-want +got):\n%s", diff)
		}
		groups, err := tx.UnvisitedRecovery(vctx, vDay, vDay.AddDays(29))
		if err != nil {
			t.Fatal(err)
		}
		wantG := []sqlstore.GroupRecovery{{Bucket: "M2", Tier: "high", Segment: "willing_unable", Cases: 1, OverdueMinor: 300000, PaidMinor: 20000},
			{Bucket: "M3", Tier: "high", Segment: "willing_unable", Cases: 1, OverdueMinor: 300000}}
		if diff := cmp.Diff(wantG, groups); diff != "" {
			t.Errorf("UnvisitedRecovery (-want +got):\n%s", diff)
		}
		return nil
	})
}
