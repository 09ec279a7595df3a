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
