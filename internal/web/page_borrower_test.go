package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

// TestBorrowerPhoneTailAndOpenCase: the borrower search finds borrowers by
// the last four digits of a phone, within the user's scope, and the
// borrower page links to the open case for those who work cases.
func TestBorrowerPhoneTailAndOpenCase(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), envOpts{Borrowers: 20})
	var tail string
	var other int64
	err := e.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctx, e.borrowerID)
		if err != nil {
			return err
		}
		n := b.Phones[0].Number
		tail = n[len(n)-4:]
		// Another borrower, outside the collector's scope, with a phone
		// ending in the same four digits.
		list, _, err := tx.Borrowers(ctx, sqlstore.BorrowerFilter{Limit: 100})
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.ID == e.borrowerID {
				continue
			}
			st := casework.Open
			cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &x.ID, Status: &st})
			if err != nil {
				return err
			}
			if len(cs) == 0 {
				other = x.ID
				phones := []borrower.Phone{{Number: "+86139000" + "0" + tail, Kind: "mobile"}}
				_, err = tx.UpdateBorrower(ctx, x.ID, sqlstore.BorrowerUpdate{Phones: &phones})
				return err
			}
		}
		t.Fatal("no second borrower without a case")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	search := func(r auth.Role) string {
		rec := e.do(t, request{role: r, method: "GET", url: "/borrowers?q=" + tail})
		if rec.Code != http.StatusOK {
			t.Fatalf("search as %s = %d", r, rec.Code)
		}
		return rec.Body.String()
	}
	link := func(id int64) string { return `href="/borrowers/` + strconv.FormatInt(id, 10) + `"` }
	body := search(auth.Admin)
	if !strings.Contains(body, link(e.borrowerID)) || !strings.Contains(body, link(other)) {
		t.Errorf("admin's tail search %s does not find both borrowers", tail)
	}
	body = search(auth.Collector)
	if !strings.Contains(body, link(e.borrowerID)) {
		t.Errorf("collector's tail search does not find the borrower in their scope")
	}
	if strings.Contains(body, link(other)) {
		t.Errorf("collector's tail search finds a borrower outside their scope")
	}
	if rec := e.do(t, request{role: auth.Admin, method: "GET", url: "/borrowers?q=0000x"}); strings.Contains(rec.Body.String(), link(other)) {
		t.Error("a five-character query is taken as a phone tail")
	}

	var caseID int64
	if err := e.db.Read(ctx, func(tx *sqlstore.Tx) error {
		st := casework.Open
		cs, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &e.borrowerID, Status: &st})
		if len(cs) > 0 {
			caseID = cs[0].ID
		}
		return err
	}); err != nil || caseID == 0 {
		t.Fatalf("the env's borrower has no open case (%v)", err)
	}
	url := "/borrowers/" + strconv.FormatInt(e.borrowerID, 10)
	want := `id="open-case" href="/cases/` + strconv.FormatInt(caseID, 10) + `"`
	for _, r := range []auth.Role{auth.Collector, auth.Supervisor, auth.AgencyAgent} {
		if rec := e.do(t, request{role: r, method: "GET", url: url}); !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: the borrower page does not link to the open case", r)
		}
	}
	if rec := e.do(t, request{role: auth.Auditor, method: "GET", url: url}); rec.Code != 200 || strings.Contains(rec.Body.String(), `id="open-case"`) {
		t.Errorf("auditor (no case:work): %d, link shown: %v", rec.Code, strings.Contains(rec.Body.String(), `id="open-case"`))
	}
	if rec := e.do(t, request{role: auth.Admin, method: "GET", url: "/borrowers/" + strconv.FormatInt(other, 10)}); strings.Contains(rec.Body.String(), `id="open-case"`) {
		t.Error("a borrower without an open case links to one")
	}
}
