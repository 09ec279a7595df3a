package collect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

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

// Login checks a username and password and opens a console session, as
// LoginFrom does for an attempt from an unknown address.
func (s *Service) Login(ctx context.Context, username, password, requestID string) (string, auth.User, error) {
	return s.LoginFrom(ctx, LoginAttempt{Username: username, Password: password, RequestID: requestID})
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
