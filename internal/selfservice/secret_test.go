package selfservice_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"accord/internal/jobs"
	"accord/internal/money"
	"accord/internal/notify"
	"accord/internal/offer"
	"accord/internal/outbox"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
)

// TestService_CodesNeverInClear follows a sign-in code and an agreement
// acceptance code from the use case to the borrower's phone, on both
// engines: neither is ever in the database in clear — not in the outbox
// text while the SMS waits, not in its stored secret (encrypted), not in
// the contact log, not in the audit chain —; the sender delivers the text
// with the code; once sent, the secret is gone.
func TestService_CodesNeverInClear(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{AutoApproval: offer.Supervisor})
		e.db.Now = e.clock // the outbox stamps not_before with the store's clock
		d := e.debtors(t, 1)[0]
		ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: d.phone, Addr: "192.0.2.7"})
		if err != nil {
			t.Fatal(err)
		}
		var signInMsg int64
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT message_id FROM portal_challenges WHERE id = ?", ch.ID).Scan(&signInMsg)
		})
		signInCode := e.codeOf(t, signInMsg) // as the sender renders it
		e.noCodeStored(t, signInMsg, signInCode, true)

		who := e.signIn(t, d).Borrower
		plan, err := e.self.RequestPlan(ctx, who, selfservice.Affordability{MonthlyIncome: money.Yuan(8000),
			OtherDebtPayments: money.Yuan(500), Dependants: 1, Hardship: offer.IncomeDrop, HardshipMonths: 6})
		if err != nil {
			t.Fatal(err)
		}
		var auto int64
		for _, o := range plan.Offers {
			if o.Auto {
				auto = o.ID
				break
			}
		}
		if auto == 0 {
			t.Fatal("no auto-approvable offer")
		}
		acc, err := e.self.AcceptOffer(ctx, who, auto)
		if err != nil {
			t.Fatal(err)
		}
		var agreementMsg int64
		e.read(t, func(tx *sqlstore.Tx) error {
			a, err := tx.Agreement(ctx, acc.AgreementID)
			agreementMsg = a.MessageID
			return err
		})
		agreementCode := e.codeOf(t, agreementMsg)
		e.noCodeStored(t, agreementMsg, agreementCode, true)

		e.advance(time.Minute)
		fake := &notify.Fake{}
		if _, err := (&jobs.Sender{Svc: e.svc, Notifier: fake}).Drain(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[int64]string{}
		for _, m := range fake.Messages() {
			got[m.ID] = m.Body
		}
		for id, code := range map[int64]string{signInMsg: signInCode, agreementMsg: agreementCode} {
			if !strings.Contains(got[id], code) || strings.Contains(got[id], outbox.SecretMark) {
				t.Errorf("message %d went out as %q, want its code %s in it", id, got[id], code)
			}
			e.noCodeStored(t, id, code, false)
			if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE id = ? AND status = 'sent' AND secret_enc IS NULL", id); n != 1 {
				t.Errorf("message %d: sent with its secret cleared: %d rows, want 1", id, n)
			}
			if n := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE message_id = ? AND performed = ?", id, true); n != 1 {
				t.Errorf("message %d: %d contact records of it sent, want 1", id, n)
			}
		}
	})
}

// noCodeStored fails when code is in clear anywhere message id left a
// trace: its text, its stored secret, the contact log, the audit chain.
// waiting says the message is not sent yet: its secret must be stored,
// encrypted.
func (e *env) noCodeStored(t *testing.T, id int64, code string, waiting bool) {
	t.Helper()
	like := "%" + code + "%"
	if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE id = ? AND body LIKE ?", id, like); n != 0 {
		t.Errorf("message %d: the code is in the outbox text", id)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM contact_attempts WHERE content LIKE ? AND borrower_id = (SELECT borrower_id FROM messages WHERE id = ?)",
		like, id); n != 0 {
		t.Errorf("message %d: the code is in the contact log", id)
	}
	if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE summary LIKE ?", like); n != 0 {
		t.Errorf("message %d: the code is in the audit chain", id)
	}
	var sealed []byte
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT secret_enc FROM messages WHERE id = ?", id).Scan(&sealed)
	})
	if bytes.Contains(sealed, []byte(code)) {
		t.Errorf("message %d: the stored secret is the code in clear", id)
	}
	if waiting && len(sealed) == 0 {
		t.Errorf("message %d waits without its secret", id)
	}
}
