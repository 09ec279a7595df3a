package selfservice_test

import (
	"strings"
	"testing"
	"time"

	"accord/internal/errs"
	"accord/internal/selfservice"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

func TestService_SignIn(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{})
		d := e.debtors(t, 1)[0]
		msgs := func() int { return e.count(t, "SELECT COUNT(*) FROM messages WHERE borrower_id = ?", d.b.ID) }
		before := msgs()

		// A phone that is not the loan's gets a challenge all the same, and
		// no message goes out.
		wrong, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: "13900000001", Addr: "192.0.2.1"})
		if err != nil || wrong.ID == 0 {
			t.Fatalf("StartSignIn(wrong phone) = %+v, %v", wrong, err)
		}
		if n := msgs(); n != before {
			t.Fatalf("a code went out for a phone that is not the borrower's: %d messages, want %d", n, before)
		}
		_, err = e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: "12345"})
		if errs.CodeOf(err) != errs.Invalid || len(errs.FieldsOf(err)) != 1 || errs.FieldsOf(err)[0].Field != "phone" {
			t.Fatalf("StartSignIn(bad phone) error = %v, want Invalid naming phone", err)
		}

		ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: " " + d.loan + " ", Phone: d.phone[:3] + " " + d.phone[3:],
			Addr: "192.0.2.1"})
		if err != nil {
			t.Fatal(err)
		}
		var msgID int64
		var hash string
		e.read(t, func(tx *sqlstore.Tx) error {
			return tx.Inspect(ctx, "SELECT message_id, code_hash FROM portal_challenges WHERE id = ?", ch.ID).Scan(&msgID, &hash)
		})
		code := e.codeOf(t, msgID)
		if strings.Contains(hash, code) || len(hash) != 64 {
			t.Errorf("the challenge keeps %q, not a hash of the code", hash)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM portal_challenges WHERE code_hash LIKE ?", "%"+code+"%"); n != 0 {
			t.Errorf("the code appears in clear in portal_challenges")
		}

		_, err = e.self.VerifySignIn(ctx, ch.ID, "000000", "192.0.2.1", "")
		if code == "000000" {
			t.Skip("drew the code 000000")
		}
		if errs.CodeOf(err) != errs.Invalid || errs.FieldsOf(err)[0].Field != "code" {
			t.Fatalf("VerifySignIn(wrong) error = %v, want Invalid naming code", err)
		}
		sess, err := e.self.VerifySignIn(ctx, ch.ID, code, "192.0.2.1", "")
		if err != nil {
			t.Fatal(err)
		}
		if sess.Borrower.ID != d.b.ID || sess.Borrower.LoanID != d.loanID || len(sess.Token) < 32 {
			t.Fatalf("session = %+v", sess.Borrower)
		}
		// The code is of no use any more: the SMS text is redacted, and the
		// challenge cannot be used again.
		if n := e.count(t, "SELECT COUNT(*) FROM messages WHERE id = ? AND body LIKE ?", msgID, "%"+code+"%"); n != 0 {
			t.Errorf("the used code is still in the outbox in clear")
		}
		_, err = e.self.VerifySignIn(ctx, ch.ID, code, "192.0.2.1", "")
		wantCode(t, err, errs.Unauthorized)
		if n := e.count(t, "SELECT COUNT(*) FROM portal_sessions WHERE hash = ?", sess.Token); n != 0 {
			t.Error("the session token is stored in clear")
		}

		who, err := e.self.Authenticate(ctx, sess.Token, "")
		if err != nil || who.ID != d.b.ID || who.CSRFToken == "" {
			t.Fatalf("Authenticate = %+v, %v", who, err)
		}
		// Idle for longer than the session's idle limit: signed out.
		e.advance(e.self.Policy().SessionIdle + time.Minute)
		_, err = e.self.Authenticate(ctx, sess.Token, "")
		wantCode(t, err, errs.Unauthorized)

		for _, action := range []string{"portal.code_unmatched", "portal.code_sent", "portal.code_wrong", "portal.login"} {
			if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = ?", action); n == 0 {
				t.Errorf("no %s audit event", action)
			}
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE summary LIKE ?", "%"+code+"%"); n != 0 {
			t.Errorf("the code appears in the audit log")
		}
	})
}

func TestService_SignInLockout(t *testing.T) {
	engines(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open(t), selfservice.Policy{CodeAttempts: 3, LockFailures: 5, SendsPerPhone: 4, SendsPerAddr: 50})
		ds := e.debtors(t, 2)
		d := ds[0]
		start := func() selfservice.Challenge {
			t.Helper()
			ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: d.phone, Addr: "192.0.2.7"})
			if err != nil {
				t.Fatalf("StartSignIn: %v", err)
			}
			return ch
		}
		code := func(ch selfservice.Challenge) string {
			var id int64
			e.read(t, func(tx *sqlstore.Tx) error {
				return tx.Inspect(ctx, "SELECT message_id FROM portal_challenges WHERE id = ?", ch.ID).Scan(&id)
			})
			return e.codeOf(t, id)
		}
		wrongFor := func(c string) string {
			if c == "111111" {
				return "222222"
			}
			return "111111"
		}

		// Three wrong codes lock the challenge: the right one no longer works.
		ch := start()
		right := code(ch)
		for range 3 {
			_, err := e.self.VerifySignIn(ctx, ch.ID, wrongFor(right), "192.0.2.7", "")
			wantCode(t, err, errs.Invalid)
		}
		_, err := e.self.VerifySignIn(ctx, ch.ID, right, "192.0.2.7", "")
		wantCode(t, err, errs.Unauthorized)

		// Two more wrong codes on a new challenge make five for the phone:
		// the phone is locked, for new codes and for verifying.
		ch = start()
		right = code(ch)
		for range 2 {
			_, err := e.self.VerifySignIn(ctx, ch.ID, wrongFor(right), "192.0.2.7", "")
			wantCode(t, err, errs.Invalid)
		}
		_, err = e.self.VerifySignIn(ctx, ch.ID, right, "192.0.2.7", "")
		wantCode(t, err, errs.Forbidden)
		_, err = e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: d.loan, Phone: d.phone, Addr: "192.0.2.7"})
		wantCode(t, err, errs.Forbidden)
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'portal.code_wrong' AND summary LIKE ?",
			"%phone_locked_until%"); n != 1 {
			t.Errorf("%d audit events record the lock, want 1", n)
		}
		if n := e.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'portal.code_refused'"); n != 1 {
			t.Errorf("%d refused code requests audited, want 1", n)
		}

		// After the lock: the right code of a new challenge signs in.
		e.advance(e.self.Policy().LockFor + time.Minute)
		ch = start()
		if _, err := e.self.VerifySignIn(ctx, ch.ID, code(ch), "192.0.2.7", ""); err != nil {
			t.Fatalf("after the lock: %v", err)
		}

		// The per-phone limit: SendsPerPhone codes an hour.
		o := ds[1]
		for i := range 5 {
			_, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: o.loan, Phone: o.phone, Addr: "192.0.2.8"})
			if i < 4 && err != nil {
				t.Fatalf("code %d: %v", i+1, err)
			}
			if i == 4 {
				wantCode(t, err, errs.Forbidden)
			}
		}
	})
}

func TestService_SignInPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), selfservice.Policy{SendsPerAddr: 3})
	for i := range 4 {
		_, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: "L-NONE", Phone: "1390000000" + string(rune('0'+i)),
			Addr: "198.51.100.9"})
		if i < 3 && err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			wantCode(t, err, errs.Forbidden)
		}
	}
	if _, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: "L-NONE", Phone: "13900000009", Addr: "198.51.100.10"}); err != nil {
		t.Errorf("another address is refused too: %v", err)
	}
}

func TestService_SignInAddressLock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), selfservice.Policy{AddrFailures: 3})
	ds := e.debtors(t, 2)
	ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: ds[0].loan, Phone: ds[0].phone, Addr: "203.0.113.5"})
	if err != nil {
		t.Fatal(err)
	}
	// Probing challenge ids and wrong codes count against the address.
	_, err = e.self.VerifySignIn(ctx, ch.ID+1000, "123456", "203.0.113.5", "")
	wantCode(t, err, errs.Unauthorized)
	for range 2 {
		_, err = e.self.VerifySignIn(ctx, ch.ID, "999999x", "203.0.113.5", "")
		wantCode(t, err, errs.Invalid)
	}
	_, err = e.self.VerifySignIn(ctx, ch.ID, "000000", "203.0.113.5", "")
	wantCode(t, err, errs.Forbidden)
	_, err = e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: ds[1].loan, Phone: ds[1].phone, Addr: "203.0.113.5"})
	wantCode(t, err, errs.Forbidden)
	if _, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: ds[1].loan, Phone: ds[1].phone, Addr: "203.0.113.6"}); err != nil {
		t.Errorf("another address is locked too: %v", err)
	}
}

func TestService_Sweep(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t), selfservice.Policy{})
	ds := e.debtors(t, 2)
	ch, err := e.self.StartSignIn(ctx, selfservice.SignIn{LoanNumber: ds[0].loan, Phone: ds[0].phone})
	if err != nil {
		t.Fatal(err)
	}
	var msgID int64
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT message_id FROM portal_challenges WHERE id = ?", ch.ID).Scan(&msgID)
	})
	code := e.codeOf(t, msgID)
	sess := e.signIn(t, ds[1])

	// Nothing is due yet: the code is valid, the session fresh.
	if got, err := e.self.Sweep(ctx); err != nil || got["codes_redacted"] != 0 || got["sessions_removed"] != 0 {
		t.Fatalf("Sweep = %v, %v; want nothing to do", got, err)
	}
	e.advance(e.self.Policy().SessionIdle + time.Minute)
	got, err := e.self.Nightly().RunNightly(ctx, e.svc.Today())
	if err != nil {
		t.Fatal(err)
	}
	if got["codes_redacted"] < 1 || got["sessions_removed"] != 1 {
		t.Errorf("Sweep = %v; want the expired code redacted and the idle session removed", got)
	}
	var body, status string
	e.read(t, func(tx *sqlstore.Tx) error {
		return tx.Inspect(ctx, "SELECT body, status FROM messages WHERE id = ?", msgID).Scan(&body, &status)
	})
	if strings.Contains(body, code) || body != sqlstore.CodeRedacted || status != "cancelled" {
		t.Errorf("expired code's SMS = %q (%s); want redacted and cancelled", body, status)
	}
	if _, err := e.self.Authenticate(ctx, sess.Token, ""); errs.CodeOf(err) != errs.Unauthorized {
		t.Errorf("idle session still signs in: %v", err)
	}
}
