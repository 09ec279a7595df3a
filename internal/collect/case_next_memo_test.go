package collect

import (
	"reflect"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/borrower"
	"accord/internal/casework"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// TestGovernorFactsOf_SameAsOneByOne: the governor's facts of many
// borrowers read at once (what a batch of "Get next case" presses does)
// are exactly what reading each borrower's alone returns — phones, emails,
// registered contacts and their flags, consents, opt-outs, and the contact
// history since the given instant but nothing before it — and a borrower
// that does not exist is absent. On both engines.
func TestGovernorFactsOf_SameAsOneByOne(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 300)
		now := e.clock()
		since := now.Add(-historyWindow)
		var ids []int64
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			list, _, err := tx.Borrowers(cwCtx, sqlstore.BorrowerFilter{Limit: 1000})
			if err != nil {
				return err
			}
			for _, b := range list {
				ids = append(ids, b.ID)
			}
			for i, id := range ids[:12] {
				if err := tx.SetBorrowerEmails(cwCtx, id, []string{"a" + string(rune('a'+i)) + "@example.com", "b@example.com"}); err != nil {
					return err
				}
				c := borrower.Contact{BorrowerID: id, Name: "联系人", Relationship: "friend", Phone: "+8613800138000"}
				if err := tx.CreateContact(cwCtx, &c); err != nil {
					return err
				}
				if i%2 == 0 {
					if err := tx.SetContactFlags(cwCtx, c.ID, []string{compliance.FlagDebtRelatedApproved}); err != nil {
						return err
					}
				}
				cons := sqlstore.Consent{BorrowerID: id, Consent: compliance.Consent{Kind: "contact_window", Channel: compliance.Call,
					Window: "09:00-12:00", GivenAt: now.Add(-48 * time.Hour), Expires: now.Add(30 * 24 * time.Hour)}}
				if err := tx.CreateConsent(cwCtx, &cons); err != nil {
					return err
				}
				if err := tx.CreateOptOut(cwCtx, id, compliance.OptOut{Channel: compliance.SMS}); err != nil {
					return err
				}
				// Two calls in the window, one before it, one not performed.
				for j, at := range []time.Time{now.Add(-time.Hour), now.Add(-30 * 24 * time.Hour), since.Add(-time.Minute), now.Add(-2 * time.Hour)} {
					a := sqlstore.ContactAttempt{BorrowerID: id, Channel: compliance.Call, Party: compliance.ToBorrower,
						Address: "+8613900139000", By: "org", Username: "collector", StartedAt: at, Outcome: compliance.Connected,
						Performed: j != 3}
					if err := tx.CreateContactAttempt(cwCtx, &a); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(ids) <= 130 {
			t.Fatalf("%d borrowers: too few to read in more than one chunk", len(ids))
		}
		const missing = 1 << 40
		e.read(t, func(tx *sqlstore.Tx) error {
			got, err := tx.GovernorFactsOf(cwCtx, append([]int64{missing, ids[0]}, ids...), since)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := got[missing]; ok || len(got) != len(ids) {
				t.Fatalf("%d facts for %d borrowers and one that does not exist", len(got), len(ids))
			}
			for _, id := range ids {
				var want sqlstore.GovernorFacts
				var err error
				if want.Borrower, err = tx.Borrower(cwCtx, id); err != nil {
					return err
				}
				if want.Emails, err = tx.BorrowerEmails(cwCtx, id); err != nil {
					return err
				}
				if want.Contacts, err = tx.ContactsByBorrower(cwCtx, id); err != nil {
					return err
				}
				if want.ContactFlags, err = tx.ContactFlags(cwCtx, id); err != nil {
					return err
				}
				if want.Consents, err = tx.BorrowerConsents(cwCtx, id); err != nil {
					return err
				}
				if want.OptOuts, err = tx.BorrowerOptOuts(cwCtx, id); err != nil {
					return err
				}
				if want.History, err = tx.ContactHistory(cwCtx, id, since); err != nil {
					return err
				}
				if !reflect.DeepEqual(*got[id], want) {
					t.Errorf("borrower %d: read together\n%+v\nread alone\n%+v", id, *got[id], want)
				}
			}
			if f := got[ids[0]]; len(f.History) != 2 || len(f.Emails) != 2 || len(f.Contacts) == 0 || len(f.ContactFlags) != 1 ||
				len(f.Consents) != 1 || len(f.OptOuts) != 1 || len(f.Borrower.Phones) == 0 {
				t.Errorf("borrower %d: facts %+v, want 2 calls in the window, 2 emails, a flagged contact, a consent, an opt-out, phones", ids[0], f)
			}
			return nil
		})
	})
}

// TestNextCase_BatchMemo: presses run together in one transaction, their
// governor's facts read for all of them before any runs, decide as each
// would alone: two collectors whose top case's borrower is at the day's
// call limit (three connected calls today, read in the batch's facts) are
// each handed their next case; a second press on the same queue reads the
// queue again and gets the case after; a user who is not a collector is
// told they have no queue; a press on an empty queue is told so. On both
// engines.
func TestNextCase_BatchMemo(t *testing.T) {
	t.Parallel()
	cwEngines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newCW(t, open(t), 600)
		e.run(t, cwStart)
		col := e.as(auth.Collector)
		wb, err := e.svc.Workbench(cwCtx, col, 1000)
		if err != nil {
			t.Fatal(err)
		}
		// A second collector, given four cases of others, and a third with none.
		var col2, col3 Actor
		var owner2 casework.Owner
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			teams, err := tx.Teams(cwCtx)
			if err != nil {
				return err
			}
			for i, a := range []*Actor{&col2, &col3} {
				u := auth.User{Username: "second" + string(rune('0'+i)), Roles: []auth.Role{auth.Collector}}
				if err := tx.CreateUser(cwCtx, &u); err != nil {
					return err
				}
				c := sqlstore.Collector{Collector: casework.Collector{Name: u.Username, Capacity: 50, Active: true}, UserID: u.ID, TeamID: teams[0].ID}
				if err := tx.CreateCollector(cwCtx, &c); err != nil {
					return err
				}
				*a = Actor{User: u, RequestID: "test"}
				if i == 0 {
					owner2 = casework.Owner{Kind: casework.ToCollector, ID: c.ID}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		var more, more2 []int64
		for _, c := range e.openCases(t) {
			switch {
			case c.Owner == wb.Owner:
			case len(more) < 4:
				more = append(more, c.ID)
			case len(more2) < 4:
				more2 = append(more2, c.ID)
			}
		}
		for _, r := range []Reassignment{{CaseIDs: more, To: wb.Owner, Reason: "test"}, {CaseIDs: more2, To: owner2, Reason: "test"}} {
			if _, err := e.svc.ReassignCases(cwCtx, e.as(auth.Supervisor), r); err != nil {
				t.Fatal(err)
			}
		}
		var queue, queue2 []sqlstore.CaseRef
		e.read(t, func(tx *sqlstore.Tx) (err error) {
			if queue, err = tx.NextCaseCandidates(cwCtx, wb.Owner, cwStart, 100, 0); err != nil {
				return err
			}
			queue2, err = tx.NextCaseCandidates(cwCtx, owner2, cwStart, 100, 0)
			return err
		})
		if len(queue) < 3 || len(queue2) < 2 {
			t.Fatalf("queues of %d and %d cases", len(queue), len(queue2))
		}
		for _, b := range []int64{queue[0].BorrowerID, queue2[0].BorrowerID} {
			for i := range 3 {
				req := ContactRequest{BorrowerID: b, Channel: compliance.Call, To: "phone:1", Outcome: compliance.Connected,
					StartedAt: e.clock().Add(-time.Duration(30*(i+1)) * time.Minute)}
				if _, err := e.svc.LogContact(cwCtx, e.as(auth.Supervisor), req); err != nil {
					t.Fatalf("LogContact: %v", err)
				}
			}
		}
		presses := []Actor{col, col2, col, e.as(auth.Supervisor), col3}
		got := make([]int64, len(presses))
		gotErr := make([]error, len(presses))
		if err := e.db.InTx(cwCtx, func(tx *sqlstore.Tx) error {
			m := newNextMemo()
			for _, by := range presses {
				if err := e.svc.planNextCase(cwCtx, tx, m, by); err != nil {
					return err
				}
			}
			if err := m.loadFacts(cwCtx, tx); err != nil {
				return err
			}
			for _, b := range []int64{queue[0].BorrowerID, queue2[0].BorrowerID} {
				if m.facts[b] == nil {
					t.Errorf("the batch did not read borrower %d's facts", b)
				}
			}
			for i, by := range presses {
				got[i], gotErr[i] = e.svc.nextCase(cwCtx, tx, m, by)
			}
			if len(m.facts) != 0 {
				t.Errorf("facts of %d borrowers read for the batch and not used", len(m.facts))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		want := []int64{queue[1].ID, queue2[1].ID, queue[2].ID}
		for i, id := range want {
			if got[i] != id || gotErr[i] != nil {
				t.Errorf("press %d: case %d, %v; want case %d", i, got[i], gotErr[i], id)
			}
		}
		if errs.CodeOf(gotErr[3]) != errs.NotFound || errs.CodeOf(gotErr[4]) != errs.NotFound || gotErr[3].Error() == gotErr[4].Error() {
			t.Errorf("a supervisor without a queue: %v; a collector with an empty queue: %v; want two NotFound errors", gotErr[3], gotErr[4])
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE id IN (?, ?, ?) AND worked_on = ?", want[0], want[1], want[2], cwStart); n != 3 {
			t.Errorf("%d of the 3 cases handed out marked worked", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM cases WHERE id IN (?, ?) AND worked_on IS NOT NULL", queue[0].ID, queue2[0].ID); n != 0 {
			t.Errorf("%d cases of borrowers at the call limit marked worked", n)
		}
	})
}
