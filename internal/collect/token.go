package collect

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// Token lifetimes: every API token expires. DefaultTokenTTL is what a token
// gets when none is asked for; MaxTokenTTL bounds what may be asked for.
const (
	DefaultTokenTTL = 90 * 24 * time.Hour
	MaxTokenTTL     = 366 * 24 * time.Hour
)

// tokenCacheTTL bounds how long a revoked token or a changed role can still
// be used by a node that cached it. Integrations call at high rates; the
// cache saves two queries per request.
const tokenCacheTTL = 30 * time.Second

// tokenTouchEvery is how often a token's last_used_at is written: at most
// once a minute per token, however often it is used.
const tokenTouchEvery = time.Minute

type tokenEntry struct {
	user    auth.User
	id      int64
	until   time.Time // cache expiry: tokenCacheTTL, or the token's own expiry if sooner
	mu      *sync.Mutex
	touched *time.Time // last_used_at as last written or read
}

// TokenRequest asks for an API token.
type TokenRequest struct {
	Username string        // the user the token acts as
	Name     string        // what it is for, e.g. core-banking-sync
	TTL      time.Duration // how long it lasts; DefaultTokenTTL when zero, at most MaxTokenTTL
}

// CreateToken issues an API token acting as username, valid for
// DefaultTokenTTL, and returns it; it is shown once and only its hash is
// kept.
func (s *Service) CreateToken(ctx context.Context, by Actor, username, name string) (string, error) {
	tok, _, err := s.IssueToken(ctx, by, TokenRequest{Username: username, Name: name})
	return tok, err
}

// IssueToken issues an API token and returns it (shown once; only its hash
// is kept) with its stored record. It returns an Invalid error for a
// missing name or a lifetime out of range.
func (s *Service) IssueToken(ctx context.Context, by Actor, req TokenRequest) (string, auth.APIToken, error) {
	if strings.TrimSpace(req.Name) == "" {
		return "", auth.APIToken{}, errs.Field("name", "is required")
	}
	switch {
	case req.TTL == 0:
		req.TTL = DefaultTokenTTL
	case req.TTL < time.Minute:
		return "", auth.APIToken{}, errs.Field("expires", "must be at least a minute away")
	case req.TTL > MaxTokenTTL:
		return "", auth.APIToken{}, errs.Field("expires", "may be at most %d days away", int(MaxTokenTTL.Hours()/24))
	}
	tok := "acc_" + randomToken(30)
	var t auth.APIToken
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		u, err := tx.UserByUsername(ctx, req.Username)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		t = auth.APIToken{Name: req.Name, UserID: u.ID, Prefix: tok[:10], Hash: tokenHash(tok), ExpiresAt: now.Add(req.TTL)}
		if err = tx.CreateAPIToken(ctx, &t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "token.create", "api_token", strconv.FormatInt(t.ID, 10),
			map[string]any{"name": req.Name, "user": req.Username, "prefix": t.Prefix, "expires_at": t.ExpiresAt}))
	})
	if err != nil {
		return "", auth.APIToken{}, fmt.Errorf("create token: %w", err)
	}
	return tok, t, nil
}

// UserByToken returns the user an API token acts as; an unknown, revoked
// or expired token is Unauthorized. It records when the token was last
// used, at most once a minute.
func (s *Service) UserByToken(ctx context.Context, tok string) (auth.User, error) {
	key := string(tokenHash(tok))
	now := s.now()
	if c, ok := s.tokens.Load(key); ok {
		if e := c.(tokenEntry); now.Before(e.until) {
			s.touchToken(ctx, e, now)
			return e.user, nil
		}
		s.tokens.Delete(key)
	}
	var u auth.User
	var t auth.APIToken
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if t, err = tx.APITokenByHash(ctx, tokenHash(tok)); err != nil {
			return err
		}
		if !t.Usable(now) {
			return errs.Errorf(errs.Unauthorized, "Token revoked or expired.")
		}
		u, err = tx.User(ctx, t.UserID)
		return err
	})
	if err != nil || u.Disabled {
		return auth.User{}, errs.Errorf(errs.Unauthorized, "Invalid, expired or revoked API token.")
	}
	e := tokenEntry{user: u, id: t.ID, until: now.Add(tokenCacheTTL), mu: new(sync.Mutex), touched: &t.LastUsedAt}
	if !t.ExpiresAt.IsZero() && t.ExpiresAt.Before(e.until) {
		e.until = t.ExpiresAt
	}
	s.tokens.Store(key, e)
	s.touchToken(ctx, e, now)
	return u, nil
}

// touchToken writes the token's last_used_at when it was last written more
// than tokenTouchEvery ago. A failure is logged: it must not refuse the
// request.
func (s *Service) touchToken(ctx context.Context, e tokenEntry, now time.Time) {
	if !e.mu.TryLock() {
		return // another request is writing it
	}
	defer e.mu.Unlock()
	if now.Sub(*e.touched) < tokenTouchEvery {
		return
	}
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error { return tx.TouchAPIToken(ctx, e.id, now) })
	if err != nil {
		s.log.Warn("record api token use", "token_id", e.id, "err", err)
		return
	}
	*e.touched = now
}

// Tokens lists the API tokens of username, newest first, revoked and
// expired ones included.
func (s *Service) Tokens(ctx context.Context, username string) ([]auth.APIToken, error) {
	var out []auth.APIToken
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		out, err = tx.APITokens(ctx, u.ID)
		return err
	})
	return out, err
}

// RevokeToken revokes API token id. This node refuses it at once; other
// nodes within tokenCacheTTL. Revoking it again changes nothing and is
// not an error. An unknown id is NotFound.
func (s *Service) RevokeToken(ctx context.Context, by Actor, id int64) (auth.APIToken, error) {
	var t auth.APIToken
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if t, err = tx.APIToken(ctx, id); err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return nil
		}
		if err := tx.RevokeAPIToken(ctx, id); err != nil {
			return err
		}
		if t, err = tx.APIToken(ctx, id); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "token.revoke", "api_token", strconv.FormatInt(id, 10),
			map[string]any{"name": t.Name, "prefix": t.Prefix}))
	})
	if err != nil {
		return auth.APIToken{}, err
	}
	s.tokens.Range(func(k, v any) bool {
		if v.(tokenEntry).id == id {
			s.tokens.Delete(k)
		}
		return true
	})
	return t, nil
}
