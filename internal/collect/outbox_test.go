package collect

import (
	"slices"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

func (e *ctEnv) reminder(key string) *outbox.Message {
	return &outbox.Message{BorrowerID: e.b.ID, LoanID: 3, Channel: outbox.SMS, To: "+8613800138000",
		Body: "【测试】您的借款已逾期，请尽快还款。", DedupKey: key}
}

func (e *ctEnv) queue(t *testing.T, m *outbox.Message) bool {
	t.Helper()
	var created bool
	e.write(t, func(tx *sqlstore.Tx) error {
		var err error
		created, err = e.svc.QueueMessage(ctBG, tx, m)
		return err
	})
	return created
}

func (e *ctEnv) message(t *testing.T, id int64) outbox.Message {
	t.Helper()
	var m outbox.Message
	e.read(t, func(tx *sqlstore.Tx) error {
		var err error
		m, err = tx.Message(ctBG, id)
		return err
	})
	return m
}

// TestService_QueueMessage is the nightly run's path: every message is
// checked by the governor when it is queued.
func TestService_QueueMessage(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		e.set(time.Date(2026, 3, 9, 18, 0, 0, 0, time.UTC)) // 02:00 on the 10th in Shanghai
		night := e.reminder("reminder:3:2026-03-10")
		if !e.queue(t, night) {
			t.Fatal("not created")
		}
		if night.Status != outbox.Held || !night.NotBefore.Equal(ctMorning.Add(-2*time.Hour)) || !night.Decision.Fired(compliance.RuleCNTimeQuiet) {
			t.Errorf("a reminder computed at 02:00: %s until %v (%v), want held until 08:00", night.Status, night.NotBefore, night.Decision.Rules)
		}
		again := e.reminder("reminder:3:2026-03-10")
		if e.queue(t, again) || again.ID != night.ID {
			t.Errorf("queueing the same key twice created %d (first %d)", again.ID, night.ID)
		}

		e.set(ctMorning)
		day := e.reminder("reminder:3:2026-03-10b")
		e.queue(t, day)
		if day.Status != outbox.Queued || day.Decision.Action != compliance.Allow {
			t.Errorf("at 10:00: %s %s", day.Status, day.Decision.Action)
		}

		e.setFlags(t, compliance.FlagBereavement)
		vul := e.reminder("reminder:3:2026-03-10c")
		e.queue(t, vul)
		if vul.Status != outbox.Blocked || vul.Decision.Route != compliance.RouteSpecialist {
			t.Errorf("vulnerable: %s route %q, want blocked and routed", vul.Status, vul.Decision.Route)
		}
		log := e.attempts(t)
		if len(log) != 1 || log[0].MessageID != vul.ID || log[0].Performed || log[0].Route != compliance.RouteSpecialist {
			t.Errorf("contact log = %+v, want the refused message", log)
		}
		bad := &outbox.Message{BorrowerID: e.b.ID, Channel: outbox.SMS}
		err := e.db.InTx(ctBG, func(tx *sqlstore.Tx) error { _, err := e.svc.QueueMessage(ctBG, tx, bad); return err })
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("invalid message: %v", err)
		}
	})
}

// TestService_SenderRechecks shows the governor asked again at send time:
// a message queued directly into the outbox (bypassing QueueMessage) at
// night is held, and one that became unlawful after it was queued is
// blocked.
func TestService_SenderRechecks(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		e.set(time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC)) // 23:00 in Shanghai
		direct := e.reminder("direct")
		e.write(t, func(tx *sqlstore.Tx) error { _, err := tx.EnqueueMessage(ctBG, direct); return err })
		ready, _, err := e.svc.ClaimMessages(ctBG, 10, outbox.Lease)
		if err != nil || len(ready) != 0 {
			t.Fatalf("claimed at 23:00: %v, %v; want nothing to send", ready, err)
		}
		got := e.message(t, direct.ID)
		if got.Status != outbox.Held || !got.NotBefore.Equal(ctMorning.Add(-2*time.Hour)) || got.Attempts != 0 {
			t.Errorf("direct message at 23:00: %+v, want held until 08:00 without using an attempt", got)
		}

		e.set(ctMorning)
		queued := e.reminder("queued")
		e.queue(t, queued)
		e.setFlags(t, compliance.FlagMentalHealth)
		ready, _, err = e.svc.ClaimMessages(ctBG, 10, outbox.Lease)
		if err != nil || len(ready) != 0 {
			t.Fatalf("claimed %v, %v; want nothing for a now vulnerable borrower", ready, err)
		}
		for _, id := range []int64{direct.ID, queued.ID} {
			if m := e.message(t, id); m.Status != outbox.Blocked || !m.Decision.Fired(compliance.RuleVulnerableAutomation) {
				t.Errorf("message %d: %s %v, want blocked by VULNERABLE-AUTOMATION", id, m.Status, m.Decision.Rules)
			}
		}
		if n := len(e.attempts(t)); n != 2 {
			t.Errorf("contact log has %d entries, want the 2 refusals", n)
		}
	})
}

// TestService_SenderLifecycle walks a message through claim, a transient
// failure, a retry, the send and the delivery report.
func TestService_SenderLifecycle(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		m := e.reminder("life")
		e.queue(t, m)
		ready, _, err := e.svc.ClaimMessages(ctBG, 10, outbox.Lease)
		if err != nil || len(ready) != 1 || ready[0].Attempts != 1 || ready[0].Status != outbox.Sending {
			t.Fatalf("claim = %+v, %v", ready, err)
		}
		if err := e.svc.MessageFailed(ctBG, ready[0], "timeout", false, false); err != nil {
			t.Fatal(err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Queued || !got.NotBefore.Equal(ctMorning.Add(time.Minute)) {
			t.Errorf("after a timeout: %s until %v", got.Status, got.NotBefore)
		}
		if ready, _, _ := e.svc.ClaimMessages(ctBG, 10, outbox.Lease); len(ready) != 0 {
			t.Errorf("claimed during the backoff")
		}
		e.advance(time.Minute)
		ready, _, err = e.svc.ClaimMessages(ctBG, 10, outbox.Lease)
		if err != nil || len(ready) != 1 || ready[0].Attempts != 2 {
			t.Fatalf("retry claim = %+v, %v", ready, err)
		}
		if err := e.svc.MessageSent(ctBG, ready[0], "biz-9", e.clock()); err != nil {
			t.Fatal(err)
		}
		// A late report from a sender whose claim lapsed changes nothing.
		if err := e.svc.MessageSent(ctBG, ready[0], "biz-9", e.clock()); err != nil {
			t.Errorf("a second MessageSent: %v", err)
		}
		got := e.message(t, m.ID)
		if got.Status != outbox.Sent || got.ProviderID != "biz-9" || got.Delivery != outbox.DeliveryAccepted {
			t.Errorf("sent: %+v", got)
		}
		log := e.attempts(t)
		if len(log) != 1 || !log[0].Performed || log[0].Outcome != compliance.Sent || !log[0].Automated || log[0].By != "system" {
			t.Fatalf("contact log = %+v", log)
		}
		if _, err := e.svc.RecordDeliveryReports(ctBG, ctAuditor, nil); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("auditor reporting deliveries: %v", err)
		}
		n, err := e.svc.RecordDeliveryReports(ctBG, ctCollector, []DeliveryReport{
			{MessageID: m.ID, Delivered: true, Code: "DELIVRD"}, {MessageID: 999, Delivered: true}, {MessageID: 0}})
		if err != nil || n != 1 {
			t.Errorf("RecordDeliveryReports = %d, %v", n, err)
		}
		if got := e.message(t, m.ID); got.Delivery != outbox.DeliveryDelivered {
			t.Errorf("delivery = %s", got.Delivery)
		}
		if log := e.attempts(t); log[0].Outcome != compliance.Delivered {
			t.Errorf("log outcome = %s, want delivered", log[0].Outcome)
		}
		if !slices.Contains(e.auditActions(t), "message.sent") {
			t.Error("no message.sent audit event")
		}
	})
}

func TestService_SenderPermanentFailure(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		m := e.reminder("bad-number")
		e.queue(t, m)
		ready, _, err := e.svc.ClaimMessages(ctBG, 10, outbox.Lease)
		if err != nil || len(ready) != 1 {
			t.Fatal(ready, err)
		}
		if err := e.svc.MessageFailed(ctBG, ready[0], "INVALID_NUMBER", true, true); err != nil {
			t.Fatal(err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Failed {
			t.Errorf("status %s, want failed", got.Status)
		}
		if log := e.attempts(t); len(log) != 1 || log[0].Outcome != compliance.InvalidNumber {
			t.Errorf("log = %+v, want one invalid_number attempt", log)
		}
	})
}

// TestService_SendMessage is the console's and API's "send SMS": checked
// before queueing, refused and recorded when the governor says no.
func TestService_SendMessage(t *testing.T) {
	t.Parallel()
	ctEngines(t, func(t *testing.T, e *ctEnv) {
		m, err := e.svc.SendMessage(ctBG, ctCollector, MessageRequest{BorrowerID: e.b.ID, Channel: outbox.SMS, To: "phone:2",
			Body: "张先生您好，请回电。", Key: "k1"})
		if err != nil || m.Status != outbox.Queued || m.To != "139****9000" || m.By != "lender" || m.UserID != 11 {
			t.Fatalf("SendMessage = %+v, %v", m, err)
		}
		_, err = e.svc.SendMessage(ctBG, ctCollector, MessageRequest{BorrowerID: e.b.ID, Channel: outbox.SMS, To: "phone:1",
			Body: "再不还钱就弄死你", Key: "k2"})
		wantRefused(t, err, errs.Forbidden, compliance.RuleCNAbuse)
		_, err = e.svc.SendMessage(ctBG, ctCollector, MessageRequest{BorrowerID: e.b.ID, Channel: outbox.Email, To: "email:1",
			Subject: "还款提醒", Body: "您好，您的账单已逾期。", Key: "k3"})
		if err != nil {
			t.Errorf("email: %v", err)
		}
		if _, err := e.svc.SendMessage(ctBG, ctAuditor, MessageRequest{BorrowerID: e.b.ID}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("auditor: %v", err)
		}
		list, total, err := e.svc.Messages(ctBG, ctCollector, sqlstore.MessageFilter{BorrowerID: &e.b.ID})
		if err != nil || total != 2 || list[1].To != "139****9000" {
			t.Errorf("Messages = %+v (%d), %v", list, total, err)
		}
	})
}
