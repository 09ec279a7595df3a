package collect_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/sqlstore/storetest"
)

func TestService_LoginThrottle(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.newUser(t, "li.collector", auth.Collector)
		f.svc.SetLoginPolicy(collect.LoginPolicy{UserFailures: 5, UserWindow: 15 * time.Minute, UserLockout: 15 * time.Minute,
			AddrFailures: 8, AddrWindow: 15 * time.Minute, AddrLockout: 15 * time.Minute})
		login := func(user, pw, addr string) error {
			_, _, err := f.svc.LoginFrom(ctx, collect.LoginAttempt{Username: user, Password: pw, Addr: addr, RequestID: "req"})
			return err
		}
		start := len(f.events(t))
		for i := range 5 {
			if err := login("li.collector", "wrong password!", "203.0.113.7"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("failure %d: err = %v", i+1, err)
			}
		}
		// Locked: the right password is refused exactly as a wrong one,
		// also from another address and in another letter case, and the
		// attempt is audited as refused while locked.
		for _, c := range []struct{ user, addr string }{{"li.collector", "203.0.113.7"}, {"LI.Collector", "198.51.100.2"}} {
			if err := login(c.user, password, c.addr); err != auth.ErrBadCredentials {
				t.Errorf("locked %s from %s: err = %v, want the wrong-password error", c.user, c.addr, err)
			}
		}
		// Refusals while locked are audited at most once a minute per
		// locked name, the audited one counting those in between.
		f.advance(61 * time.Second)
		if err := login("li.collector", password, "203.0.113.7"); err != auth.ErrBadCredentials {
			t.Errorf("still locked: err = %v", err)
		}
		got := f.actions(t, start)
		want := []string{"user.login_failed", "user.login_failed", "user.login_failed", "user.login_failed", "user.login_failed",
			"user.login_locked", "user.login_locked"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("audit actions = %v, want %v", got, want)
		}
		if last := f.events(t)[start+6]; !strings.Contains(string(last.Summary), `"attempts":2`) || !strings.Contains(string(last.Summary), `"locked":"user"`) {
			t.Errorf("the second locked audit event is %s, want it to count 2 attempts of a locked user", last.Summary)
		}
		fifth := f.events(t)[start+4]
		if s := string(fifth.Summary); !strings.Contains(s, `"user_locked_until"`) || !strings.Contains(s, `"address":"203.0.113.7"`) {
			t.Errorf("the locking failure is audited as %s", s)
		}
		// Other users are not locked by li's failures.
		f.newUser(t, "wang", auth.Collector)
		if err := login("wang", password, "198.51.100.2"); err != nil {
			t.Errorf("another user: %v", err)
		}
		// The lock ends by itself …
		f.advance(14 * time.Minute)
		if err := login("li.collector", password, "203.0.113.7"); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		// … and a successful sign-in clears the count: four more failures do
		// not lock.
		for range 4 {
			_ = login("li.collector", "wrong password!", "198.51.100.9")
		}
		if err := login("li.collector", password, "198.51.100.9"); err != nil {
			t.Errorf("four failures after a success locked the user: %v", err)
		}

		// An administrator unlocks at once.
		for range 5 {
			_ = login("li.collector", "wrong password!", "198.51.100.10")
		}
		if err := login("li.collector", password, "198.51.100.10"); err == nil {
			t.Fatal("not locked after five failures")
		}
		had, err := f.svc.UnlockUser(ctx, admin, "li.collector")
		if err != nil || !had {
			t.Fatalf("UnlockUser = %v, %v", had, err)
		}
		if err := login("li.collector", password, "198.51.100.10"); err != nil {
			t.Errorf("after unlock: %v", err)
		}
		f.mustVerify(t)
	})
}

func TestService_LoginThrottleByAddress(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.newUser(t, "li.collector", auth.Collector)
		f.svc.SetLoginPolicy(collect.LoginPolicy{AddrFailures: 4})
		login := func(user, pw, addr string) error {
			_, _, err := f.svc.LoginFrom(ctx, collect.LoginAttempt{Username: user, Password: pw, Addr: addr})
			return err
		}
		// Spraying many names from one address locks the address, not
		// the names; unknown names are counted and audited masked.
		for _, name := range []string{"a1", "b22", "c333", "secretpassword"} {
			if err := login(name, "whatever-pass", "203.0.113.50"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if err := login("li.collector", password, "203.0.113.50"); err != auth.ErrBadCredentials {
			t.Errorf("locked address: err = %v, want the wrong-password error", err)
		}
		if err := login("li.collector", password, "203.0.113.51"); err != nil {
			t.Errorf("another address: %v", err)
		}
		for _, e := range f.events(t) {
			if strings.Contains(string(e.Summary), "secretpassword") {
				t.Errorf("an unknown name was audited in full: %s %s", e.Action, e.Summary)
			}
		}
		if had, err := f.svc.UnlockAddress(ctx, admin, "203.0.113.50"); err != nil || !had {
			t.Fatalf("UnlockAddress = %v, %v", had, err)
		}
		if err := login("li.collector", password, "203.0.113.50"); err != nil {
			t.Errorf("after unlocking the address: %v", err)
		}
	})
}

// TestService_LoginThrottleShared: two nodes (two services over one
// database) share the count.
func TestService_LoginThrottleShared(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		f.newUser(t, "li.collector", auth.Collector)
		other := collect.New(f.db, collect.Options{Now: f.clock, SessionTTL: time.Hour})
		for i := range 5 {
			svc := f.svc
			if i%2 == 1 {
				svc = other
			}
			_, _, _ = svc.LoginFrom(ctx, collect.LoginAttempt{Username: "li.collector", Password: "wrong password!", Addr: "10.1.1.1"})
		}
		for _, svc := range []*collect.Service{f.svc, other} {
			if _, _, err := svc.Login(ctx, "li.collector", password, ""); err == nil {
				t.Error("a node let a locked user in")
			}
		}
	})
}

func TestService_UsersWithPassword(t *testing.T) {
	t.Parallel()
	f := newFixture(t, storetest.OpenSQLite(t))
	f.newUser(t, "admin", auth.Admin)
	f.newUser(t, "collector", auth.Collector)
	if _, err := f.svc.CreateUser(ctx, admin, auth.User{Username: "supervisor", Roles: []auth.Role{auth.Supervisor}}, "a changed password"); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.UsersWithPassword(ctx, []string{"admin", "supervisor", "collector", "nobody"}, []string{"other password", password})
	if err != nil || strings.Join(got, ",") != "admin,collector" {
		t.Errorf("UsersWithPassword = %v, %v; want admin, collector", got, err)
	}
}
