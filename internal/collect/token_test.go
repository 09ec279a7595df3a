package collect_test

import (
	"testing"
	"time"

	"accord/internal/auth"
	"accord/internal/collect"
	"accord/internal/errs"
)

func TestService_TokenLifecycle(t *testing.T) {
	engines(t, func(t *testing.T, f *fixture) {
		u := f.newUser(t, "core-sync", auth.Admin)
		tok, rec, err := f.svc.IssueToken(ctx, admin, collect.TokenRequest{Username: "core-sync", Name: "core banking", TTL: 48 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if !rec.ExpiresAt.Equal(t0.Add(48*time.Hour)) || rec.UserID != u.ID {
			t.Errorf("issued %+v, want expiry %v", rec, t0.Add(48*time.Hour))
		}
		def, defRec, err := f.svc.IssueToken(ctx, admin, collect.TokenRequest{Username: "core-sync", Name: "default"})
		if err != nil || !defRec.ExpiresAt.Equal(t0.Add(collect.DefaultTokenTTL)) {
			t.Fatalf("default expiry = %v, %v; want %v", defRec.ExpiresAt, err, t0.Add(collect.DefaultTokenTTL))
		}
		for _, req := range []collect.TokenRequest{
			{Username: "core-sync", Name: "forever", TTL: 2 * collect.MaxTokenTTL},
			{Username: "core-sync", Name: "gone", TTL: -time.Hour},
			{Username: "core-sync", Name: ""},
		} {
			if _, _, err := f.svc.IssueToken(ctx, admin, req); errs.CodeOf(err) != errs.Invalid {
				t.Errorf("IssueToken(%+v): err = %v, want Invalid", req, err)
			}
		}

		// Last use is recorded, at most once a minute.
		if _, err := f.svc.UserByToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		lastUsed := func() time.Time {
			list, err := f.svc.Tokens(ctx, "core-sync")
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range list {
				if x.ID == rec.ID {
					return x.LastUsedAt
				}
			}
			t.Fatalf("token %d not listed", rec.ID)
			return time.Time{}
		}
		if got := lastUsed(); !got.Equal(t0) {
			t.Errorf("last used = %v, want %v", got, t0)
		}
		f.advance(20 * time.Second)
		_, _ = f.svc.UserByToken(ctx, tok)
		if got := lastUsed(); !got.Equal(t0) {
			t.Errorf("last used rewritten within the minute: %v", got)
		}
		f.advance(50 * time.Second)
		_, _ = f.svc.UserByToken(ctx, tok)
		if got := lastUsed(); !got.Equal(t0.Add(70 * time.Second)) {
			t.Errorf("last used = %v, want %v", got, t0.Add(70*time.Second))
		}

		// Expired: refused, also when it was cached.
		f.advance(48 * time.Hour)
		if _, err := f.svc.UserByToken(ctx, tok); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("expired token: err = %v, want Unauthorized", err)
		}

		// Revoked: refused at once on this node, even while cached.
		if _, err := f.svc.UserByToken(ctx, def); err != nil {
			t.Fatal(err)
		}
		revoked, err := f.svc.RevokeToken(ctx, admin, defRec.ID)
		if err != nil || revoked.RevokedAt.IsZero() {
			t.Fatalf("RevokeToken = %+v, %v", revoked, err)
		}
		if _, err := f.svc.UserByToken(ctx, def); errs.CodeOf(err) != errs.Unauthorized {
			t.Errorf("revoked token: err = %v, want Unauthorized", err)
		}
		if _, err := f.svc.RevokeToken(ctx, admin, defRec.ID); err != nil {
			t.Errorf("revoking again: %v", err)
		}
		if _, err := f.svc.RevokeToken(ctx, admin, 999); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("unknown token: err = %v, want NotFound", err)
		}
		list, err := f.svc.Tokens(ctx, "core-sync")
		if err != nil || len(list) != 2 || list[0].ID != defRec.ID || list[0].RevokedAt.IsZero() {
			t.Errorf("Tokens = %+v, %v", list, err)
		}
		acts := f.actions(t, 0)
		n := 0
		for _, a := range acts {
			if a == "token.revoke" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d token.revoke events, want 1 (revoking again records nothing)", n)
		}
	})
}
