package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accord/internal/fieldwork"
	"accord/internal/visit"
)

// TestVisitApprovalsPage_Incidents: an incident recorded at the door is on
// the supervisor's approvals page at once, with the agent's note, until
// the supervisor acknowledges it; a field agent may not acknowledge.
func TestVisitApprovalsPage_Incidents(t *testing.T) {
	t.Parallel()
	d := newVisitDay(t)
	ctx := context.Background()
	v := d.v
	if _, err := d.fw.CheckIn(ctx, d.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat, Lon: v.Lon, Partner: "fa2", RecordingDevice: "REC-7"}); err != nil {
		t.Fatal(err)
	}
	out, err := d.fw.RecordOutcome(ctx, d.as("fa1"), v.ID, fieldwork.NewOutcome{Kind: visit.Incident, Note: "家属情绪激动，推搡催收员"})
	if err != nil {
		t.Fatal(err)
	}
	rec := d.do(t, "supervisor", "GET", "/visits/approvals", nil)
	wantStatus(t, rec, http.StatusOK, "the approvals page")
	wantBody(t, rec, "the approvals page", `id="open-incidents"`, fmt.Sprintf(`id="incident-%d"`, out.IncidentID), "冲突或安全事件",
		"家属情绪激动，推搡催收员", "已知悉")
	ack := fmt.Sprintf("/visits/incidents/%d/acknowledge", out.IncidentID)
	if rec := d.do(t, "fa1", "POST", ack, url.Values{}); rec.Code != http.StatusForbidden {
		t.Errorf("a field agent acknowledges an incident: %d", rec.Code)
	}
	rec = d.do(t, "supervisor", "POST", ack, url.Values{})
	wantStatus(t, rec, http.StatusSeeOther, "acknowledging")
	rec = d.do(t, "supervisor", "GET", "/visits/approvals", nil)
	if strings.Contains(rec.Body.String(), fmt.Sprintf(`id="incident-%d"`, out.IncidentID)) {
		t.Errorf("the acknowledged incident is still listed")
	}
}

// TestVisitDaysPage_FlaggedCheckIn: a check-in 2 km from the address is
// flagged on the supervisor's day page, with the distance.
func TestVisitDaysPage_FlaggedCheckIn(t *testing.T) {
	t.Parallel()
	d := newVisitDay(t)
	v := d.v
	got, err := d.fw.CheckIn(context.Background(), d.as("fa1"), v.ID, fieldwork.CheckInRequest{Lat: v.Lat + 0.018, Lon: v.Lon, Partner: "fa2",
		RecordingDevice: "REC-7"})
	if err != nil || !got.CheckInFlagged {
		t.Fatalf("CheckIn 2 km away = %+v, %v", got.CheckInFlagged, err)
	}
	rec := d.do(t, "supervisor", "GET", "/visits/days?date="+v.PlannedOn.String(), nil)
	wantStatus(t, rec, http.StatusOK, "the day page")
	wantBody(t, rec, "the day page", fmt.Sprintf(`id="flagged-%d"`, v.ID), "签到距地址较远", fmt.Sprintf("(%d m)", int64(got.CheckInDistanceM+0.5)))
}
