package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/sqlstore"
)

// eligibleVisitCase returns an open case whose borrower may be visited (M2+,
// ¥1,000 overdue, no flags, a located address and a phone).
func eligibleVisitCase(t *testing.T, w *cwWeb) int64 {
	t.Helper()
	var id int64
	err := w.svc.Store().Read(context.Background(), func(tx *sqlstore.Tx) error {
		list, _, err := tx.Cases(context.Background(), sqlstore.CaseFilter{Limit: sqlstore.MaxLimit})
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Status != casework.Open || c.DPD < 31 || c.Overdue < 100000 {
				continue
			}
			b, err := tx.Borrower(context.Background(), c.BorrowerID)
			if err != nil {
				return err
			}
			if len(b.Flags) == 0 && len(b.Phones) > 0 && len(b.Addresses) > 0 && b.Addresses[0].Lat != 0 {
				if vs, _, _ := tx.Visits(context.Background(), sqlstore.VisitFilter{CaseID: c.ID}); len(vs) == 0 {
					id = c.ID
					return nil
				}
			}
		}
		return nil
	})
	if err != nil || id == 0 {
		t.Fatalf("no eligible case for a visit (%v)", err)
	}
	return id
}

// TestVisits_API walks the field-visit API's permissions and scope: who may
// ask for, approve, see and work a visit, field-named problems, the
// preparation pack and the report.
func TestVisits_API(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	caseID := eligibleVisitCase(t, w)
	body := fmt.Sprintf(`{"case_id":%d,"purpose":"面谈了解还款困难","target":"开启二次协商"}`, caseID)

	rec := w.do(t, auth.FieldAgent, "POST", "/api/v1/visits", body)
	wantStatus(t, rec, http.StatusForbidden, "a field agent asks for a visit")
	rec = w.do(t, auth.Admin, "POST", "/api/v1/visits", fmt.Sprintf(`{"case_id":%d,"purpose":"x","pref_from":"10:00"}`, caseID))
	wantStatus(t, rec, http.StatusUnprocessableEntity, "half a preferred time")
	wantBody(t, rec, "half a preferred time", "pref_until")
	rec = w.do(t, auth.Admin, "POST", "/api/v1/visits", body)
	wantStatus(t, rec, http.StatusCreated, "request a visit")
	var v visitView
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.ID == 0 || v.State != "requested" || v.ExpectedValue <= 0 || v.Cost <= 0 {
		t.Fatalf("requested visit %+v (%v)", v, err)
	}
	url := fmt.Sprintf("/api/v1/visits/%d", v.ID)

	rec = w.do(t, auth.FieldAgent, "GET", url, "")
	wantStatus(t, rec, http.StatusNotFound, "a field agent of no pair reads the visit")
	wantBody(t, rec, "a field agent of no pair reads the visit", fmt.Sprintf("Visit %d not found", v.ID))
	rec = w.do(t, auth.Auditor, "GET", url, "")
	wantStatus(t, rec, http.StatusForbidden, "an auditor reads a visit")
	rec = w.do(t, auth.Collector, "POST", url+"/approve", `{}`)
	wantStatus(t, rec, http.StatusForbidden, "a collector approves")
	rec = w.do(t, auth.Admin, "POST", "/api/v1/visits/decisions", fmt.Sprintf(`{"ids":[%d],"approve":true}`, v.ID))
	wantStatus(t, rec, http.StatusOK, "bulk approval by the requester")
	wantBody(t, rec, "bulk approval by the requester", `"ok":false`, `"code":"forbidden"`)
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/visits/decisions", fmt.Sprintf(`{"ids":[%d],"approve":true}`, v.ID))
	wantStatus(t, rec, http.StatusOK, "bulk approval")
	wantBody(t, rec, "bulk approval", `"ok":true`, `"state":"approved"`)

	rec = w.do(t, auth.Supervisor, "GET", url+"/pack", "")
	wantStatus(t, rec, http.StatusOK, "preparation pack")
	wantBody(t, rec, "preparation pack", `"payment_channels"`, "不收取现金", `"approach"`)
	if strings.Contains(rec.Body.String(), "cash\"") {
		t.Errorf("the pack names cash as a channel")
	}
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/visits?state=approved", "")
	wantStatus(t, rec, http.StatusOK, "list approved visits")
	wantBody(t, rec, "list approved visits", fmt.Sprintf(`"id":%d`, v.ID))
	rec = w.do(t, auth.FieldAgent, "GET", "/api/v1/visits", "")
	wantStatus(t, rec, http.StatusOK, "a field agent lists visits")
	wantBody(t, rec, "a field agent lists visits", `"total":0`)

	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/field-pairs", `{"name":"一组","agent1":"field_agent","agent2":"collector","base_lat":31.2,"base_lon":121.4,"day_from":"09:00","day_until":"18:00","speed_kmh":30,"capacity":5,"active":true}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a pair with a collector")
	wantBody(t, rec, "a pair with a collector", "agent2")
	rec = w.do(t, auth.Collector, "POST", "/api/v1/field-pairs", `{"name":"x"}`)
	wantStatus(t, rec, http.StatusForbidden, "a collector makes a pair")

	rec = w.do(t, auth.Auditor, "GET", "/api/v1/visit-report?from=2026-03-01&to=2026-03-31", "")
	wantStatus(t, rec, http.StatusOK, "visit report")
	wantBody(t, rec, "visit report", `"by_pair"`, `"comparison"`)
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/visit-report?from=2026-03-31&to=2026-03-01", "")
	wantStatus(t, rec, http.StatusUnprocessableEntity, "a report ending before it starts")
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/visit-days/2026-03-04/plan", "")
	wantStatus(t, rec, http.StatusConflict, "planning without pairs")
	rec = w.do(t, auth.Supervisor, "POST", url+"/cancel", `{"note":"借款人已还款"}`)
	wantStatus(t, rec, http.StatusOK, "cancel")
	wantBody(t, rec, "cancel", `"state":"cancelled"`)
}
