package fieldwork_test

import (
	"strings"
	"testing"

	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// TestPlanningRefusals: the governor is asked at planning (a pair without a
// recording device has its visits left out with CN-VISIT's reason) and at
// check-in (a visit whose notice is missing is refused, naming it).
func TestPlanningRefusals(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 2)
		v1, v2 := approvedNoticed(t, e, cs[0]), approvedNoticed(t, e, cs[1])
		savePair(t, e, "无设备组", "fa1", "fa2", "", v1)
		day := start.AddDays(2)
		e.at(start.AddDays(1), "17:00")
		res, err := e.fw.PlanDay(ctx, e.as("supervisor"), day)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Plans[0].Plan.Stops) != 0 || len(res.LeftOut) != 2 {
			t.Fatalf("plan without a recording device = %+v, left out %+v; want nothing planned", res.Plans[0].Plan.Stops, res.LeftOut)
		}
		for _, lo := range res.LeftOut {
			if !strings.HasPrefix(lo.Reason, fieldwork.LeftGovernor) || !strings.Contains(lo.Reason, "recording_device_missing") {
				t.Errorf("visit %d left out for %q; want the governor's reason naming recording_device_missing", lo.VisitID, lo.Reason)
			}
		}
		// With a device the day is planned; a notice lost afterwards is caught at check-in.
		pr, _ := e.fw.Pairs(ctx, e.as("supervisor"))
		p := pr[0]
		p.RecordingDevice = "REC-1"
		if _, err := e.fw.SavePair(ctx, e.as("supervisor"), p); err != nil {
			t.Fatal(err)
		}
		if res, err = e.fw.PlanDay(ctx, e.as("supervisor"), day); err != nil || len(res.Plans[0].Plan.Stops) != 2 {
			t.Fatalf("PlanDay = %+v, %v", res, err)
		}
		e.write(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "UPDATE visits SET notice_sent_at = NULL WHERE id = ? RETURNING id", v1.ID).Scan(new(int64))
		})
		page, _ := e.fw.Visit(ctx, e.as("fa1"), v1.ID)
		e.set(page.Visit.PlannedStart)
		_, err = e.fw.CheckIn(ctx, e.as("fa1"), v1.ID, fieldwork.CheckInRequest{Lat: v1.Lat, Lon: v1.Lon, Partner: "fa2", RecordingDevice: "REC-1"})
		if _, ok := fieldwork.AsRefused(err); !ok || !strings.Contains(err.Error(), "notice_missing") {
			t.Errorf("check-in without notice = %v; want the governor's refusal naming notice_missing", err)
		}
		// Cancelling the other visit during the day re-plans the pair's day.
		e.at(day, "08:05")
		if _, err := e.fw.Cancel(ctx, e.as("fa2"), v2.ID, "借款人来电改期"); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
		plans, err := e.fw.DayPlans(ctx, e.as("supervisor"), day, 0)
		if err != nil || len(plans) != 1 {
			t.Fatalf("DayPlans = %+v, %v", plans, err)
		}
		dp := plans[0].Plan
		if dp.Version != 3 || len(dp.Stops) != 1 || dp.Stops[0].VisitID != v1.ID || dp.Reason == "" {
			t.Errorf("re-planned day = %+v; want version 3 with visit %d only", dp, v1.ID)
		}
		if !containsLeft(dp.LeftOut, v2.ID, "cancelled") {
			t.Errorf("left out = %+v; want visit %d cancelled", dp.LeftOut, v2.ID)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE dedup_key LIKE 'visit:%' AND status = 'open' AND case_id = ?", v2.CaseID); n != 0 {
			t.Errorf("%d visit tasks still open on the cancelled visit", n)
		}
	})
}

func containsLeft(list []sqlstore.PlanLeftOut, id int64, reason string) bool {
	for _, lo := range list {
		if lo.VisitID == id && lo.Reason == reason {
			return true
		}
	}
	return false
}

// TestDecisionsAndScope: approval is a supervisor's, never the requester's,
// in bulk each visit on its own; a collector reaches only their own cases'
// visits; a field agent only their pair's; eligibility refuses with the
// reasons.
func TestDecisionsAndScope(t *testing.T) {
	e := newEnv(t, openSQLite(t), 400)
	cs := e.eligibleCases(t, 2)
	v1, err := e.fw.RequestVisit(ctx, e.as("supervisor"), fieldwork.NewRequest{CaseID: cs[0].ID, Purpose: "核实地址"})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := e.fw.RequestVisit(ctx, e.as("admin"), fieldwork.NewRequest{CaseID: cs[1].ID, Purpose: "面谈"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.fw.RequestVisit(ctx, e.as("admin"), fieldwork.NewRequest{CaseID: cs[1].ID, Purpose: "again"}); errs.CodeOf(err) != errs.Conflict {
		t.Errorf("a second visit on a case with one going on: %v, want Conflict", err)
	}
	if _, err := e.fw.RequestVisit(ctx, e.as("admin"), fieldwork.NewRequest{CaseID: cs[0].ID}); errs.CodeOf(err) != errs.Conflict &&
		!strings.Contains(errs.MessageOf(err), visit.NoPurpose) {
		t.Errorf("a request without purpose: %v", err)
	}
	if _, err := e.fw.RequestVisit(ctx, e.as("field_agent"), fieldwork.NewRequest{CaseID: cs[0].ID, Purpose: "x"}); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("a field agent asking for a visit: %v, want Forbidden", err)
	}
	if _, err := e.fw.Visit(ctx, e.as("collector"), v1.ID); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("a collector sees a visit outside their cases: %v, want NotFound", err)
	}
	if _, err := e.fw.Approve(ctx, e.as("collector"), v1.ID, ""); errs.CodeOf(err) != errs.Forbidden {
		t.Errorf("a collector approving: %v, want Forbidden", err)
	}
	res, err := e.fw.DecideMany(ctx, e.as("supervisor"), []int64{v1.ID, v2.ID, 999999}, true, "")
	if err != nil {
		t.Fatal(err)
	}
	if res[0].OK || res[0].Code != errs.Forbidden || !res[1].OK || res[1].Visit.State != "approved" || res[2].Code != errs.NotFound {
		t.Errorf("bulk approval = %+v; want self-approval refused, the other approved, the unknown not found", res)
	}
	if _, err := e.fw.DecideMany(ctx, e.as("supervisor"), []int64{v1.ID}, false, ""); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("a bulk rejection without a note: %v, want Invalid", err)
	}
	if res, _ := e.fw.DecideMany(ctx, e.as("admin"), []int64{v1.ID}, false, "不值得上门"); !res[0].OK || res[0].Visit.State != "rejected" {
		t.Errorf("rejection = %+v", res)
	}
	list, total, err := e.fw.Visits(ctx, e.as("field_agent"), fieldwork.Query{})
	if err != nil || total != 0 || len(list) != 0 {
		t.Errorf("a field agent of no pair lists %d visits (%v)", total, err)
	}
	if _, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: "x", Agent1: "fa1", Agent2: "collector",
		DayFrom: "09:00", DayUntil: "08:00", SpeedKmh: 30, Capacity: 0, BaseLat: 31, BaseLon: 121}); err == nil {
		t.Error("a pair with a collector, bad hours and no capacity was saved")
	} else {
		for _, f := range []string{"agent2", "day_until", "capacity"} {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("SavePair error %q does not name %s", err, f)
			}
		}
	}
}

// TestNightly: the strategy's recommendations become requests once; the
// run of the same date again changes nothing; approved visits are noticed.
func TestNightly(t *testing.T) {
	e := newEnv(t, openSQLite(t), 400)
	recs := e.count(t, "SELECT COUNT(*) FROM tasks WHERE kind = 'visit' AND queue = 'field' AND status = 'open' AND assignee_kind = ''")
	made := e.count(t, "SELECT COUNT(*) FROM visits WHERE source = 'strategy'")
	if recs == 0 {
		t.Skip("the demo book has no visit recommendation")
	}
	if made == 0 {
		t.Errorf("%d recommendations, no request made by the first run", recs)
	}
	counts, err := e.fw.RunNightly(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	if counts["requests_created"] != 0 || e.count(t, "SELECT COUNT(*) FROM visits WHERE source = 'strategy'") != made {
		t.Errorf("the same date again created requests: %v", counts)
	}
	var v sqlstore.Visit
	e.read(t, func(tx *sqlstore.Tx) error {
		list, _, err := tx.Visits(ctx, sqlstore.VisitFilter{States: []string{"requested"}, Limit: 1})
		if len(list) > 0 {
			v = list[0]
		}
		return err
	})
	if v.ID == 0 || v.TaskID == 0 || v.Rule == "" {
		t.Fatalf("strategy visit = %+v", v)
	}
	if _, err := e.fw.Approve(ctx, e.as("supervisor"), v.ID, ""); err != nil {
		t.Fatalf("Approve a recommended visit: %v", err)
	}
	savePair(t, e, "一组", "fa1", "fa2", "REC-1", v)
	sum := e.run(t, start.AddDays(1))
	if sum.Steps["visits"].Counts["notices_queued"] < 1 {
		t.Errorf("nightly counts = %+v; want the approved visit noticed", sum.Steps["visits"].Counts)
	}
	page, err := e.fw.Visit(ctx, e.as("supervisor"), v.ID)
	if err != nil || page.Visit.State != "noticed" || page.Visit.NoticeFor == "" {
		t.Errorf("after the nightly run the visit is %+v (%v)", page.Visit, err)
	}
	// The noticed day passes unplanned: the visit lapses back to approved.
	nd := page.Visit.NoticeFor[:10]
	day, _ := dateParse(nd)
	counts, err = e.fw.RunNightly(ctx, day.AddDays(1))
	if err != nil || counts["lapsed"] < 1 {
		t.Errorf("after the noticed day: %v, %v; want the visit lapsed", counts, err)
	}
}
