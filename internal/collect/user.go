package collect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// Login checks a username and password and opens a console session. It
// returns the cookie token (shown to nobody else; only its hash is stored)
// and ErrBadCredentials for a wrong name or password.
func (s *Service) Login(ctx context.Context, username, password, requestID string) (string, auth.User, error) {
	var u auth.User
	tok := randomToken(32)
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		u, err = tx.UserByUsername(ctx, strings.TrimSpace(username))
		if errs.CodeOf(err) == errs.NotFound {
			_ = auth.CheckPassword("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g", password) // same cost as a real check
			return auth.ErrBadCredentials
		}
		if err != nil {
			return err
		}
		if u.Disabled {
			return auth.ErrBadCredentials
		}
		if err := auth.CheckPassword(u.PasswordHash, password); err != nil {
			return err
		}
		now := s.now().UTC()
		sess := auth.Session{Hash: tokenHash(tok), UserID: u.ID, CSRFToken: randomToken(24), CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
		if err := tx.CreateSession(ctx, &sess); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(Actor{User: u, RequestID: requestID}, "user.login", "user", strconv.FormatInt(u.ID, 10), map[string]any{}))
	})
	if err != nil {
		return "", auth.User{}, err
	}
	return tok, u, nil
}

// Logout ends the session with cookie token tok.
func (s *Service) Logout(ctx context.Context, tok string) error {
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		sess, err := tx.Session(ctx, tokenHash(tok))
		if errs.CodeOf(err) == errs.NotFound {
			return nil // already signed out
		}
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		if err := tx.DeleteSession(ctx, sess.Hash); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(Actor{User: u}, "user.logout", "user", strconv.FormatInt(u.ID, 10), map[string]any{}))
	})
}

// UserBySession returns the user and session for a cookie token; an unknown
// or expired session is Unauthorized.
func (s *Service) UserBySession(ctx context.Context, tok string) (auth.User, auth.Session, error) {
	var u auth.User
	var sess auth.Session
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if sess, err = tx.Session(ctx, tokenHash(tok)); err != nil {
			return err
		}
		if !s.now().Before(sess.ExpiresAt) {
			return errs.Errorf(errs.Unauthorized, "Session expired.")
		}
		u, err = tx.User(ctx, sess.UserID)
		return err
	})
	if err != nil || u.Disabled {
		return auth.User{}, auth.Session{}, errs.Errorf(errs.Unauthorized, "Sign in first.")
	}
	return u, sess, nil
}

// UserByToken returns the user an API token acts as; an unknown or revoked
// token is Unauthorized.
func (s *Service) UserByToken(ctx context.Context, tok string) (auth.User, error) {
	key := string(tokenHash(tok))
	if c, ok := s.tokens.Load(key); ok {
		if e := c.(tokenEntry); s.now().Before(e.until) {
			return e.user, nil
		}
		s.tokens.Delete(key)
	}
	var u auth.User
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		t, err := tx.APITokenByHash(ctx, tokenHash(tok))
		if err != nil {
			return err
		}
		if !t.RevokedAt.IsZero() {
			return errs.Errorf(errs.Unauthorized, "Token revoked.")
		}
		u, err = tx.User(ctx, t.UserID)
		return err
	})
	if err != nil || u.Disabled {
		return auth.User{}, errs.Errorf(errs.Unauthorized, "Invalid or revoked API token.")
	}
	s.tokens.Store(key, tokenEntry{user: u, until: s.now().Add(tokenCacheTTL)})
	return u, nil
}

// tokenCacheTTL bounds how long a revoked token or a changed role can still
// be used by a node that cached it. Integrations call at high rates; the
// cache saves two queries per request.
const tokenCacheTTL = 30 * time.Second

type tokenEntry struct {
	user  auth.User
	until time.Time
}

// CreateUser adds a user with a password. A taken username is a Conflict.
func (s *Service) CreateUser(ctx context.Context, by Actor, u auth.User, password string) (auth.User, error) {
	if strings.TrimSpace(u.Username) == "" {
		return auth.User{}, errs.Field("username", "is required")
	}
	if len(u.Roles) == 0 {
		return auth.User{}, errs.Field("roles", "at least one role is required")
	}
	for _, r := range u.Roles {
		if _, err := auth.ParseRole(string(r)); err != nil {
			return auth.User{}, errs.Field("roles", "%s", errs.MessageOf(err))
		}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return auth.User{}, err
	}
	u.PasswordHash = hash
	if u.Language == "" {
		u.Language = "zh-CN"
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	u.CreatedAt = s.now().UTC()
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if err = tx.CreateUser(ctx, &u); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "user.create", "user", strconv.FormatInt(u.ID, 10),
			map[string]any{"username": u.Username, "roles": u.Roles}))
	})
	if err != nil {
		return auth.User{}, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return u, nil
}

// Users lists every user.
func (s *Service) Users(ctx context.Context) ([]auth.User, error) {
	var out []auth.User
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		out, _, err = tx.Users(ctx, sqlstore.UserFilter{Limit: 1000})
		return err
	})
	return out, err
}

// SetPassword replaces a user's password and ends their sessions.
func (s *Service) SetPassword(ctx context.Context, by Actor, username, password string) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		if _, err := tx.UpdateUser(ctx, u.ID, sqlstore.UserUpdate{PasswordHash: &hash}); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "user.password", "user", strconv.FormatInt(u.ID, 10), map[string]any{"username": username}))
	})
}

// CreateToken issues an API token acting as username and returns it; it is
// shown once and only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, by Actor, username, name string) (string, error) {
	tok := "acc_" + randomToken(30)
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		u, err := tx.UserByUsername(ctx, username)
		if err != nil {
			return err
		}
		t := auth.APIToken{Name: name, UserID: u.ID, Prefix: tok[:10], Hash: tokenHash(tok), CreatedAt: s.now().UTC()}
		if err = tx.CreateAPIToken(ctx, &t); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "token.create", "api_token", strconv.FormatInt(t.ID, 10),
			map[string]any{"name": name, "user": username, "prefix": t.Prefix}))
	})
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return tok, nil
}
