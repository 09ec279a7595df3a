package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/sqlstore/storetest"
)

// TestModelAPI trains a cure model over the API on a demo book's history,
// refuses its trainer's approval, has an admin approve and promote it, and
// lists it; roles without model permissions are refused.
func TestModelAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 800, Quiet: true})
	if got := e.do(t, request{role: auth.Collector, method: "GET", url: "/api/v1/models"}); got.Code != http.StatusForbidden {
		t.Errorf("a collector lists models: %d, want 403", got.Code)
	}
	if got := e.do(t, request{role: auth.Supervisor, method: "POST", url: "/api/v1/models", body: `{"target":"cure31"}`}); got.Code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown target: %d, want 422", got.Code)
	}
	got := e.do(t, request{role: auth.Supervisor, method: "POST", url: "/api/v1/models",
		body: `{"target":"cure30","as_of":"2026-03-01","snapshots":6,"every":7,"l2":1}`})
	if got.Code != http.StatusCreated {
		t.Fatalf("train: %d %s", got.Code, got.Body)
	}
	var v struct {
		ID      int64
		Status  string
		Summary struct {
			TrainRows int `json:"train_rows"`
		}
	}
	if err := json.Unmarshal(got.Body.Bytes(), &v); err != nil || v.Status != "trained" || v.Summary.TrainRows == 0 {
		t.Fatalf("trained model = %+v (%v)", v, err)
	}
	id := strconv.FormatInt(v.ID, 10)
	if got := e.do(t, request{role: auth.Supervisor, method: "POST", url: "/api/v1/models/" + id + "/approve"}); got.Code != http.StatusForbidden {
		t.Errorf("the trainer approves: %d, want 403", got.Code)
	}
	if got := e.do(t, request{role: auth.Admin, method: "POST", url: "/api/v1/models/" + id + "/approve"}); got.Code != http.StatusOK {
		t.Fatalf("approve: %d %s", got.Code, got.Body)
	}
	if got := e.do(t, request{role: auth.Admin, method: "POST", url: "/api/v1/models/" + id + "/promote", body: `{"role":"challenger","share":0}`}); got.Code != http.StatusUnprocessableEntity {
		t.Errorf("a challenger without a share: %d, want 422", got.Code)
	}
	got = e.do(t, request{role: auth.Admin, method: "POST", url: "/api/v1/models/" + id + "/promote", body: `{"role":"champion"}`})
	if got.Code != http.StatusOK || !strings.Contains(got.Body.String(), `"status":"champion"`) {
		t.Fatalf("promote: %d %s", got.Code, got.Body)
	}
	list := e.do(t, request{role: auth.Admin, method: "GET", url: "/api/v1/models"})
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), `"approved_by":"admin"`) || strings.Contains(list.Body.String(), `"body"`) {
		t.Errorf("list: %d %s", list.Code, list.Body)
	}
}
