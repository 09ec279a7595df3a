package selfservice

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"accord/internal/borrower"
	"accord/internal/compliance"
	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// The sign-in refusals. A wrong loan number or phone is not told apart from
// a right one: the answer is a challenge either way, and the code just
// never comes.
var (
	ErrCodeWrong     = errs.Fields("The code is not the one sent.", errs.FieldError{Field: "code", Message: "is wrong"})
	ErrCodeExpired   = errs.Errorf(errs.Unauthorized, "The code has expired: ask for a new one.")
	ErrChallengeUsed = errs.Errorf(errs.Unauthorized, "This code was already used or locked: ask for a new one.")
	ErrSignedOut     = errs.Errorf(errs.Unauthorized, "Your session has ended: sign in again.")
)

// SignIn is a request for a sign-in code.
type SignIn struct {
	LoanNumber string `json:"loan_number"`
	Phone      string `json:"phone"`
	Addr       string `json:"-"` // the client address, for the per-address limit
	RequestID  string `json:"-"`
}

// Challenge is the answer to SignIn: the id to verify the code against, and
// until when. Held is true when the governor holds the SMS for later (the
// borrower's quiet hours).
type Challenge struct {
	ID        int64     `json:"challenge_id"`
	ExpiresAt time.Time `json:"expires_at"`
	Held      bool      `json:"held,omitempty"`
}

// Session is a signed-in portal session: Token goes in the cookie, and is
// never stored.
type Session struct {
	Token    string   `json:"-"`
	Borrower Borrower `json:"borrower"`
}

// NormalizePhone returns a mainland mobile number in E.164 (+86…) for what
// a borrower types ("138 0013 8000", "+86-13800138000", "8613800138000"),
// and false when it is not one.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if !strings.ContainsRune(" -+()", r) {
			return "", false
		}
	}
	d := b.String()
	switch {
	case len(d) == 11 && d[0] == '1':
		d = "+86" + d
	case len(d) == 13 && strings.HasPrefix(d, "861"):
		d = "+" + d
	default:
		return "", false
	}
	return d, borrower.ValidPhone(d)
}

func phoneHash(e164 string) string {
	h := sha256.Sum256([]byte("accord-portal-phone\n" + e164))
	return hex.EncodeToString(h[:])
}

func codeHash(salt, code string) string {
	h := sha256.Sum256([]byte(salt + "\n" + code))
	return hex.EncodeToString(h[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%06d", n.Int64())
}

func throttleKey(hash string) string { return "portal-phone:" + hash }

func addrKey(addr string) string { return "portal-addr:" + addr }

// addrLocked returns the Forbidden error of a client address locked after
// too many wrong codes, or nil.
func (s *Service) addrLocked(ctx context.Context, tx *sqlstore.Tx, addr string, now time.Time) (error, error) {
	if addr == "" {
		return nil, nil
	}
	t, err := tx.LoginThrottle(ctx, addrKey(addr))
	if err != nil || !t.LockedUntil.After(now) {
		return nil, err
	}
	return errs.Errorf(errs.Forbidden, "Too many wrong codes from this address: try again after %s.",
		t.LockedUntil.In(s.collect.Zone()).Format("15:04")), nil
}

// addrFailed counts a wrong code (or a probed challenge id) against the
// client address.
func (s *Service) addrFailed(ctx context.Context, tx *sqlstore.Tx, addr string, now time.Time) error {
	if addr == "" {
		return nil
	}
	_, err := tx.RecordLoginFailure(ctx, addrKey(addr), now, s.pol.LockWindow, s.pol.AddrFailures, s.pol.LockFor)
	return err
}

// StartSignIn asks for a sign-in code for loan number in.LoanNumber and
// mobile in.Phone. When they match (the loan's borrower has that mobile
// number) a six-digit code goes out by SMS through the outbox and the
// governor (purpose verification), and only its salted hash is kept; when
// they do not, nothing is sent and the answer looks the same. It returns an
// Invalid error naming loan_number or phone, and Forbidden when the phone
// is locked after repeated wrong codes or the phone or the address asked
// for too many codes within the window.
func (s *Service) StartSignIn(ctx context.Context, in SignIn) (Challenge, error) {
	loanNo := strings.TrimSpace(in.LoanNumber)
	var fe []errs.FieldError
	if loanNo == "" || len(loanNo) > 64 {
		fe = append(fe, errs.FieldError{Field: "loan_number", Message: "is required"})
	}
	phone, ok := NormalizePhone(in.Phone)
	if !ok {
		fe = append(fe, errs.FieldError{Field: "phone", Message: "is not a mainland mobile number"})
	}
	if len(fe) > 0 {
		return Challenge{}, errs.Fields("Enter your loan number and mobile number.", fe...)
	}
	hash, now := phoneHash(phone), s.now()
	var ch sqlstore.PortalChallenge
	var refused error
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := s.mayAskCode(ctx, tx, hash, in.Addr, now); err != nil {
			refused = err
			return tx.AppendAudit(ctx, s.event(Borrower{Channel: "portal", RequestID: in.RequestID}, "portal.code_refused",
				"portal_challenge", 0, map[string]any{"reason": errs.MessageOf(err), "address": in.Addr}))
		}
		ch = sqlstore.PortalChallenge{PhoneHash: hash, Addr: in.Addr, Status: sqlstore.ChallengeUnmatched, CreatedAt: now,
			ExpiresAt: now.Add(s.pol.CodeTTL)}
		b, loanID, ok, err := matchBorrower(ctx, tx, loanNo, phone)
		if err != nil {
			return err
		}
		if !ok {
			if err := tx.CreatePortalChallenge(ctx, &ch); err != nil {
				return err
			}
			return tx.AppendAudit(ctx, s.event(Borrower{Channel: "portal", RequestID: in.RequestID}, "portal.code_unmatched",
				"portal_challenge", ch.ID, map[string]any{"address": in.Addr}))
		}
		return s.sendCode(ctx, tx, &ch, b, loanID, phone, in.RequestID)
	})
	if err != nil {
		return Challenge{}, fmt.Errorf("start portal sign-in: %w", err)
	}
	if refused != nil {
		return Challenge{}, refused
	}
	return Challenge{ID: ch.ID, ExpiresAt: ch.ExpiresAt, Held: ch.Status == sqlstore.ChallengeOpen && ch.MessageID != 0 &&
		s.held(ctx, ch.MessageID)}, nil
}

// mayAskCode refuses a locked phone and a phone or address past its limit.
func (s *Service) mayAskCode(ctx context.Context, tx *sqlstore.Tx, hash, addr string, now time.Time) error {
	if locked, err := s.addrLocked(ctx, tx, addr, now); err != nil || locked != nil {
		return errors.Join(locked, err)
	}
	t, err := tx.LoginThrottle(ctx, throttleKey(hash))
	if err != nil {
		return err
	}
	if t.LockedUntil.After(now) {
		return errs.Errorf(errs.Forbidden, "Too many wrong codes for this number: try again after %s.",
			t.LockedUntil.In(s.collect.Zone()).Format("15:04"))
	}
	n, err := tx.CountPortalChallenges(ctx, hash, "", now.Add(-s.pol.SendWindow))
	if err != nil {
		return err
	}
	if n >= s.pol.SendsPerPhone {
		return errs.Errorf(errs.Forbidden, "Too many codes were asked for this number: try again later.")
	}
	if addr != "" {
		if n, err = tx.CountPortalChallenges(ctx, "", addr, now.Add(-s.pol.SendWindow)); err != nil {
			return err
		}
		if n >= s.pol.SendsPerAddr {
			return errs.Errorf(errs.Forbidden, "Too many codes were asked from this address: try again later.")
		}
	}
	return nil
}

// matchBorrower finds the loan with external id loanNo whose borrower has
// mobile phone.
func matchBorrower(ctx context.Context, tx *sqlstore.Tx, loanNo, phone string) (borrower.Borrower, int64, bool, error) {
	l, err := tx.LoanByExternalID(ctx, loanNo)
	if errs.CodeOf(err) == errs.NotFound {
		return borrower.Borrower{}, 0, false, nil
	}
	if err != nil {
		return borrower.Borrower{}, 0, false, err
	}
	b, err := tx.Borrower(ctx, l.BorrowerID)
	if err != nil {
		return b, 0, false, err
	}
	for _, p := range b.Phones {
		if (p.Kind == "mobile" || p.Kind == "") && p.Number == phone {
			return b, l.ID, true, nil
		}
	}
	return b, 0, false, nil
}

// sendCode stores ch with a new code's hash and queues the SMS.
func (s *Service) sendCode(ctx context.Context, tx *sqlstore.Tx, ch *sqlstore.PortalChallenge, b borrower.Borrower,
	loanID int64, phone, reqID string) error {
	code := newCode()
	ch.BorrowerID, ch.LoanID, ch.Status = b.ID, loanID, sqlstore.ChallengeOpen
	ch.CodeSalt = randomHex(16)
	ch.CodeHash = codeHash(ch.CodeSalt, code)
	if err := tx.CreatePortalChallenge(ctx, ch); err != nil {
		return err
	}
	m := outbox.Message{BorrowerID: b.ID, LoanID: loanID, Channel: outbox.SMS, To: phone, Lang: b.Language,
		Body: codeText(b.Language, outbox.SecretMark, s.pol.CodeTTL), Secret: code, Purpose: compliance.PurposeVerification, By: "lender",
		DedupKey: fmt.Sprintf("portal:code:%d", ch.ID)}
	if _, err := s.collect.QueueMessage(ctx, tx, &m); err != nil {
		return err
	}
	ch.MessageID = m.ID
	if m.Status == outbox.Blocked {
		ch.Status = sqlstore.ChallengeLocked // no code went out: it cannot be used
	}
	if err := tx.UpdatePortalChallenge(ctx, *ch); err != nil {
		return err
	}
	who := Borrower{ID: b.ID, LoanID: loanID, Channel: "portal", Addr: ch.Addr, RequestID: reqID}
	return tx.AppendAudit(ctx, s.event(who, "portal.code_sent", "portal_challenge", ch.ID,
		map[string]any{"message_id": m.ID, "message_status": m.Status, "loan_id": loanID, "address": ch.Addr}))
}

func codeText(lang, code string, ttl time.Duration) string {
	if strings.HasPrefix(lang, "en") {
		return fmt.Sprintf("Your sign-in code is %s, valid for %d minutes. Never share it with anyone.", code, int(ttl.Minutes()))
	}
	return fmt.Sprintf("您的登录验证码为%s，%d分钟内有效。请勿告知他人。", code, int(ttl.Minutes()))
}

// held reports whether message id waits for a later window.
func (s *Service) held(ctx context.Context, id int64) bool {
	var held bool
	_ = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		m, err := tx.Message(ctx, id)
		held = err == nil && m.NotBefore.After(s.now())
		return err
	})
	return held
}

// VerifySignIn checks code against challenge id and, when it matches,
// opens a session: the returned Token is the cookie value. A wrong code
// counts against the challenge (locked after Policy.CodeAttempts) and
// against the phone (locked for Policy.LockFor after Policy.LockFailures
// within Policy.LockWindow), and is audited. It returns ErrCodeWrong
// (Invalid, naming code), ErrCodeExpired, ErrChallengeUsed, and Forbidden
// while the phone is locked.
func (s *Service) VerifySignIn(ctx context.Context, id int64, code, addr, reqID string) (Session, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return Session{}, errs.Fields("Enter the code.", errs.FieldError{Field: "code", Message: "is required"})
	}
	now := s.now()
	var out Session
	var failed error
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if locked, err := s.addrLocked(ctx, tx, addr, now); err != nil || locked != nil {
			failed = locked
			return err
		}
		ch, err := tx.PortalChallenge(ctx, id)
		if errs.CodeOf(err) == errs.NotFound {
			failed = ErrChallengeUsed
			return s.addrFailed(ctx, tx, addr, now) // probing challenge ids counts against the address
		}
		if err != nil {
			return err
		}
		t, err := tx.LoginThrottle(ctx, throttleKey(ch.PhoneHash))
		if err != nil {
			return err
		}
		switch {
		case t.LockedUntil.After(now):
			failed = errs.Errorf(errs.Forbidden, "Too many wrong codes for this number: try again after %s.",
				t.LockedUntil.In(s.collect.Zone()).Format("15:04"))
			return nil
		case ch.Status == sqlstore.ChallengeUsed || ch.Status == sqlstore.ChallengeLocked:
			failed = ErrChallengeUsed
			return nil
		case !now.Before(ch.ExpiresAt) && ch.Status == sqlstore.ChallengeOpen:
			failed = ErrCodeExpired
			return nil
		}
		if ch.Status != sqlstore.ChallengeOpen ||
			subtle.ConstantTimeCompare([]byte(codeHash(ch.CodeSalt, code)), []byte(ch.CodeHash)) != 1 {
			failed = ErrCodeWrong
			return s.codeFailed(ctx, tx, ch, addr, reqID, now)
		}
		ch.Status = sqlstore.ChallengeUsed
		if err := tx.UpdatePortalChallenge(ctx, ch); err != nil {
			return err
		}
		if _, err := tx.ClearLoginThrottle(ctx, throttleKey(ch.PhoneHash)); err != nil {
			return err
		}
		if _, err := tx.RedactPortalCodes(ctx, now, now.Add(-redactSpan)); err != nil {
			return err
		}
		out, err = s.openSession(ctx, tx, ch, addr, reqID, now)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("verify portal sign-in: %w", err)
	}
	if failed != nil {
		return Session{}, failed
	}
	return out, nil
}

// codeFailed counts a wrong code on the challenge and the phone, and
// audits it.
func (s *Service) codeFailed(ctx context.Context, tx *sqlstore.Tx, ch sqlstore.PortalChallenge, addr, reqID string,
	now time.Time) error {
	ch.Attempts++
	if ch.Attempts >= s.pol.CodeAttempts && ch.Status == sqlstore.ChallengeOpen {
		ch.Status = sqlstore.ChallengeLocked
	}
	if err := tx.UpdatePortalChallenge(ctx, ch); err != nil {
		return err
	}
	if ch.Status == sqlstore.ChallengeLocked {
		if _, err := tx.RedactPortalCodes(ctx, now, now.Add(-redactSpan)); err != nil {
			return err
		}
	}
	t, err := tx.RecordLoginFailure(ctx, throttleKey(ch.PhoneHash), now, s.pol.LockWindow, s.pol.LockFailures, s.pol.LockFor)
	if err != nil {
		return err
	}
	if err := s.addrFailed(ctx, tx, addr, now); err != nil {
		return err
	}
	summary := map[string]any{"attempts": ch.Attempts, "challenge_status": ch.Status, "address": addr}
	if t.Failures == 0 && !t.LockedUntil.IsZero() {
		summary["phone_locked_until"] = t.LockedUntil
	}
	who := Borrower{ID: ch.BorrowerID, Channel: "portal", RequestID: reqID}
	return tx.AppendAudit(ctx, s.event(who, "portal.code_wrong", "portal_challenge", ch.ID, summary))
}

func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

func (s *Service) openSession(ctx context.Context, tx *sqlstore.Tx, ch sqlstore.PortalChallenge, addr, reqID string,
	now time.Time) (Session, error) {
	tok := randomHex(32)
	ps := sqlstore.PortalSession{Hash: tokenHash(tok), BorrowerID: ch.BorrowerID, LoanID: ch.LoanID, ChallengeID: ch.ID,
		CSRFToken: randomHex(16), Addr: addr, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.pol.SessionMax)}
	if err := tx.CreatePortalSession(ctx, &ps); err != nil {
		return Session{}, err
	}
	who := sessionBorrower(ps, reqID)
	if _, err := tx.DeleteExpiredPortalSessions(ctx, now, now.Add(-s.pol.SessionIdle)); err != nil {
		return Session{}, err
	}
	return Session{Token: tok, Borrower: who}, tx.AppendAudit(ctx, s.event(who, "portal.login", "borrower", ch.BorrowerID,
		map[string]any{"session_id": ps.ID, "loan_id": ch.LoanID, "address": addr}))
}

func sessionBorrower(ps sqlstore.PortalSession, reqID string) Borrower {
	return Borrower{ID: ps.BorrowerID, LoanID: ps.LoanID, SessionID: ps.ID, CSRFToken: ps.CSRFToken, Channel: "portal",
		Addr: ps.Addr, RequestID: reqID, ExpiresAt: ps.ExpiresAt}
}

// Authenticate returns the borrower of the session whose cookie token is
// tok, and records its use. It returns ErrSignedOut for an unknown, idle
// or expired session.
func (s *Service) Authenticate(ctx context.Context, tok, reqID string) (Borrower, error) {
	if tok == "" {
		return Borrower{}, ErrSignedOut
	}
	now := s.now()
	var who Borrower
	err := s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		ps, err := tx.PortalSession(ctx, tokenHash(tok))
		if errs.CodeOf(err) == errs.NotFound {
			return ErrSignedOut
		}
		if err != nil {
			return err
		}
		if !now.Before(ps.ExpiresAt) || now.Sub(ps.LastSeenAt) > s.pol.SessionIdle {
			if err := tx.DeletePortalSession(ctx, ps.Hash); err != nil {
				return err
			}
			return ErrSignedOut
		}
		who = sessionBorrower(ps, reqID)
		if now.Sub(ps.LastSeenAt) < 10*time.Second {
			return nil // spare the writer on a burst of requests
		}
		return tx.TouchPortalSession(ctx, ps.ID, now)
	})
	if errs.CodeOf(err) == errs.Unauthorized {
		return Borrower{}, ErrSignedOut
	}
	return who, err
}

// SignOut ends the session of tok; an unknown one is not an error.
func (s *Service) SignOut(ctx context.Context, tok string, who Borrower) error {
	return s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		if err := tx.DeletePortalSession(ctx, tokenHash(tok)); err != nil {
			return err
		}
		if who.ID == 0 {
			return nil
		}
		return tx.AppendAudit(ctx, s.event(who, "portal.logout", "borrower", who.ID, map[string]any{"session_id": who.SessionID}))
	})
}
