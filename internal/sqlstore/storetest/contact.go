package storetest

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// RunContact runs the contract tests of the contact governor's tables (the
// outbox, the contact log, approvals, the calendar, policies and contact
// facts) against databases from open, one fresh database per test.
func RunContact(t *testing.T, open func(testing.TB) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"MessageEnqueueIdempotent", testMessageEnqueue},
		{"MessageClaimAndLease", testMessageClaim},
		{"MessageConcurrentClaims", testMessageConcurrentClaims},
		{"MessageCancelAndDelivery", testMessageCancelAndDelivery},
		{"ContactAttemptLog", testContactAttemptLog},
		{"ContactAttemptRetention", testContactAttemptRetention},
		{"RuleHits", testRuleHits},
		{"Approvals", testApprovals},
		{"CalendarDays", testCalendarDays},
		{"ContactPolicies", testContactPolicies},
		{"ContactPoints", testContactPoints},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// mustBorrowerID creates borrower n and returns its id.
func mustBorrowerID(t *testing.T, db *sqlstore.DB, n int) int64 {
	t.Helper()
	b := newBorrower(n)
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateBorrower(ctx, &b) })
	return b.ID
}

func newMessage(borrowerID int64, key string) outbox.Message {
	return outbox.Message{BorrowerID: borrowerID, LoanID: 7, Channel: outbox.SMS, To: "+8613800138000",
		Body: "您好，您的借款已逾期，请及时还款。", DedupKey: key}
}

func testMessageEnqueue(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	m := newMessage(bid, "reminder:7:2026-03-10")
	write(t, db, func(tx *sqlstore.Tx) error {
		created, err := tx.EnqueueMessage(ctx, &m)
		if err != nil || !created || m.ID == 0 || m.Status != outbox.Queued || m.NotBefore.IsZero() {
			t.Errorf("EnqueueMessage = %v, %v; message %+v", created, err, m)
		}
		return err
	})
	again := newMessage(bid, "reminder:7:2026-03-10")
	again.Body = "another body"
	write(t, db, func(tx *sqlstore.Tx) error {
		created, err := tx.EnqueueMessage(ctx, &again)
		if err != nil || created || again.ID != m.ID || again.Body != m.Body || again.To != m.To {
			t.Errorf("second EnqueueMessage = %v, %v; got %+v, want the stored message %d", created, err, again, m.ID)
		}
		return err
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		var n int
		var enc []byte
		var hash, masked string
		if err := tx.Inspect(ctx, "SELECT COUNT(*) FROM messages").Scan(&n); err != nil || n != 1 {
			t.Errorf("messages = %d, %v; want 1", n, err)
		}
		if err := tx.Inspect(ctx, "SELECT to_enc, to_hash, to_masked FROM messages WHERE id = ?", m.ID).Scan(&enc, &hash, &masked); err != nil {
			return err
		}
		if strings.Contains(string(enc), "13800138000") || hash == "" || masked != "138****8000" {
			t.Errorf("stored address: enc %q hash %q masked %q; want ciphertext, a hash and a mask", enc, hash, masked)
		}
		got, err := tx.Message(ctx, m.ID)
		if err != nil || got.To != "+8613800138000" || got.DedupKey != m.DedupKey {
			t.Errorf("Message = %+v, %v", got, err)
		}
		_, err = tx.Message(ctx, m.ID+100)
		wantCode(t, err, errs.NotFound)
		return nil
	})
	bad := outbox.Message{BorrowerID: bid, Channel: "fax", DedupKey: ""}
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { _, err := tx.EnqueueMessage(ctx, &bad); return err })
	wantCode(t, err, errs.Invalid)
	if fields := errs.FieldsOf(err); len(fields) < 3 {
		t.Errorf("invalid message fields = %v, want channel, body and dedup_key at least", fields)
	}
}

func testMessageClaim(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	now := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
	write(t, db, func(tx *sqlstore.Tx) error {
		for i, nb := range []time.Time{now.Add(-time.Minute), now, now.Add(time.Hour)} {
			m := newMessage(bid, fmt.Sprintf("k%d", i))
			m.NotBefore = nb
			if i == 1 {
				m.Status = outbox.Held
			}
			if _, err := tx.EnqueueMessage(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	var claimed []outbox.Message
	write(t, db, func(tx *sqlstore.Tx) error {
		var err error
		claimed, err = tx.ClaimMessages(ctx, now, 10, time.Minute)
		return err
	})
	if len(claimed) != 2 {
		t.Fatalf("claimed %d messages, want the 2 due", len(claimed))
	}
	for _, m := range claimed {
		if m.Status != outbox.Sending || m.Attempts != 1 || !m.LeaseUntil.Equal(now.Add(time.Minute)) {
			t.Errorf("claimed %+v, want sending, attempt 1, lease until %v", m, now.Add(time.Minute))
		}
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		again, err := tx.ClaimMessages(ctx, now.Add(30*time.Second), 10, time.Minute)
		if len(again) != 0 {
			t.Errorf("claimed %d messages under a live lease, want 0", len(again))
		}
		return err
	})
	// The lease runs out: another sender takes the message over.
	var taken []outbox.Message
	write(t, db, func(tx *sqlstore.Tx) error {
		var err error
		taken, err = tx.ClaimMessages(ctx, now.Add(2*time.Minute), 1, time.Minute)
		return err
	})
	if len(taken) != 1 || taken[0].Attempts != 2 {
		t.Fatalf("took over %+v, want one message at attempt 2", taken)
	}
	// The first sender's late write is fenced off; the new owner's goes in.
	stale := taken[0]
	stale.Status, stale.Attempts = outbox.Sent, 1
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.UpdateMessage(ctx, &stale, outbox.Sending, 1) })
	wantCode(t, err, errs.Conflict)
	fresh := taken[0]
	fresh.Status, fresh.ProviderID, fresh.SentAt, fresh.Delivery = outbox.Sent, "biz-1", now, outbox.DeliveryAccepted
	fresh.LeaseUntil = time.Time{}
	fresh.Decision = compliance.Decision{Action: compliance.Allow, Rules: []string{}}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.UpdateMessage(ctx, &fresh, outbox.Sending, 2) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Message(ctx, fresh.ID)
		if err != nil || got.Status != outbox.Sent || got.ProviderID != "biz-1" || !got.SentAt.Equal(now) ||
			got.Decision.Action != compliance.Allow || !got.LeaseUntil.IsZero() {
			t.Errorf("after update: %+v, %v", got, err)
		}
		st := outbox.Sending
		list, total, err := tx.Messages(ctx, sqlstore.MessageFilter{BorrowerID: &bid, Status: &st})
		if err != nil || total != 1 || len(list) != 1 {
			t.Errorf("Messages(sending) = %d of %d, %v; want 1", len(list), total, err)
		}
		return err
	})
	missing := outbox.Message{ID: 999}
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.UpdateMessage(ctx, &missing, outbox.Sending, 1) })
	wantCode(t, err, errs.NotFound)
}

// testMessageConcurrentClaims runs several senders at once: every message
// is claimed exactly once.
func testMessageConcurrentClaims(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	const n = 40
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := range n {
			m := newMessage(bid, fmt.Sprintf("c%d", i))
			if _, err := tx.EnqueueMessage(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	now := time.Now().Add(time.Minute)
	var (
		mu   sync.Mutex
		seen = map[int64]int{}
		wg   sync.WaitGroup
	)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var got []outbox.Message
				err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
					var err error
					got, err = tx.ClaimMessages(ctx, now, 3, time.Hour)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("claimed %d distinct messages, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Errorf("message %d claimed %d times", id, c)
		}
	}
}

func testMessageCancelAndDelivery(t *testing.T, db *sqlstore.DB) {
	bid := mustBorrowerID(t, db, 1)
	a, b := newMessage(bid, "a"), newMessage(bid, "b")
	write(t, db, func(tx *sqlstore.Tx) error {
		if _, err := tx.EnqueueMessage(ctx, &a); err != nil {
			return err
		}
		_, err := tx.EnqueueMessage(ctx, &b)
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		ok, err := tx.CancelMessage(ctx, a.ID, "paid")
		if !ok || err != nil {
			t.Errorf("CancelMessage = %v, %v", ok, err)
		}
		ok, err = tx.CancelMessage(ctx, a.ID, "paid")
		if ok || err != nil {
			t.Errorf("second CancelMessage = %v, %v; want false", ok, err)
		}
		ok, err = tx.RecordDelivery(ctx, b.ID, outbox.DeliveryDelivered, time.Now())
		if ok || err != nil {
			t.Errorf("RecordDelivery of an unsent message = %v, %v; want false", ok, err)
		}
		claimed, err := tx.ClaimMessages(ctx, time.Now().Add(time.Minute), 5, time.Minute)
		if err != nil || len(claimed) != 1 {
			return fmt.Errorf("claim: %v, %d", err, len(claimed))
		}
		m := claimed[0]
		m.Status, m.Delivery = outbox.Sent, outbox.DeliveryAccepted
		return tx.UpdateMessage(ctx, &m, outbox.Sending, 1)
	})
	at := time.Date(2026, 3, 10, 1, 0, 5, 0, time.UTC)
	write(t, db, func(tx *sqlstore.Tx) error {
		for i, d := range []outbox.Delivery{outbox.DeliveryDelivered, outbox.DeliveryFailed} {
			ok, err := tx.RecordDelivery(ctx, b.ID, d, at)
			if ok != (i == 0) || err != nil {
				t.Errorf("RecordDelivery(%s) = %v, %v", d, ok, err)
			}
		}
		got, err := tx.Message(ctx, b.ID)
		if got.Delivery != outbox.DeliveryDelivered || !got.DeliveredAt.Equal(at) {
			t.Errorf("delivery = %s at %v, want delivered at %v (a late failure does not undo it)", got.Delivery, got.DeliveredAt, at)
		}
		return err
	})
}

// testContactAttemptRetention shows that the database itself keeps the
// contact log: no delete before retain_until, no rewriting of what
// happened, and a delete once the period is over.
var errNoRows = sql.ErrNoRows

// newRegisteredContact returns the borrower's mother as a registered
// contact.
// calendarDays parses "YYYY-MM-DD kind 中文名 English name" lines.
