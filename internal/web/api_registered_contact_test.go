package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/collect"
)

func TestAPI_RegisteredContacts(t *testing.T) {
	for _, o := range openers() {
		t.Run(o.name, func(t *testing.T) {
			e := newEnv(t, o.open(t), envOpts{})
			url := "/api/v1/borrowers/" + strconv.FormatInt(e.borrowerID, 10) + "/contacts"
			body := `{"external_id":"CX-1","name":"李四","relationship":"parent","phone":"+8613700137000",` +
				`"consent_basis":"loan_application","consent_at":"2026-01-05T10:00:00+08:00"}`

			if rec := e.do(t, request{role: auth.Collector, method: http.MethodPost, url: url, body: body}); rec.Code != http.StatusForbidden {
				t.Errorf("collector POST = %d, want 403", rec.Code)
			}
			rec := e.do(t, request{role: auth.Admin, method: http.MethodPost, url: url, body: body})
			if rec.Code != http.StatusCreated {
				t.Fatalf("admin POST = %d %s", rec.Code, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "13700137000") || !strings.Contains(rec.Body.String(), "137****7000") {
				t.Errorf("created contact not masked: %s", rec.Body)
			}
			if rec := e.do(t, request{role: auth.Admin, method: http.MethodPost, url: url, body: body}); rec.Code != http.StatusConflict {
				t.Errorf("same external id again = %d, want 409", rec.Code)
			}
			bad := strings.Replace(body, "+8613700137000", "137", 1)
			bad = strings.Replace(bad, `"CX-1"`, `"CX-2"`, 1)
			rec = e.do(t, request{role: auth.Admin, method: http.MethodPost, url: url, body: bad})
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "body.phone") {
				t.Errorf("bad phone = %d %s, want 422 naming body.phone", rec.Code, rec.Body)
			}

			rec = e.do(t, request{role: auth.Auditor, method: http.MethodGet, url: url})
			if rec.Code != http.StatusOK {
				t.Fatalf("auditor GET = %d %s", rec.Code, rec.Body)
			}
			var list []borrower.Contact
			if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, c := range list {
				found = found || (c.ExternalID == "CX-1" && c.Phone == "137****7000" && c.Relationship == "parent")
			}
			if !found {
				t.Errorf("registered contact missing from %s", rec.Body)
			}
			ev, err := e.svc.AuditEvents(ctx, collect.Actor{User: e.users[auth.Admin]}, 0, 5)
			if err != nil || len(ev) == 0 || ev[0].Action != "contact.create" {
				t.Errorf("latest audit event = %+v, %v; want contact.create", ev, err)
			}
			if rec := e.do(t, request{role: auth.Admin, method: http.MethodGet, url: "/api/v1/borrowers/999999999/contacts"}); rec.Code != http.StatusNotFound {
				t.Errorf("unknown borrower = %d, want 404", rec.Code)
			}
		})
	}
}
