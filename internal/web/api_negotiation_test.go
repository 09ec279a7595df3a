package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"testing"

	"github.com/govalues/decimal"

	"accord/internal/auth"
	"accord/internal/negotiation"
	"accord/internal/offer"
	"accord/internal/sqlstore"
)

// activations is an Activator that counts what it was given.
type activations struct {
	mu  sync.Mutex
	got []negotiation.Agreement
}

func (a *activations) Activate(_ context.Context, _ *sqlstore.Tx, ag negotiation.Agreement) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.got = append(a.got, ag)
	return nil
}

func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T: %v: %.300s", v, err, body)
	}
	return v
}

var smsCode = regexp.MustCompile(`确认码为(\d{6})|code is (\d{6})`)

// TestNegotiation_API walks a case through the negotiation API: assess,
// propose, approve (four eyes, authority, permission), agreement, SMS code
// (wrong, right), rounds with an attachment, the team budget, and the
// scope and field-named problems on the way.
func TestNegotiation_API(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	act := &activations{}
	w.srv.neg.UseActivator(act)
	w.srv.neg.UseBudgetShare(decimal.MustParse("0.5"))
	rec := w.do(t, auth.Collector, "GET", "/api/v1/cases?limit=1", "")
	wantStatus(t, rec, http.StatusOK, "list cases")
	cases := decode[struct{ Items []struct{ ID int64 } }](t, rec.Body.Bytes())
	if len(cases.Items) == 0 {
		t.Fatal("the collector has no case")
	}
	base := fmt.Sprintf("/api/v1/cases/%d", cases.Items[0].ID)

	rec = w.do(t, auth.Collector, "POST", base+"/assessments", `{"monthly_income":"-5.00","other_debt_payments":"0","dependants":0,"liquid_assets":"0","hardship_months":0}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "negative income")
	wantBody(t, rec, "negative income", `"location":"body.monthly_income"`)
	rec = w.do(t, auth.Collector, "POST", base+"/offers", "")
	wantStatus(t, rec, http.StatusConflict, "offers before an assessment")
	rec = w.do(t, auth.Collector, "POST", base+"/assessments", `{"monthly_income":"4200.00","income_evidence":"payslip",
		"other_debt_payments":"300.00","dependants":1,"liquid_assets":"100.00","hardship":"job_loss","hardship_months":2,
		"willingness":"willing","evidence":"工资流水三个月"}`)
	wantStatus(t, rec, http.StatusCreated, "assess")
	as := decode[sqlstore.Assessment](t, rec.Body.Bytes())
	if as.Version != 1 || as.Result.Sustainable <= 0 || len(as.Result.Steps) == 0 {
		t.Fatalf("assessment %+v", as)
	}
	rec = w.do(t, auth.Collector, "GET", base+"/assessments", "")
	wantStatus(t, rec, http.StatusOK, "list assessments")

	rec = w.do(t, auth.Collector, "POST", base+"/offers", "")
	wantStatus(t, rec, http.StatusCreated, "propose offers")
	offers := decode[struct{ Items []sqlstore.Offer }](t, rec.Body.Bytes()).Items
	if len(offers) < 3 || offers[0].Status != sqlstore.OfferProposed || len(offers[0].Offer.Schedule) == 0 {
		t.Fatalf("offers: %d", len(offers))
	}
	rec = w.do(t, auth.FieldAgent, "GET", base+"/offers", "")
	if rec.Code != http.StatusNotFound {
		t.Errorf("a field agent outside the scope lists the offers: %d", rec.Code)
	}
	var mid, high sqlstore.Offer
	m := offer.DefaultAuthority()
	for _, o := range offers {
		switch {
		case mid.ID == 0 && o.Concession > 0 && m.MayApprove(offer.Supervisor, o.Offer.Concession):
			mid = o
		case high.ID == 0 && !m.MayApprove(offer.Supervisor, o.Offer.Concession):
			high = o
		}
	}
	if mid.ID == 0 || high.ID == 0 {
		t.Fatalf("no offer for a supervisor (%d) or beyond one (%d)", mid.ID, high.ID)
	}
	approve := fmt.Sprintf("/api/v1/offers/%d/approve", mid.ID)
	rec = w.do(t, auth.Collector, "POST", approve, `{"reason":"ok"}`)
	wantStatus(t, rec, http.StatusForbidden, "a collector approves")
	rec = w.do(t, auth.Supervisor, "POST", fmt.Sprintf("/api/v1/offers/%d/approve", high.ID), `{"reason":"ok"}`)
	wantStatus(t, rec, http.StatusForbidden, "above the supervisor's authority")
	wantBody(t, rec, "above the supervisor's authority", "manager")
	rec = w.do(t, auth.Supervisor, "POST", approve, `{"reason":"收入证明齐全"}`)
	wantStatus(t, rec, http.StatusOK, "approve")
	if o := decode[sqlstore.Offer](t, rec.Body.Bytes()); o.Status != sqlstore.OfferApproved || o.DecidedBy != "supervisor" {
		t.Errorf("approved: %s by %s", o.Status, o.DecidedBy)
	}
	rec = w.do(t, auth.Admin, "POST", fmt.Sprintf("/api/v1/offers/%d/reject", high.ID), `{}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "reject without a reason")
	wantBody(t, rec, "reject without a reason", `"location":"body.reason"`)
	rec = w.do(t, auth.Supervisor, "GET", fmt.Sprintf("/api/v1/teams/%d/restructuring-budget", mid.TeamID), "")
	wantStatus(t, rec, http.StatusOK, "team budget")
	if b := decode[negotiation.Budget](t, rec.Body.Bytes()); b.Used != mid.Concession || b.Budget <= 0 {
		t.Errorf("budget %+v, want %s used", b, mid.Concession)
	}
	rec = w.do(t, auth.Collector, "GET", fmt.Sprintf("/api/v1/offers/%d", mid.ID), "")
	wantStatus(t, rec, http.StatusOK, "offer record")
	wantBody(t, rec, "offer record", `"action":"propose"`, `"action":"approve"`, `"level":"supervisor"`)

	rec = w.do(t, auth.Collector, "POST", fmt.Sprintf("/api/v1/offers/%d/agreement", mid.ID), "")
	wantStatus(t, rec, http.StatusCreated, "agreement")
	ag := decode[sqlstore.Agreement](t, rec.Body.Bytes())
	if ag.Status != sqlstore.AgreementPending || ag.TextZH == "" || ag.TextEN == "" {
		t.Fatalf("agreement %+v", ag)
	}
	agURL := fmt.Sprintf("/api/v1/agreements/%d", ag.ID)
	rec = w.do(t, auth.Collector, "POST", agURL+"/send-code", "")
	wantStatus(t, rec, http.StatusOK, "send code")
	wantBody(t, rec, "send code", `"codes_sent":1`)
	ag = decode[sqlstore.Agreement](t, rec.Body.Bytes())
	var body string
	if err := w.svc.Store().Read(context.Background(), func(tx *sqlstore.Tx) error {
		msg, err := tx.Message(context.Background(), ag.MessageID)
		if err != nil {
			return err
		}
		err = tx.RenderMessageSecret(context.Background(), &msg) // as the sender would
		body = msg.Body
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sm := smsCode.FindStringSubmatch(body)
	if sm == nil {
		t.Fatalf("no code in %q", body)
	}
	code := sm[1] + sm[2]
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	rec = w.do(t, auth.Collector, "POST", agURL+"/accept", `{"code":"`+wrong+`"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "wrong code")
	wantBody(t, rec, "wrong code", `"location":"body.code"`, "4 tries left")
	rec = w.do(t, auth.Collector, "POST", agURL+"/accept", `{"code":"`+code+`"}`)
	wantStatus(t, rec, http.StatusOK, "accept")
	wantBody(t, rec, "accept", `"status":"accepted"`, `"method":"sms_code"`)
	if len(act.got) != 1 || act.got[0].ID != ag.ID {
		t.Errorf("activations %+v", act.got)
	}
	rec = w.do(t, auth.Collector, "GET", agURL, "")
	wantStatus(t, rec, http.StatusOK, "get agreement")
	wantBody(t, rec, "get agreement", "还款计划", "Schedule")
	rec = w.do(t, auth.FieldAgent, "GET", agURL, "")
	wantStatus(t, rec, http.StatusNotFound, "agreement outside the scope")

	photo := base64.StdEncoding.EncodeToString([]byte{0xff, 0xd8, 0xff, 1, 2, 3})
	rec = w.do(t, auth.Collector, "POST", base+"/rounds", `{"place_kind":"home_visit","channel":"visit","participants":["collector"],"outcome":"accepted"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "home visit without an address")
	wantBody(t, rec, "home visit without an address", `"location":"body.place"`)
	rec = w.do(t, auth.Collector, "POST", base+"/rounds", `{"place_kind":"home_visit","place":"上海市浦东新区某路2号","channel":"visit",
		"participants":["collector","借款人"],"situation":"失业","offers_made":[`+fmt.Sprint(mid.ID)+`],"outcome":"accepted",
		"attachments":[{"name":"photo.jpg","content_type":"image/jpeg","data":"`+photo+`"}]}`)
	wantStatus(t, rec, http.StatusCreated, "add round")
	r := decode[sqlstore.Round](t, rec.Body.Bytes())
	if len(r.Attachments) != 1 || len(r.Attachments[0].SHA256) != 64 || r.Attachments[0].Size != 6 {
		t.Errorf("round %+v", r)
	}
	rec = w.do(t, auth.Collector, "GET", base+"/rounds", "")
	wantStatus(t, rec, http.StatusOK, "list rounds")
	if rs := decode[struct{ Items []sqlstore.Round }](t, rec.Body.Bytes()).Items; len(rs) != 1 || rs[0].ID != r.ID {
		t.Errorf("rounds %+v", rs)
	}
}
