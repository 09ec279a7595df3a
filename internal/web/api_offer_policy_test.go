package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"accord/internal/auth"
)

func TestOfferPolicyAPI(t *testing.T) {
	t.Parallel()
	w := newCWWeb(t)
	id := func(body []byte) string {
		t.Helper()
		var v struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(body, &v); err != nil || v.ID == 0 {
			t.Fatalf("no id in %.300s (%v)", body, err)
		}
		return strconv.FormatInt(v.ID, 10)
	}
	rec := w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policies", `{"name":"gentle","max_term_months":-1}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "invalid policy")
	wantBody(t, rec, "invalid policy", "max_term_months")
	rec = w.do(t, auth.Collector, "POST", "/api/v1/offer-policies", `{"name":"gentle"}`)
	wantStatus(t, rec, http.StatusForbidden, "collector saving a policy")

	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policies", `{"name":"gentle","max_term_months":48}`)
	wantStatus(t, rec, http.StatusCreated, "create policy")
	wantBody(t, rec, "create policy", `"version":1`, `"status":"draft"`, `"max_term_months":48`)
	gentle := id(rec.Body.Bytes())
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policies/"+gentle+"/publish", "")
	wantStatus(t, rec, http.StatusForbidden, "the author publishing")
	wantBody(t, rec, "the author publishing", "Four eyes")
	rec = w.do(t, auth.Admin, "POST", "/api/v1/offer-policies/"+gentle+"/publish", "")
	wantStatus(t, rec, http.StatusOK, "publish by another user")
	wantBody(t, rec, "publish", `"status":"published"`, `"published_by":"admin"`)

	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policies", `{"name":"firm","max_term_months":12}`)
	wantStatus(t, rec, http.StatusCreated, "create challenger")
	firm := id(rec.Body.Bytes())
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policy-experiments", `{"challenger":`+firm+`,"challenger_share":1.5}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity, "share above 1")
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policy-experiments", `{"challenger":`+firm+`,"challenger_share":0.5}`)
	wantStatus(t, rec, http.StatusCreated, "start experiment")
	wantBody(t, rec, "start experiment", `"champion":`+gentle+`,`, `"status":"active"`)
	exp := id(rec.Body.Bytes())

	rec = w.do(t, auth.Auditor, "GET", "/api/v1/offer-policy-experiments/"+exp+"/results", "")
	wantStatus(t, rec, http.StatusOK, "results")
	var res struct {
		Champion, Challenger struct {
			Arm     string `json:"arm"`
			Version struct {
				Name string `json:"name"`
			} `json:"version"`
			KeptRate *struct {
				N int `json:"n"`
			} `json:"kept_rate"`
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || res.Champion.Version.Name != "gentle" ||
		res.Challenger.Version.Name != "firm" || res.Challenger.Arm != "challenger" || res.Challenger.KeptRate == nil {
		t.Errorf("results %.500s (%v), want gentle as champion and firm as challenger with kept rates", rec.Body.String(), err)
	}
	rec = w.do(t, auth.Collector, "GET", "/api/v1/offer-policy-experiments/"+exp+"/results", "")
	wantStatus(t, rec, http.StatusForbidden, "collector reading results")

	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/offer-policies", "")
	wantStatus(t, rec, http.StatusOK, "list policies")
	var list []struct{ Name string }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != 2 || list[0].Name != "firm" {
		t.Errorf("policy list %.300s (%v), want firm then gentle", rec.Body.String(), err)
	}
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policy-experiments/"+exp+"/stop", "")
	wantStatus(t, rec, http.StatusNoContent, "stop")
	rec = w.do(t, auth.Supervisor, "POST", "/api/v1/offer-policy-experiments/"+exp+"/stop", "")
	wantStatus(t, rec, http.StatusConflict, "stop twice")
	rec = w.do(t, auth.Supervisor, "GET", "/api/v1/offer-policy-experiments", "")
	wantStatus(t, rec, http.StatusOK, "list experiments")
	wantBody(t, rec, "list experiments", `"status":"stopped"`)
}
