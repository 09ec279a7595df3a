package collect

import (
	"testing"

	"accord/internal/auth"
	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// TestMayContact: an agency agent reaches only borrowers whose open case is
// placed with their agency (anything else is not found, as if it did not
// exist); a collector logs on a case only if they may work it; supervisors
// reach anyone.
func TestMayContact(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 400)
		e.run(t, cwStart)
		agent := e.as(auth.AgencyAgent)
		var placed, inhouse sqlstore.Case
		e.read(t, func(tx *sqlstore.Tx) error {
			st := casework.Open
			list, _, err := tx.Cases(cwCtx, sqlstore.CaseFilter{Status: &st, Limit: 1000})
			for _, c := range list {
				switch {
				case c.Owner.Kind == casework.ToAgency && c.Owner.ID == agent.User.AgencyID && placed.ID == 0:
					placed = c
				case c.Owner.Kind == casework.ToCollector && inhouse.ID == 0:
					inhouse = c
				}
			}
			return err
		})
		if inhouse.ID == 0 {
			t.Fatal("no in-house case in the demo")
		}
		if _, err := e.svc.ContactPanel(cwCtx, agent, inhouse.BorrowerID, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("agency agent on an in-house borrower: %v, want NotFound", err)
		}
		_, err := e.svc.LogContact(cwCtx, agent, ContactRequest{BorrowerID: inhouse.BorrowerID, Channel: compliance.Call, To: "phone:1",
			Outcome: compliance.NoAnswer})
		if errs.CodeOf(err) != errs.NotFound {
			t.Errorf("agency agent logs a call to an in-house borrower: %v, want NotFound", err)
		}
		if placed.ID != 0 {
			if _, err := e.svc.ContactPanel(cwCtx, agent, placed.BorrowerID, 0); err != nil {
				t.Errorf("agency agent on their own placement: %v", err)
			}
		}
		if _, err := e.svc.ContactPanel(cwCtx, e.as(auth.Supervisor), inhouse.BorrowerID, inhouse.ID); err != nil {
			t.Errorf("supervisor: %v", err)
		}
	})
}

// TestMayContact_InHouseCollector: from the borrower page (no case named)
// an in-house collector opens the contact panel, checks and logs contacts
// only for the borrowers of cases they may work; another collector's
// borrower is not found, as if they did not exist, and nothing is logged.
func TestMayContact_InHouseCollector(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		e.run(t, cwStart)
		bk := newScopeBook(t, e)
		col := e.as(auth.Collector)
		if _, err := e.svc.ContactPanel(cwCtx, col, bk.own.BorrowerID, 0); err != nil {
			t.Errorf("panel of the collector's own borrower: %v", err)
		}
		if _, err := e.svc.ContactPanel(cwCtx, col, bk.other.BorrowerID, 0); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("panel of another collector's borrower: %v, want NotFound", err)
		}
		req := ContactRequest{BorrowerID: bk.other.BorrowerID, Channel: compliance.Call, To: "phone:1", Outcome: compliance.NoAnswer}
		if _, err := e.svc.CheckContact(cwCtx, col, req); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("check of a call to another collector's borrower: %v, want NotFound", err)
		}
		before := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE borrower_id = ?", bk.other.BorrowerID)
		if _, err := e.svc.LogContact(cwCtx, col, req); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("log of a call to another collector's borrower: %v, want NotFound", err)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE borrower_id = ?", bk.other.BorrowerID); n != before {
			t.Errorf("%d attempts logged for a borrower out of scope", n-before)
		}
	})
}
