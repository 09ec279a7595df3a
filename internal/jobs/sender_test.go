package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"accord/internal/borrower"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/notify"
	"accord/internal/notify/smsgw"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
	"accord/internal/sqlstore/storetest"
)

var bg = context.Background()

// morning is 10:00 on Tuesday 2026-03-10 in Shanghai.
var morning = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)

// env is a service over a real database with a movable clock, one
// borrower, and a test SMS gateway over real HTTP.
type env struct {
	db  *sqlstore.DB
	svc *collect.Service
	gw  *smsgw.Gateway
	sms *notify.SMSGateway
	b   borrower.Borrower

	mu  sync.Mutex
	now time.Time
}

func engines(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, eng := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.OpenSQLite}, {"postgres", storetest.OpenPostgres}} {
		t.Run(eng.name, func(t *testing.T) {
			t.Parallel()
			fn(t, newEnv(t, eng.open(t)))
		})
	}
}

func newEnv(t *testing.T, db *sqlstore.DB) *env {
	t.Helper()
	e := &env{db: db, now: morning, gw: smsgw.Start(t)}
	db.Now = e.clock
	e.svc = collect.New(db, collect.Options{Now: e.clock})
	sms, err := notify.NewSMSGateway(notify.SMSConfig{URL: e.gw.URL(), AppKey: smsgw.AppKey, AppSecret: smsgw.AppSecret,
		Sign: "【某某消费金融】", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.sms = sms
	e.b = borrower.Borrower{ExternalID: "B-1", Name: "张三", TimeZone: "Asia/Shanghai",
		Phones: []borrower.Phone{{Number: "+8613800138000", Kind: "mobile"}}}
	if err := db.InTx(bg, func(tx *sqlstore.Tx) error {
		if err := tx.CreateBorrower(bg, &e.b); err != nil {
			return err
		}
		return tx.SetBorrowerEmails(bg, e.b.ID, []string{"zhang@example.cn"})
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func (e *env) set(t time.Time) {
	e.mu.Lock()
	e.now = t
	e.mu.Unlock()
}

// queue puts an SMS reminder in the outbox through the governor.
func (e *env) queue(t *testing.T, key string) outbox.Message {
	t.Helper()
	m := outbox.Message{BorrowerID: e.b.ID, Channel: outbox.SMS, To: "+8613800138000",
		Body: "您好，您的借款已逾期，请尽快还款。", DedupKey: key}
	if err := e.db.InTx(bg, func(tx *sqlstore.Tx) error {
		_, err := e.svc.QueueMessage(bg, tx, &m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *env) sender(notifier notify.Sender) *Sender {
	return &Sender{Svc: e.svc, Notifier: notifier, Batch: 10}
}

func (e *env) message(t *testing.T, id int64) outbox.Message {
	t.Helper()
	var m outbox.Message
	if err := e.db.Read(bg, func(tx *sqlstore.Tx) error {
		var err error
		m, err = tx.Message(bg, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// logged returns how many contact log entries message id has.
func (e *env) logged(t *testing.T, id int64) int {
	t.Helper()
	n := 0
	err := e.db.Read(bg, func(tx *sqlstore.Tx) error {
		return tx.EachContactAttempt(bg, sqlstore.ContactAttemptFilter{}, func(a sqlstore.ContactAttempt) error {
			if a.MessageID == id {
				n++
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSender_Delivers(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		st, err := e.sender(e.sms).Drain(bg)
		if err != nil || st.Sent != 1 || st.Claimed != 1 {
			t.Fatalf("Drain = %v, %v", st, err)
		}
		got := e.gw.Messages()
		if len(got) != 1 || got[0].OutID != itoa(m.ID) || got[0].Phone != "+8613800138000" || got[0].Sign != "【某某消费金融】" {
			t.Fatalf("gateway holds %+v", got)
		}
		sent := e.message(t, m.ID)
		if sent.Status != outbox.Sent || sent.ProviderID != got[0].BizID || e.logged(t, m.ID) != 1 {
			t.Errorf("after sending: %+v, %d log entries", sent, e.logged(t, m.ID))
		}
		if st, _ := e.sender(e.sms).Drain(bg); st.Claimed != 0 {
			t.Errorf("a second round claimed %d", st.Claimed)
		}
	})
}

// TestSender_CrashBetweenClaimAndSend: the process dies after claiming; the
// message is neither lost (it is claimed again when the lease ends) nor
// sent before then.
func TestSender_CrashBetweenClaimAndSend(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		dying := e.sender(e.sms)
		dying.crash = func(point string) bool { return point == "claimed" }
		if _, err := dying.RunOnce(bg); !errors.Is(err, errCrashed) {
			t.Fatalf("RunOnce = %v, want the simulated crash", err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Sending || len(e.gw.Messages()) != 0 {
			t.Fatalf("after the crash: %s, %d at the gateway", got.Status, len(e.gw.Messages()))
		}
		restarted := e.sender(e.sms)
		if st, _ := restarted.Drain(bg); st.Claimed != 0 {
			t.Errorf("claimed under the dead sender's live lease")
		}
		e.advance(outbox.Lease + time.Second)
		st, err := restarted.Drain(bg)
		if err != nil || st.Sent != 1 {
			t.Fatalf("after the lease: %v, %v", st, err)
		}
		if n := len(e.gw.Messages()); n != 1 || e.gw.Requests() != 1 {
			t.Errorf("gateway: %d messages from %d requests, want exactly 1", n, e.gw.Requests())
		}
		if got := e.message(t, m.ID); got.Status != outbox.Sent || got.Attempts != 2 || e.logged(t, m.ID) != 1 {
			t.Errorf("message %+v, %d log entries", got, e.logged(t, m.ID))
		}
	})
}

// TestSender_CrashBetweenSendAndRecord: the process dies after the gateway
// accepted the message and before the outbox recorded it. The message is
// claimed and handed over again, with the same out_id, and the gateway
// delivers it once.
func TestSender_CrashBetweenSendAndRecord(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		dying := e.sender(e.sms)
		dying.crash = func(point string) bool { return point == "sent" }
		if _, err := dying.RunOnce(bg); !errors.Is(err, errCrashed) {
			t.Fatalf("RunOnce = %v, want the simulated crash", err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Sending || len(e.gw.Messages()) != 1 {
			t.Fatalf("after the crash: %s, %d at the gateway", got.Status, len(e.gw.Messages()))
		}
		e.advance(outbox.Lease + time.Second)
		st, err := e.sender(e.sms).Drain(bg)
		if err != nil || st.Sent != 1 {
			t.Fatalf("after the lease: %v, %v", st, err)
		}
		if n, dups := len(e.gw.Messages()), e.gw.Duplicates(); n != 1 || dups != 1 {
			t.Errorf("gateway: %d delivered, %d duplicates dropped; want 1 and 1", n, dups)
		}
		got := e.message(t, m.ID)
		if got.Status != outbox.Sent || got.ProviderID != e.gw.Messages()[0].BizID || e.logged(t, m.ID) != 1 {
			t.Errorf("message %+v, %d log entries; want sent once, logged once", got, e.logged(t, m.ID))
		}
	})
}

// TestSender_LostAnswer: the gateway takes the message but the answer is
// lost; the retry is deduplicated by out_id.
func TestSender_LostAnswer(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		e.gw.DropResponses(1)
		st, err := e.sender(e.sms).Drain(bg)
		if err != nil || st.Retried != 1 {
			t.Fatalf("first round: %v, %v; want a retry", st, err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Queued || got.LastError == "" {
			t.Fatalf("after the lost answer: %+v", got)
		}
		e.advance(outbox.Backoff(1))
		if st, err := e.sender(e.sms).Drain(bg); err != nil || st.Sent != 1 {
			t.Fatalf("retry: %v, %v", st, err)
		}
		if n := len(e.gw.Messages()); n != 1 || e.gw.Duplicates() != 1 {
			t.Errorf("gateway: %d delivered, %d duplicates", n, e.gw.Duplicates())
		}
	})
}

func TestSender_RetriesThenFails(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		e.gw.FailNext(outbox.MaxAttempts, 503)
		for i := 1; i <= outbox.MaxAttempts; i++ {
			st, err := e.sender(e.sms).Drain(bg)
			if err != nil || st.Claimed != 1 {
				t.Fatalf("attempt %d: %v, %v", i, st, err)
			}
			e.advance(outbox.Backoff(i))
		}
		if got := e.message(t, m.ID); got.Status != outbox.Failed || got.Attempts != outbox.MaxAttempts {
			t.Errorf("after %d failures: %s after %d attempts", outbox.MaxAttempts, got.Status, got.Attempts)
		}
		if len(e.gw.Messages()) != 0 {
			t.Error("a message got through")
		}
	})
}

func TestSender_InvalidNumber(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		m := e.queue(t, "r1")
		e.gw.Reject("+8613800138000", "INVALID_NUMBER")
		st, err := e.sender(e.sms).Drain(bg)
		if err != nil || st.Failed != 1 {
			t.Fatalf("Drain = %v, %v", st, err)
		}
		if got := e.message(t, m.ID); got.Status != outbox.Failed {
			t.Errorf("status %s", got.Status)
		}
		var outcome compliance.Outcome
		_ = e.db.Read(bg, func(tx *sqlstore.Tx) error {
			return tx.EachContactAttempt(bg, sqlstore.ContactAttemptFilter{}, func(a sqlstore.ContactAttempt) error {
				outcome = a.Outcome
				return nil
			})
		})
		if outcome != compliance.InvalidNumber {
			t.Errorf("logged outcome %q, want invalid_number", outcome)
		}
	})
}

// TestSender_HoldsUntilWindow: a reminder queued at 02:00 is held; the
// sender leaves it alone until 08:00 and sends it then.
func TestSender_HoldsUntilWindow(t *testing.T) {
	t.Parallel()
	engines(t, func(t *testing.T, e *env) {
		e.set(time.Date(2026, 3, 9, 18, 0, 0, 0, time.UTC)) // 02:00
		m := e.queue(t, "r1")
		if m.Status != outbox.Held {
			t.Fatalf("queued as %s, want held", m.Status)
		}
		e.set(time.Date(2026, 3, 9, 23, 59, 0, 0, time.UTC)) // 07:59
		if st, _ := e.sender(e.sms).Drain(bg); st.Claimed != 0 || len(e.gw.Messages()) != 0 {
			t.Fatalf("sent before 08:00: %v", st)
		}
		e.set(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)) // 08:00
		if st, err := e.sender(e.sms).Drain(bg); err != nil || st.Sent != 1 {
			t.Fatalf("at 08:00: %v, %v", st, err)
		}
	})
}

// TestSender_Run stops when its context is cancelled.
func TestSender_Run(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.OpenSQLite(t))
	e.queue(t, "r1")
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	s := e.sender(e.sms)
	s.Interval = 10 * time.Millisecond
	go func() { done <- s.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(e.gw.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if len(e.gw.Messages()) != 1 {
		t.Errorf("gateway holds %d", len(e.gw.Messages()))
	}
}
