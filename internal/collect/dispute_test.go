package collect

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"accord/internal/audit"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// TestService_RecordDisputeOutcome: a dispute suspends collection
// (CN-DISPUTE) until a supervisor or compliance officer records its
// outcome; a collector may not; without an open dispute nothing is
// written; a later dispute suspends again.
func TestService_RecordDisputeOutcome(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		sms := func(key string) error {
			_, err := e.svc.SendMessage(ctBG, ctCollector, MessageRequest{BorrowerID: e.b.ID, Channel: outbox.SMS, To: "phone:2",
				Body: "张先生您好，请回电。", Key: key})
			return err
		}
		note := "借款人提供了还款凭证，电话13800138000"
		written := func() int { return len(e.auditActions(t)) + len(e.timeline(t)) }

		// No dispute: a clear Conflict, nothing written.
		before := written()
		if _, err := e.svc.RecordDisputeOutcome(ctBG, ctSupervisor, e.b.ID, DisputeRejected, note); !errors.Is(err, ErrNoOpenDispute) {
			t.Fatalf("no dispute: %v, want ErrNoOpenDispute", err)
		}
		if written() != before || slices.Contains(e.flags(t), compliance.FlagDisputeResolved) {
			t.Fatal("a refused outcome wrote something")
		}

		// The borrower disputes the debt on a call: SMS refused by CN-DISPUTE.
		req := e.call("phone:1", compliance.Connected)
		req.Results = []string{compliance.ResultDispute}
		if _, err := e.svc.LogContact(ctBG, ctCollector, req); err != nil {
			t.Fatal(err)
		}
		wantRefused(t, sms("k1"), errs.Forbidden, compliance.RuleCNDispute)

		// A collector may not record the outcome; bad input names the field.
		before = written()
		if _, err := e.svc.RecordDisputeOutcome(ctBG, ctCollector, e.b.ID, DisputeRejected, note); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("collector: %v, want Forbidden", err)
		}
		_, err := e.svc.RecordDisputeOutcome(ctBG, ctSupervisor, e.b.ID, "maybe", " ")
		if fields := errs.FieldsOf(err); errs.CodeOf(err) != errs.Invalid || len(fields) != 2 || fields[0].Field != "outcome" || fields[1].Field != "note" {
			t.Errorf("bad input: %v %+v", err, fields)
		}
		if _, err := e.svc.RecordDisputeOutcome(ctBG, ctSupervisor, 999_999, DisputeRejected, note); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("missing borrower: %v", err)
		}
		if written() != before {
			t.Fatal("a refused outcome wrote something")
		}

		// The compliance officer records it: resolved, on the case timeline
		// and in the audit log, the note masked; the SMS goes.
		got, err := e.svc.RecordDisputeOutcome(ctBG, ctOfficer, e.b.ID, " "+DisputeRejected+" ", note)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != DisputeRejected || strings.Contains(got.Note, "13800138000") || !slices.Equal(got.CaseIDs, []int64{e.caseID}) ||
			!slices.Contains(e.flags(t), compliance.FlagDisputeResolved) {
			t.Errorf("outcome = %+v, flags %v", got, e.flags(t))
		}
		tl := e.timeline(t)
		if n := len(tl); n == 0 || tl[n-1].Code != "dispute.rejected" || !strings.Contains(tl[n-1].ZH, "异议不成立") ||
			tl[n-1].Actor != "qian" || strings.Contains(tl[n-1].ZH, "13800138000") {
			t.Errorf("timeline = %+v", tl)
		}
		ev := e.lastAudit(t, "dispute.outcome")
		if ev.Actor.Username != "qian" || !strings.Contains(string(ev.Summary), `"outcome":"rejected"`) ||
			strings.Contains(string(ev.Summary), "13800138000") || !strings.Contains(string(ev.Summary), "138****8000") {
			t.Errorf("audit = %+v %s", ev.Actor, ev.Summary)
		}
		if err := sms("k2"); err != nil {
			t.Errorf("SMS after the outcome: %v", err)
		}
		if _, err := e.svc.RecordDisputeOutcome(ctBG, ctSupervisor, e.b.ID, DisputeUpheld, note); !errors.Is(err, ErrNoOpenDispute) {
			t.Errorf("second outcome: %v, want ErrNoOpenDispute", err)
		}

		// A new dispute (the borrower calls in) suspends again; a
		// supervisor may then record its outcome.
		e.advance(time.Hour)
		in := ContactRequest{BorrowerID: e.b.ID, Channel: compliance.Call, To: "phone:1", Direction: "inbound",
			Outcome: compliance.Connected, Results: []string{compliance.ResultDispute}}
		if _, err := e.svc.LogContact(ctBG, ctCollector, in); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(e.flags(t), compliance.FlagDisputeResolved) {
			t.Errorf("flags after a new dispute: %v", e.flags(t))
		}
		wantRefused(t, sms("k3"), errs.Forbidden, compliance.RuleCNDispute)
		if _, err := e.svc.RecordDisputeOutcome(ctBG, ctSupervisor, e.b.ID, DisputeCorrected, "金额已更正"); err != nil {
			t.Errorf("supervisor: %v", err)
		}
	})
}

func (e *ctEnv) flags(t *testing.T) []string {
	t.Helper()
	var flags []string
	e.read(t, func(tx *sqlstore.Tx) error {
		b, err := tx.Borrower(ctBG, e.b.ID)
		flags = b.Flags
		return err
	})
	return flags
}

// timeline returns the events of the borrower's case, oldest first.
func (e *ctEnv) timeline(t *testing.T) []sqlstore.CaseEvent {
	t.Helper()
	var evs []sqlstore.CaseEvent
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		evs, err = tx.CaseEvents(ctBG, e.caseID)
		return err
	})
	return evs
}

func (e *ctEnv) lastAudit(t *testing.T, action string) audit.Event {
	t.Helper()
	var last audit.Event
	err := e.db.AuditEvents(ctBG, func(ev audit.Event) error {
		if ev.Action == action {
			last = ev
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return last
}
