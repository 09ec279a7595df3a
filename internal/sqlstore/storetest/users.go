package storetest

import (
	"crypto/sha256"
	"encoding/json"
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func testUsers(t *testing.T, db *sqlstore.DB) {
	alice := auth.User{Username: "alice", DisplayName: "王芳", PasswordHash: "$argon2id$x", Roles: []auth.Role{auth.Collector},
		TeamID: 3, Language: "zh-CN"}
	bob := auth.User{Username: "bob", Roles: []auth.Role{auth.Supervisor, auth.Auditor}, Language: "en"}
	agent := auth.User{Username: "carol", Roles: []auth.Role{auth.AgencyAgent}, AgencyID: 9, Disabled: true}
	write(t, db, func(tx *sqlstore.Tx) error {
		for _, u := range []*auth.User{&alice, &bob, &agent} {
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := auth.User{Username: "alice"}
		return tx.CreateUser(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.User(ctx, alice.ID)
		if d := diff(alice, got); d != "" {
			t.Errorf("User (-want +got):\n%s", d)
		}
		byName, err2 := tx.UserByUsername(ctx, "carol")
		if d := diff(agent, byName); d != "" || err2 != nil {
			t.Errorf("UserByUsername %v (-want +got):\n%s", err2, d)
		}
		_, err2 = tx.UserByUsername(ctx, "nobody")
		wantCode(t, err2, errs.NotFound)
		_, err2 = tx.User(ctx, 999)
		wantCode(t, err2, errs.NotFound)
		for _, tt := range []struct {
			name string
			f    sqlstore.UserFilter
			want []string
		}{
			{"All", sqlstore.UserFilter{}, []string{"alice", "bob", "carol"}},
			{"Role", sqlstore.UserFilter{Role: ptr(auth.Auditor)}, []string{"bob"}},
			{"Team", sqlstore.UserFilter{TeamID: ptr(int64(3))}, []string{"alice"}},
			{"Agency", sqlstore.UserFilter{AgencyID: ptr(int64(9))}, []string{"carol"}},
			{"Enabled", sqlstore.UserFilter{Disabled: ptr(false)}, []string{"alice", "bob"}},
		} {
			list, total, err := tx.Users(ctx, tt.f)
			var names []string
			for _, u := range list {
				names = append(names, u.Username)
			}
			if d := diff(tt.want, names); d != "" || total != len(tt.want) || err != nil {
				t.Errorf("Users(%s) = %v (total %d), %v; want %v", tt.name, names, total, err, tt.want)
			}
		}
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.UpdateUser(ctx, alice.ID, sqlstore.UserUpdate{Roles: &[]auth.Role{auth.Negotiator}, Disabled: ptr(true),
			Language: ptr("en")})
		if err != nil {
			return err
		}
		want := alice
		want.Roles, want.Disabled, want.Language = []auth.Role{auth.Negotiator}, true, "en"
		if d := diff(want, got); d != "" {
			t.Errorf("UpdateUser (-want +got):\n%s", d)
		}
		_, err = tx.UpdateUser(ctx, 999, sqlstore.UserUpdate{})
		wantCode(t, err, errs.NotFound)
		return nil
	})
}

func testSessionsAndTokens(t *testing.T, db *sqlstore.DB) {
	u := auth.User{Username: "alice", Roles: []auth.Role{auth.Admin}}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateUser(ctx, &u) })
	h := sha256.Sum256([]byte("cookie-token"))
	old := sha256.Sum256([]byte("old-token"))
	s := auth.Session{Hash: h[:], UserID: u.ID, CSRFToken: "csrf", CreatedAt: t0, ExpiresAt: t0.Add(12 * time.Hour)}
	expired := auth.Session{Hash: old[:], UserID: u.ID, CSRFToken: "c2", CreatedAt: t0.Add(-24 * time.Hour), ExpiresAt: t0.Add(-time.Hour)}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateSession(ctx, &s); err != nil {
			return err
		}
		return tx.CreateSession(ctx, &expired)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.Session(ctx, h[:])
		if d := diff(s, got); d != "" {
			t.Errorf("Session (-want +got):\n%s", d)
		}
		gotOld, err2 := tx.Session(ctx, old[:])
		if err2 != nil || !gotOld.ExpiresAt.Equal(expired.ExpiresAt) {
			t.Errorf("Session(expired) = %+v, %v", gotOld, err2)
		}
		_, err2 = tx.Session(ctx, []byte("nope"))
		wantCode(t, err2, errs.NotFound)
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		if n, err := tx.DeleteExpiredSessions(ctx, t0); n != 1 || err != nil {
			t.Errorf("DeleteExpiredSessions = %d, %v", n, err)
		}
		if err := tx.DeleteSession(ctx, h[:]); err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, h[:]); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, &s); err != nil {
			return err
		}
		if n, err := tx.DeleteUserSessions(ctx, u.ID); n != 1 || err != nil {
			t.Errorf("DeleteUserSessions = %d, %v", n, err)
		}
		return nil
	})
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		orphan := auth.Session{Hash: []byte{1}, UserID: 999, ExpiresAt: t0}
		return tx.CreateSession(ctx, &orphan)
	})
	wantCode(t, err, errs.Invalid)

	th := sha256.Sum256([]byte("acc_live_secret"))
	tok := auth.APIToken{Name: "core banking", UserID: u.ID, Prefix: "acc_live", Hash: th[:]}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.CreateAPIToken(ctx, &tok) })
	err = db.InTx(ctx, func(tx *sqlstore.Tx) error {
		dup := tok
		return tx.CreateAPIToken(ctx, &dup)
	})
	wantCode(t, err, errs.Conflict)
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.TouchAPIToken(ctx, tok.ID, t0); err != nil {
			return err
		}
		if err := tx.RevokeAPIToken(ctx, tok.ID); err != nil {
			return err
		}
		wantCode(t, tx.TouchAPIToken(ctx, 999, t0), errs.NotFound)
		wantCode(t, tx.RevokeAPIToken(ctx, 999), errs.NotFound)
		return nil
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.APITokenByHash(ctx, th[:])
		if err != nil {
			return err
		}
		if got.ID != tok.ID || !got.LastUsedAt.Equal(t0) || got.RevokedAt.IsZero() || got.Name != "core banking" {
			t.Errorf("APITokenByHash = %+v", got)
		}
		list, err := tx.APITokens(ctx, u.ID)
		if len(list) != 1 || list[0].ID != tok.ID {
			t.Errorf("APITokens = %+v", list)
		}
		_, err2 := tx.APITokenByHash(ctx, []byte("nope"))
		wantCode(t, err2, errs.NotFound)
		return err
	})
}

func testIdempotency(t *testing.T, db *sqlstore.DB) {
	r := sqlstore.IdempotencyRecord{Scope: "user:1 POST /api/v1/payments", Key: "k-1", RequestHash: "abc",
		StatusCode: 201, Response: json.RawMessage(`{"id":5}`)}
	write(t, db, func(tx *sqlstore.Tx) error { return tx.SaveIdempotencyRecord(ctx, &r) })
	err := db.InTx(ctx, func(tx *sqlstore.Tx) error {
		again := r
		return tx.SaveIdempotencyRecord(ctx, &again)
	})
	wantCode(t, err, errs.Conflict)
	write(t, db, func(tx *sqlstore.Tx) error {
		other := r
		other.Scope = "user:2 POST /api/v1/payments"
		return tx.SaveIdempotencyRecord(ctx, &other)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.IdempotencyRecord(ctx, r.Scope, "k-1")
		if d := diff(r, got); d != "" {
			t.Errorf("IdempotencyRecord (-want +got):\n%s", d)
		}
		_, err2 := tx.IdempotencyRecord(ctx, r.Scope, "k-2")
		wantCode(t, err2, errs.NotFound)
		return err
	})
	write(t, db, func(tx *sqlstore.Tx) error {
		n, err := tx.DeleteIdempotencyRecords(ctx, r.CreatedAt.Add(time.Second))
		if n != 2 {
			t.Errorf("DeleteIdempotencyRecords = %d, want 2", n)
		}
		return err
	})
}

func testImports(t *testing.T, db *sqlstore.DB) {
	a := sqlstore.Import{Kind: "borrowers", SHA256: "aa", Filename: "borrowers.csv", Rows: 10, Actor: "alice"}
	b := sqlstore.Import{Kind: "borrowers", SHA256: "aa", Filename: "borrowers (1).csv", Rows: 10, Actor: "bob"}
	write(t, db, func(tx *sqlstore.Tx) error {
		if err := tx.CreateImport(ctx, &a); err != nil {
			return err
		}
		return tx.CreateImport(ctx, &b)
	})
	read(t, db, func(tx *sqlstore.Tx) error {
		got, err := tx.ImportBySHA256(ctx, "borrowers", "aa")
		if d := diff(b, got); d != "" {
			t.Errorf("ImportBySHA256 (-want +got):\n%s", d)
		}
		_, err2 := tx.ImportBySHA256(ctx, "loans", "aa")
		wantCode(t, err2, errs.NotFound)
		list, err2 := tx.Imports(ctx, 0)
		if len(list) != 2 || list[0].ID != b.ID || err2 != nil {
			t.Errorf("Imports = %+v, %v", list, err2)
		}
		return err
	})
}
