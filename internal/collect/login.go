package collect

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/audit"
	"accord/internal/auth"
	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// LoginPolicy throttles sign-in. Failures are counted in the database, so
// every node shares them: per user name (as typed, without case) and per
// client address. Reaching a limit within the window locks the user name
// (or the address) for the lockout; while locked every attempt is refused
// exactly as a wrong password is, so a caller cannot tell a locked account,
// an unknown one and a wrong password apart. Zero fields take defaults.
type LoginPolicy struct {
	UserFailures int           // default 5
	UserWindow   time.Duration // default 15m
	UserLockout  time.Duration // default 15m
	AddrFailures int           // default 20
	AddrWindow   time.Duration // default 15m
	AddrLockout  time.Duration // default 15m
}

func (p LoginPolicy) withDefaults() LoginPolicy {
	def := func(v *time.Duration) {
		if *v <= 0 {
			*v = 15 * time.Minute
		}
	}
	if p.UserFailures <= 0 {
		p.UserFailures = 5
	}
	if p.AddrFailures <= 0 {
		p.AddrFailures = 20
	}
	def(&p.UserWindow)
	def(&p.UserLockout)
	def(&p.AddrWindow)
	def(&p.AddrLockout)
	return p
}

// SetLoginPolicy sets the sign-in throttling. Call it before serving.
func (s *Service) SetLoginPolicy(p LoginPolicy) { s.login = p.withDefaults() }

// LoginAttempt is one sign-in: what the user typed and where from.
type LoginAttempt struct {
	Username, Password string
	Addr               string // the client address (web.clientIP); "" when unknown, e.g. tests
	RequestID          string
}

// maxTypedName bounds how much of a typed user name is kept as a throttle
// key and in the audit log.
const maxTypedName = 64

func throttleUserKey(name string) string {
	return "user:" + strings.ToLower(truncateRunes(name, maxTypedName))
}

func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// maskTypedName masks a user name that matches no user before it is
// audited: people type their password into the name field.
func maskTypedName(name string) string {
	name = truncateRunes(name, maxTypedName)
	n := utf8.RuneCountInString(name)
	if n <= 2 {
		return strings.Repeat("*", n)
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + strings.Repeat("*", n-1)
}

// dummyHash makes a check against an unknown user cost what a real one does.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"

// LoginFrom checks a sign-in attempt against the throttle and the
// password, and opens a console session. It returns the cookie token (only
// its hash is stored) and the user, or ErrBadCredentials for a wrong name
// or password, a disabled user and a locked name or address alike. Every
// refusal is audited (user.login_failed, or user.login_locked while locked)
// with the address and the name as typed, masked when it matches no user.
// A successful sign-in clears the name's failures.
//
// The password hash is checked outside any transaction (argon2id takes tens
// of milliseconds; SQLite has one writer), so attempts in flight at the
// moment a limit is reached are still counted but not stopped.
func (s *Service) LoginFrom(ctx context.Context, a LoginAttempt) (string, auth.User, error) {
	pol := s.login.withDefaults()
	name := strings.TrimSpace(a.Username)
	keys := []string{throttleUserKey(name)}
	if a.Addr != "" {
		keys = append(keys, "addr:"+a.Addr)
	}
	var (
		u         auth.User
		known     bool
		locked    time.Time
		lockedKey string
	)
	now := s.now().UTC()
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if locked, lockedKey, err = lockedUntil(ctx, tx, keys, now); err != nil {
			return err
		}
		u, err = tx.UserByUsername(ctx, name)
		if errs.CodeOf(err) == errs.NotFound {
			return nil
		}
		known = err == nil
		return err
	})
	if err != nil {
		return "", auth.User{}, err
	}
	if !locked.IsZero() {
		return "", auth.User{}, s.loginRefused(ctx, a, name, u, known, lockedKey, locked)
	}
	reason := ""
	switch {
	case !known:
		_ = auth.CheckPassword(dummyHash, a.Password) // same cost as a real check
		reason = "unknown_user"
	case auth.CheckPassword(u.PasswordHash, a.Password) != nil:
		reason = "wrong_password"
	case u.Disabled:
		reason = "disabled"
	}
	if reason != "" {
		return "", auth.User{}, s.loginFailed(ctx, pol, a, name, u, known, keys, reason)
	}
	tok := randomToken(32)
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		// A lock taken by failures on another node while the hash was
		// being checked still wins.
		var err error
		if locked, lockedKey, err = lockedUntil(ctx, tx, keys, now); err != nil || !locked.IsZero() {
			return err
		}
		if _, err := tx.ClearLoginThrottle(ctx, keys[0]); err != nil {
			return err
		}
		sess := auth.Session{Hash: tokenHash(tok), UserID: u.ID, CSRFToken: randomToken(24), CreatedAt: now, ExpiresAt: now.Add(s.ttl)}
		if err := tx.CreateSession(ctx, &sess); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(Actor{User: u, RequestID: a.RequestID}, "user.login", "user",
			strconv.FormatInt(u.ID, 10), map[string]any{"address": a.Addr}))
	})
	if err == nil && !locked.IsZero() {
		return "", auth.User{}, s.loginRefused(ctx, a, name, u, known, lockedKey, locked)
	}
	if err != nil {
		return "", auth.User{}, err
	}
	return tok, u, nil
}

// lockedUntil returns the latest lock among keys still in force at now and
// its key, or the zero time.
func lockedUntil(ctx context.Context, tx *sqlstore.Tx, keys []string, now time.Time) (until time.Time, key string, err error) {
	for _, k := range keys {
		t, err := tx.LoginThrottle(ctx, k)
		if err != nil {
			return time.Time{}, "", err
		}
		if t.LockedUntil.After(now) && t.LockedUntil.After(until) {
			until, key = t.LockedUntil, k
		}
	}
	return until, key, nil
}

// lockedAuditEvery is how often attempts against one locked key are
// audited: the first, then at most one a minute standing for all of them.
const lockedAuditEvery = time.Minute

// loginFailed counts a failed attempt against every key, audits it and
// returns ErrBadCredentials.
func (s *Service) loginFailed(ctx context.Context, pol LoginPolicy, a LoginAttempt, name string, u auth.User, known bool,
	keys []string, reason string) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		now := s.now().UTC()
		summary := s.failureSummary(a, name, known, reason)
		ut, err := tx.RecordLoginFailure(ctx, keys[0], now, pol.UserWindow, pol.UserFailures, pol.UserLockout)
		if err != nil {
			return err
		}
		if ut.Failures == 0 && !ut.LockedUntil.IsZero() { // this failure locked it
			summary["user_locked_until"] = ut.LockedUntil
		}
		if len(keys) > 1 {
			at, err := tx.RecordLoginFailure(ctx, keys[1], now, pol.AddrWindow, pol.AddrFailures, pol.AddrLockout)
			if err != nil {
				return err
			}
			if at.Failures == 0 && !at.LockedUntil.IsZero() {
				summary["address_locked_until"] = at.LockedUntil
			}
		}
		if _, err := tx.DeleteStaleLoginThrottles(ctx, now.Add(-max(pol.UserWindow, pol.AddrWindow)), now); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.loginEvent(a, u, known, "user.login_failed", summary))
	})
	if err != nil {
		return err
	}
	return auth.ErrBadCredentials
}

// loginRefused records an attempt refused because its name or address
// (key) is locked, without counting it as a failure or checking the
// password, and returns ErrBadCredentials. It is audited as
// user.login_locked: the first such attempt, then at most one a minute per
// key, counting the attempts it stands for.
func (s *Service) loginRefused(ctx context.Context, a LoginAttempt, name string, u auth.User, known bool, key string,
	until time.Time) error {
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		log, n, err := tx.RecordLoginRefused(ctx, key, s.now().UTC(), lockedAuditEvery)
		if err != nil || !log {
			return err
		}
		summary := s.failureSummary(a, name, known, "locked")
		summary["locked_until"], summary["locked"], summary["attempts"] = until, strings.SplitN(key, ":", 2)[0], n
		return tx.AppendAudit(ctx, s.loginEvent(a, u, known, "user.login_locked", summary))
	})
	if err != nil {
		return err
	}
	return auth.ErrBadCredentials
}

func (s *Service) failureSummary(a LoginAttempt, name string, known bool, reason string) map[string]any {
	typed := truncateRunes(name, maxTypedName)
	if !known {
		typed = maskTypedName(name)
	}
	return map[string]any{"username": typed, "address": a.Addr, "reason": reason}
}

func (s *Service) loginEvent(a LoginAttempt, u auth.User, known bool, action string, summary map[string]any) audit.Event {
	by := Actor{User: auth.User{Username: "anonymous"}, RequestID: a.RequestID}
	id := ""
	if known {
		by.User, id = u, strconv.FormatInt(u.ID, 10)
	}
	return s.event(by, action, "user", id, summary)
}

// UnlockUser clears the failed sign-ins and any lock of a user name and
// reports whether there were any.
func (s *Service) UnlockUser(ctx context.Context, by Actor, username string) (bool, error) {
	return s.unlock(ctx, by, throttleUserKey(strings.TrimSpace(username)), "user", username)
}

// UnlockAddress clears the failed sign-ins and any lock of a client address.
func (s *Service) UnlockAddress(ctx context.Context, by Actor, addr string) (bool, error) {
	return s.unlock(ctx, by, "addr:"+strings.TrimSpace(addr), "address", addr)
}

func (s *Service) unlock(ctx context.Context, by Actor, key, kind, what string) (bool, error) {
	if strings.TrimSpace(what) == "" {
		return false, errs.Field(kind, "is required")
	}
	var had bool
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		var err error
		if had, err = tx.ClearLoginThrottle(ctx, key); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, s.event(by, "user.unlock", kind, what, map[string]any{"had_failures": had}))
	})
	return had, err
}
