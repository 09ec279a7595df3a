package storetest

import (
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// testLoginThrottle counts failures per key in a window, locks at the
// limit, starts again after the window, and counts concurrent failures
// from several writers without losing any.
func testLoginThrottle(t *testing.T, db *sqlstore.DB) {
	const window, lockout = 15 * time.Minute, 15 * time.Minute
	fail := func(key string, at time.Time) sqlstore.LoginThrottle {
		t.Helper()
		var got sqlstore.LoginThrottle
		write(t, db, func(tx *sqlstore.Tx) error {
			var err error
			got, err = tx.RecordLoginFailure(ctx, key, at, window, 3, lockout)
			return err
		})
		return got
	}
	get := func(key string) sqlstore.LoginThrottle {
		t.Helper()
		var got sqlstore.LoginThrottle
		read(t, db, func(tx *sqlstore.Tx) error {
			var err error
			got, err = tx.LoginThrottle(ctx, key)
			return err
		})
		return got
	}
	if got := get("user:nobody"); got.Failures != 0 || !got.LockedUntil.IsZero() {
		t.Errorf("LoginThrottle(no row) = %+v", got)
	}
	if got := fail("user:li", t0); got.Failures != 1 || !got.WindowStart.Equal(t0) || !got.LockedUntil.IsZero() {
		t.Errorf("first failure = %+v", got)
	}
	// A failure after the window starts the count again.
	if got := fail("user:li", t0.Add(window)); got.Failures != 1 || !got.WindowStart.Equal(t0.Add(window)) {
		t.Errorf("failure after the window = %+v, want a new count", got)
	}
	t1 := t0.Add(window)
	fail("user:li", t1.Add(time.Minute))
	got := fail("user:li", t1.Add(2*time.Minute))
	if want := t1.Add(2*time.Minute + lockout); !got.LockedUntil.Equal(want) || got.Failures != 0 {
		t.Errorf("third failure in the window = %+v, want locked until %v", got, want)
	}
	if got := get("user:li"); !got.LockedUntil.Equal(t1.Add(2*time.Minute+lockout)) || got.Failures != 0 {
		t.Errorf("LoginThrottle after lock = %+v", got)
	}
	if got := get("addr:127.0.0.1"); got.Failures != 0 {
		t.Errorf("another key counted: %+v", got)
	}

	// Refusals while locked: the first is audited, then one a minute
	// standing for those in between.
	for _, c := range []struct {
		at    time.Time
		audit bool
		n     int
	}{{t1.Add(3 * time.Minute), true, 1}, {t1.Add(3*time.Minute + 10*time.Second), false, 1}, {t1.Add(3*time.Minute + 20*time.Second), false, 2},
		{t1.Add(4 * time.Minute), true, 3}} {
		write(t, db, func(tx *sqlstore.Tx) error {
			audit, n, err := tx.RecordLoginRefused(ctx, "user:li", c.at, time.Minute)
			if audit != c.audit || n != c.n {
				t.Errorf("RecordLoginRefused at %v = %v, %d; want %v, %d", c.at, audit, n, c.audit, c.n)
			}
			return err
		})
	}

	// Stale rows go; locked and recent ones stay.
	fail("user:old", t0)
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.DeleteStaleLoginThrottles(ctx, t1.Add(3*time.Minute), t1.Add(3*time.Minute))
		if n != 1 {
			t.Errorf("DeleteStaleLoginThrottles = %d, want 1 (user:old)", n)
		}
		return err
	})
	if got := get("user:li"); got.LockedUntil.IsZero() {
		t.Error("DeleteStaleLoginThrottles removed a locked key")
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		had, err := tx.ClearLoginThrottle(ctx, "user:li")
		again, err2 := tx.ClearLoginThrottle(ctx, "user:li")
		if !had || again || err2 != nil {
			t.Errorf("ClearLoginThrottle = %v then %v (%v), want true then false", had, again, err2)
		}
		return err
	})
	if got := get("user:li"); got.Failures != 0 || !got.LockedUntil.IsZero() {
		t.Errorf("after clear = %+v", got)
	}

	// Failures from many writers at once are all counted.
	const writers = 6
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			if err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
				_, err := tx.RecordLoginFailure(ctx, "addr:10.0.0.9", t0, window, 100, lockout)
				return err
			}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := get("addr:10.0.0.9"); got.Failures != writers {
		t.Errorf("concurrent failures counted %d, want %d", got.Failures, writers)
	}
}

// testTokenExpiry stores a token's expiry and finds a token by id.
func testTokenExpiry(t *testing.T, db *sqlstore.DB) {
	u := auth.User{Username: "sync", Roles: []auth.Role{auth.Admin}}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateUser(ctx, &u) })
	h := sha256.Sum256([]byte("acc_expiring"))
	tok := auth.APIToken{Name: "core", UserID: u.ID, Prefix: "acc_expiri", Hash: h[:], ExpiresAt: t0.Add(90*24*time.Hour + 123)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAPIToken(ctx, &tok) })
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.APIToken(ctx, tok.ID)
		if err != nil {
			return err
		}
		if !got.ExpiresAt.Equal(t0.Add(90*24*time.Hour)) || got.Name != "core" || !got.LastUsedAt.IsZero() {
			t.Errorf("APIToken = %+v, want expiry %v", got, t0.Add(90*24*time.Hour))
		}
		if got.Usable(t0.Add(90*24*time.Hour)) || !got.Usable(t0) {
			t.Errorf("Usable wrong around the expiry %v", got.ExpiresAt)
		}
		_, err = tx.APIToken(ctx, 999)
		wantCode(t, err, errs.NotFound)
		return nil
	})
}

// testAuditMAC signs events with the audit key, seals events written
// before the key, and shows what the MAC catches that the hashes do not.
func testAuditMAC(t *testing.T, db *sqlstore.DB) {
	key := []byte("audit-key-0123456789abcdef012345")
	write(t, db, func(tx *sqlstore.Tx) error { return tx.AppendAudit(ctx, event(0)) }) // before the key
	db.SetAuditKey(key)
	write(t, db, func(tx *sqlstore.Tx) error {
		for i := 1; i < 4; i++ {
			if err := tx.AppendAudit(ctx, event(i)); err != nil {
				return err
			}
		}
		return nil
	})
	all := func() []audit.Event {
		var out []audit.Event
		if err := db.AuditEvents(ctx, func(e audit.Event) error {
			out = append(out, e)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	events := all()
	if events[0].MAC != "" {
		t.Errorf("event 1 written before the key has MAC %q", events[0].MAC)
	}
	for _, e := range events[1:] {
		if e.MAC != audit.MAC(key, e.Seq, e.Hash) {
			t.Errorf("event %d MAC = %q, want the HMAC of its hash", e.Seq, e.MAC)
		}
	}
	v := audit.Verifier{Key: key}
	for _, e := range events {
		v.Add(e)
	}
	if bad, _, ok := v.Result(); ok || bad != 1 {
		t.Errorf("unsealed event 1: Result = %d, %v; want 1, false", bad, ok)
	}
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.SealAuditEvents(ctx, 4)
		if n != 1 {
			t.Errorf("SealAuditEvents = %d, want 1", n)
		}
		return err
	})
	v = audit.Verifier{Key: key}
	for _, e := range all() {
		v.Add(e)
	}
	if bad, reason, ok := v.Result(); !ok {
		t.Errorf("sealed chain broken at %d: %s", bad, reason)
	}
}
