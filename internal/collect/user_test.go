package collect_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

const password = "correct horse battery"

func (f *fixture) newUser(t *testing.T, name string, role auth.Role) auth.User {
	t.Helper()
	u, err := f.svc.CreateUser(ctx, admin, auth.User{Username: name, Roles: []auth.Role{role}}, password)
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u
}

func TestService_CreateUser(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		u := f.newUser(t, "wang.collector", auth.Collector)
		if u.ID == 0 || u.Language != "zh-CN" || u.DisplayName != "wang.collector" || u.PasswordHash == "" {
			t.Errorf("created user = %+v", u)
		}
		before := f.counts(t)
		tests := []struct {
			name      string
			u         auth.User
			password  string
			wantCode  errs.Code
			wantField string
		}{
			{"taken username", auth.User{Username: "wang.collector", Roles: []auth.Role{auth.Auditor}}, password, errs.Conflict, ""},
			{"no username", auth.User{Roles: []auth.Role{auth.Auditor}}, password, errs.Invalid, "username"},
			{"no role", auth.User{Username: "x"}, password, errs.Invalid, "roles"},
			{"unknown role", auth.User{Username: "x", Roles: []auth.Role{"root"}}, password, errs.Invalid, "roles"},
			{"short password", auth.User{Username: "x", Roles: []auth.Role{auth.Auditor}}, "short", errs.Invalid, "password"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.svc.CreateUser(ctx, admin, tt.u, tt.password)
				if errs.CodeOf(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
				if fs := errs.FieldsOf(err); tt.wantField != "" && (len(fs) != 1 || fs[0].Field != tt.wantField) {
					t.Errorf("fields = %+v, want %s", fs, tt.wantField)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM users"); n != 1 {
			t.Errorf("%d users, want 1", n)
		}
		if diff := cmp.Diff(before, f.counts(t)); diff != "" {
			t.Errorf("refused users wrote rows (-before +after):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"user.create"}, f.actions(t, 0)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
	})
}

func TestService_Login(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		u := f.newUser(t, "li.collector", auth.Collector)
		off := f.newUser(t, "gone", auth.Collector)
		disabled := true
		if err := f.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			_, err := tx.UpdateUser(ctx, off.ID, sqlstore.UserUpdate{Disabled: &disabled})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		events := len(f.events(t))

		t.Run("ErrBadCredentials", func(t *testing.T) {
			for _, c := range []struct{ name, user, pw string }{
				{"wrong password", "li.collector", "wrong password!"},
				{"unknown user", "nobody", password},
				{"disabled user", "gone", password},
			} {
				if _, _, err := f.svc.Login(ctx, c.user, c.pw, "req-1"); !errors.Is(err, auth.ErrBadCredentials) {
					t.Errorf("%s: err = %v, want ErrBadCredentials", c.name, err)
				}
			}
			if n := f.count(t, "SELECT COUNT(*) FROM sessions"); n != 0 {
				t.Errorf("%d sessions after failed logins", n)
			}
			// Every failure is evidence: audited, with the name as typed
			// when it is a user's and masked when it matches nobody.
			failed := f.events(t)[events:]
			if len(failed) != 3 {
				t.Fatalf("failed logins wrote %d audit events, want 3", len(failed))
			}
			for i, want := range []string{`"username":"li.collector"`, `"username":"n*****"`, `"username":"gone"`} {
				if e := failed[i]; e.Action != "user.login_failed" || !strings.Contains(string(e.Summary), want) {
					t.Errorf("failure %d audited as %s %s, want user.login_failed with %s", i+1, e.Action, e.Summary, want)
				}
			}
			events += 3
		})

		tok, got, err := f.svc.Login(ctx, " li.collector ", password, "req-login")
		if err != nil || got.ID != u.ID || len(tok) < 40 {
			t.Fatalf("Login = %q, %+v, %v", tok, got, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", u.ID); n != 1 {
			t.Errorf("%d sessions stored, want 1", n)
		}
		e := f.events(t)[events]
		if e.Action != "user.login" || e.Actor.UserID != u.ID || e.RequestID != "req-login" {
			t.Errorf("audit event = %+v", e)
		}

		t.Run("UserBySession", func(t *testing.T) {
			su, sess, err := f.svc.UserBySession(ctx, tok)
			if err != nil || su.ID != u.ID || len(sess.CSRFToken) < 20 || !sess.ExpiresAt.Equal(t0.Add(time.Hour)) {
				t.Fatalf("UserBySession = %+v, %+v, %v", su, sess, err)
			}
			_, again, _ := f.svc.UserBySession(ctx, tok)
			if again.CSRFToken != sess.CSRFToken {
				t.Error("the CSRF token changes between requests of one session")
			}
			if _, _, err := f.svc.UserBySession(ctx, tok+"x"); errs.CodeOf(err) != errs.Unauthorized {
				t.Errorf("unknown session: err = %v, want Unauthorized", err)
			}
			other, _, err := f.svc.Login(ctx, "li.collector", password, "")
			if err != nil {
				t.Fatal(err)
			}
			_, sess2, _ := f.svc.UserBySession(ctx, other)
			if sess2.CSRFToken == sess.CSRFToken {
				t.Error("two sessions share a CSRF token")
			}
		})
		t.Run("Expiry", func(t *testing.T) {
			f.advance(time.Hour)
			defer f.advance(-time.Hour)
			if _, _, err := f.svc.UserBySession(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
				t.Errorf("expired session: err = %v, want Unauthorized", err)
			}
		})
		t.Run("Logout", func(t *testing.T) {
			if err := f.svc.Logout(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.UserBySession(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
				t.Errorf("after logout: err = %v, want Unauthorized", err)
			}
		})
		t.Run("SetPasswordEndsSessions", func(t *testing.T) {
			tok, _, err := f.svc.Login(ctx, "li.collector", password, "")
			if err != nil {
				t.Fatal(err)
			}
			before := len(f.events(t))
			if err := f.svc.SetPassword(ctx, admin, "li.collector", "another good password"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.UserBySession(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
				t.Errorf("session survived a password change: %v", err)
			}
			if _, _, err := f.svc.Login(ctx, "li.collector", password, ""); !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("old password still works: %v", err)
			}
			if _, _, err := f.svc.Login(ctx, "li.collector", "another good password", ""); err != nil {
				t.Errorf("new password: %v", err)
			}
			if diff := cmp.Diff([]string{"user.password", "user.login_failed", "user.login"}, f.actions(t, before)); diff != "" {
				t.Errorf("audit actions (-want +got):\n%s", diff)
			}
		})
		f.mustVerify(t)
	})
}

func TestService_UserByToken(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		u := f.newUser(t, "core-sync", auth.Admin)
		before := len(f.events(t))
		tok, err := f.svc.CreateToken(ctx, admin, "core-sync", "core banking")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.UserByToken(ctx, tok); err != nil || got.ID != u.ID {
			t.Fatalf("UserByToken = %+v, %v", got, err)
		}
		var stored []auth.APIToken
		f.read(t, func(tx *sqlstore.Tx) error {
			stored, err = tx.APITokens(ctx, u.ID)
			return err
		})
		if len(stored) != 1 || stored[0].Prefix != tok[:10] || string(stored[0].Hash) == tok {
			t.Errorf("stored tokens = %+v", stored)
		}
		if diff := cmp.Diff([]string{"token.create"}, f.actions(t, before)); diff != "" {
			t.Errorf("audit actions (-want +got):\n%s", diff)
		}
		if _, err := f.svc.UserByToken(ctx, "acc_not-a-token"); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("unknown token: err = %v, want Unauthorized", err)
		}
		if _, err := f.svc.CreateToken(ctx, admin, "nobody", "x"); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("token for an unknown user: err = %v, want NotFound", err)
		}
		if err := f.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.RevokeAPIToken(ctx, stored[0].ID) }); err != nil {
			t.Fatal(err)
		}
		// Lookups are cached for at most 30 s (collect's tokenCacheTTL), so a
		// revocation takes effect within that.
		f.advance(31 * time.Second)
		if _, err := f.svc.UserByToken(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("revoked token 31 s later: err = %v, want Unauthorized", err)
		}
	})
}
