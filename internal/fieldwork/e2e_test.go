package fieldwork_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"accord/internal/errs"
	"accord/internal/fieldwork"
	"accord/internal/money"
	"accord/internal/sqlstore"
	"accord/internal/visit"
)

// approvedNoticed requests a visit on c as admin, has the supervisor
// approve it and notice it for day start+2 (sent on start at 10:00).
func approvedNoticed(t *testing.T, e *env, c sqlstore.Case) sqlstore.Visit {
	t.Helper()
	e.at(start, "10:00")
	v, err := e.fw.RequestVisit(ctx, e.as("admin"), fieldwork.NewRequest{CaseID: c.ID, Purpose: "面谈了解还款困难",
		Target: "请借款人还清逾期金额或开启协商"})
	if err != nil {
		t.Fatalf("RequestVisit(case %d): %v", c.ID, err)
	}
	if v.State != "requested" || v.ExpectedMinor <= 0 || v.CostMinor <= 0 || v.Source != fieldwork.SourceCollector {
		t.Fatalf("requested visit = %+v", v)
	}
	if v, err = e.fw.Approve(ctx, e.as("supervisor"), v.ID, ""); err != nil || v.State != "approved" {
		t.Fatalf("Approve = %+v, %v", v, err)
	}
	if v, err = e.fw.SendNotice(ctx, e.as("supervisor"), v.ID, start.AddDays(2)); err != nil {
		t.Fatalf("SendNotice: %v", err)
	}
	if v.State != "noticed" || v.NoticeMessageID == 0 || !strings.HasPrefix(v.NoticeFor, start.AddDays(2).String()) {
		t.Fatalf("noticed visit = %+v", v)
	}
	return v
}

func savePair(t *testing.T, e *env, name, a1, a2, device string, v sqlstore.Visit) sqlstore.FieldPair {
	t.Helper()
	p, err := e.fw.SavePair(ctx, e.as("supervisor"), sqlstore.FieldPair{Name: name, Agent1: a1, Agent2: a2,
		BaseLat: v.Lat + 0.03, BaseLon: v.Lon + 0.03, DayFrom: "08:00", DayUntil: "20:00", SpeedKmh: 30, Capacity: 6,
		RecordingDevice: device, Active: true})
	if err != nil {
		t.Fatalf("SavePair: %v", err)
	}
	return p
}

func TestVisitEndToEnd(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), 400)
		cs := e.eligibleCases(t, 2)
		v1, v2 := approvedNoticed(t, e, cs[0]), approvedNoticed(t, e, cs[1])
		if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE id IN (?, ?) AND channel = 'sms'", v1.NoticeMessageID, v2.NoticeMessageID); n != 2 {
			t.Fatalf("%d notices in the outbox, want 2", n)
		}
		pair := savePair(t, e, "东区一组", "fa1", "fa2", "REC-7", v1)
		day := start.AddDays(2)

		e.at(start.AddDays(1), "17:00")
		res, err := e.fw.PlanDay(ctx, e.as("supervisor"), day)
		if err != nil {
			t.Fatalf("PlanDay: %v", err)
		}
		if len(res.Plans) != 1 || len(res.Plans[0].Plan.Stops) != 2 || len(res.LeftOut) != 0 {
			t.Fatalf("plan = %+v, left out %+v; want both visits on the pair's day", res.Plans, res.LeftOut)
		}
		if !strings.Contains(res.Plans[0].Plan.SVG, "<svg") {
			t.Errorf("the day plan has no map")
		}
		for _, v := range res.Plans[0].Visits {
			if v.State != "planned" || v.PairID != pair.ID || v.RecordingDevice != "REC-7" || v.PlannedStart.Before(v.NoticeSentAt.Add(24*3600e9)) {
				t.Errorf("planned visit = %+v", v)
			}
		}
		// The field agents reach the visits' cases through their visit tasks.
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE kind = 'visit' AND status = 'open' AND dedup_key LIKE 'visit:%'"); n != 4 {
			t.Errorf("%d open visit tasks for the agents, want 4 (2 visits × 2 agents)", n)
		}
		fa1 := e.as("fa1")
		page, err := e.fw.Visit(ctx, fa1, v1.ID)
		if err != nil {
			t.Fatal(err)
		}
		v1 = page.Visit
		if _, err := e.fw.Visit(ctx, e.as("fa3"), v1.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an agent of no pair sees the visit: %v", err)
		}
		if _, err := e.fw.Preparation(ctx, fa1, v1.ID); err != nil {
			t.Errorf("Preparation: %v", err)
		}

		// Check-in: one collector, no device, or at 22:30 are refused with the governor's reasons.
		e.set(v1.PlannedStart)
		for _, tc := range []struct {
			name   string
			req    fieldwork.CheckInRequest
			failed string
		}{
			{"one collector", fieldwork.CheckInRequest{Lat: v1.Lat, Lon: v1.Lon, RecordingDevice: "REC-7"}, "collectors_fewer_than_2"},
			{"no recording", fieldwork.CheckInRequest{Lat: v1.Lat, Lon: v1.Lon, Partner: "fa2"}, "recording_device_missing"},
		} {
			_, err := e.fw.CheckIn(ctx, fa1, v1.ID, tc.req)
			r, ok := fieldwork.AsRefused(err)
			if !ok || !strings.Contains(err.Error(), tc.failed) || errs.CodeOf(err) != errs.Forbidden {
				t.Errorf("%s: CheckIn = %v; want the governor's refusal naming %s", tc.name, err, tc.failed)
			} else if !r.Decision.Fired("CN-VISIT") {
				t.Errorf("%s: rules %v, want CN-VISIT", tc.name, r.Decision.Rules)
			}
		}
		e.at(day, "22:30")
		if _, err := e.fw.CheckIn(ctx, fa1, v1.ID, fieldwork.CheckInRequest{Lat: v1.Lat, Lon: v1.Lon, Partner: "fa2", RecordingDevice: "REC-7"}); err == nil ||
			!strings.Contains(err.Error(), "start_outside_allowed_hours") {
			t.Errorf("a check-in at 22:30 = %v; want the governor's refusal (start_outside_allowed_hours)", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'visit.checkin_refused'"); n != 3 {
			t.Errorf("%d refused check-ins audited, want 3", n)
		}

		// Check-in with both agents and the device, 300 m off the address: not flagged.
		e.set(v1.PlannedStart)
		got, err := e.fw.CheckIn(ctx, fa1, v1.ID, fieldwork.CheckInRequest{Lat: v1.Lat + 0.0027, Lon: v1.Lon, Partner: "fa2", RecordingDevice: "REC-7"})
		if err != nil {
			t.Fatalf("CheckIn: %v", err)
		}
		if got.State != "checked_in" || got.CheckInFlagged || got.CheckInDistanceM < 250 || got.CheckInDistanceM > 350 || len(got.CheckInAgents) != 2 {
			t.Errorf("checked in = %+v", got)
		}
		if _, err := e.fw.PlanDay(ctx, e.as("supervisor"), day); errs.CodeOf(err) != errs.Conflict {
			t.Errorf("planning a day that has started: %v, want Conflict", err)
		}
		photo := []byte("\xff\xd8 a photo of the door")
		out, err := e.fw.RecordOutcome(ctx, fa1, v1.ID, fieldwork.NewOutcome{Kind: visit.Promise, Note: "借款人承诺下周还款，电话13812345678",
			Amount: money.Yuan(1000), PromiseDate: day.AddDays(7),
			Attachments: []fieldwork.NewAttachment{{Name: "door.jpg", ContentType: "image/jpeg", Data: photo}}})
		if err != nil {
			t.Fatalf("RecordOutcome(promise): %v", err)
		}
		sum := sha256.Sum256(photo)
		if out.Visit.State != "done" || out.PromiseID == 0 || out.Entry.PromiseID != out.PromiseID ||
			len(out.Entry.Attachments) != 1 || out.Entry.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("outcome = %+v", out)
		}
		if strings.Contains(out.Entry.Note, "13812345678") {
			t.Errorf("the note keeps a phone number: %q", out.Entry.Note)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM promises WHERE id = ? AND case_id = ? AND channel = 'visit' AND amount_minor = 100000 AND status = 'open'",
			out.PromiseID, v1.CaseID); n != 1 {
			t.Errorf("the promise record is missing or wrong")
		}
		if n := e.count(t, "SELECT COUNT(*) FROM tasks WHERE dedup_key LIKE ? AND status = 'open'", "visit:"+strconv.FormatInt(v1.ID, 10)+":%"); n != 0 {
			t.Errorf("%d visit tasks still open after the outcome", n)
		}

		// The second visit opens a negotiation: a round held at the visit's address.
		page, _ = e.fw.Visit(ctx, fa1, v2.ID)
		v2 = page.Visit
		e.set(v2.PlannedStart)
		if _, err := e.fw.CheckIn(ctx, e.as("fa2"), v2.ID, fieldwork.CheckInRequest{Lat: v2.Lat, Lon: v2.Lon, Partner: "fa1", RecordingDevice: "REC-7"}); err != nil {
			t.Fatalf("CheckIn v2: %v", err)
		}
		out2, err := e.fw.RecordOutcome(ctx, e.as("fa2"), v2.ID, fieldwork.NewOutcome{Kind: visit.Negotiation, Note: "收入下降，希望分期"})
		if err != nil {
			t.Fatalf("RecordOutcome(negotiation): %v", err)
		}
		rounds, err := e.neg.Rounds(ctx, e.as("supervisor"), v2.CaseID)
		if err != nil || len(rounds) != 1 || rounds[0].ID != out2.RoundID || rounds[0].PlaceKind != "home_visit" ||
			rounds[0].Place != v2.AddressLine || rounds[0].Channel != "visit" {
			t.Fatalf("rounds = %+v, %v; want one home_visit round at %q", rounds, err, v2.AddressLine)
		}
		// A correction is a new entry pointing at the old one.
		fix, err := e.fw.RecordOutcome(ctx, e.as("fa2"), v2.ID, fieldwork.NewOutcome{Kind: visit.Negotiation, Note: "更正：希望12期", Corrects: out2.Entry.ID})
		if err != nil || fix.Entry.CorrectsID != out2.Entry.ID || fix.RoundID != 0 {
			t.Fatalf("correction = %+v, %v", fix, err)
		}
		page, _ = e.fw.Visit(ctx, e.as("supervisor"), v2.ID)
		if len(page.Entries) != 2 || page.Entries[0].Note != "收入下降，希望分期" {
			t.Errorf("entries after the correction = %+v", page.Entries)
		}
		inc, err := e.fw.ReportComplaint(ctx, e.as("supervisor"), v1.ID, "借款人来电投诉上门时间过早")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.fw.Incidents(ctx, e.as("fa1"), true); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("a field agent lists incidents: %v, want Forbidden", err)
		}
		pending, err := e.fw.Incidents(ctx, e.as("supervisor"), true)
		if err != nil || len(pending) != 1 || pending[0].ID != inc.ID || pending[0].Kind != "complaint" {
			t.Errorf("open incidents = %+v, %v", pending, err)
		}
		if err := e.fw.AcknowledgeIncident(ctx, e.as("supervisor"), inc.ID); err != nil {
			t.Error(err)
		}
		rep, err := e.fw.Report(ctx, e.as("supervisor"), start, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.ByPair) != 1 || rep.ByPair[0].Made != 2 || rep.ByPair[0].Outcomes["promise"] != 1 || rep.ByPair[0].TravelKm <= 0 ||
			rep.ByPair[0].CostPerVisit <= 0 || rep.ByPair[0].Complaints != 1 {
			t.Errorf("report by pair = %+v", rep.ByPair)
		}
	})
}
