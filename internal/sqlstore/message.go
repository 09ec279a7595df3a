package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"accord/internal/errs"
	"accord/internal/outbox"
	"accord/internal/pii"
)

const messageCols = `id, borrower_id, case_id, loan_id, channel, to_enc, template_id, lang, subject, body, purpose,
	by_org, user_id, dedup_key, status, not_before, attempts, last_error, lease_until, provider_id, decision, delivery, created_at,
	updated_at, sent_at, delivered_at`

// EnqueueMessage puts m in the outbox, in the caller's transaction, unless a
// message with the same DedupKey is already there: then it changes nothing,
// loads the stored message into m and reports created false. It sets ID,
// CreatedAt and UpdatedAt, Status to queued and NotBefore to the
// transaction's time when they are empty, and Lang to zh-CN. It returns an
// Invalid error naming the fields at fault (see outbox.Message.Validate).
//
// Queue through collect.Service.QueueMessage, which asks the contact
// governor first; a message queued here directly is still checked by the
// sender before it goes out.
func (tx *Tx) EnqueueMessage(ctx context.Context, m *outbox.Message) (created bool, err error) {
	if err := m.Validate(); err != nil {
		return false, err
	}
	if m.Status == "" {
		m.Status = outbox.Queued
	}
	if m.NotBefore.IsZero() {
		m.NotBefore = tx.now
	}
	if m.Lang == "" {
		m.Lang = "zh-CN"
	}
	if m.By == "" {
		m.By = "system"
	}
	enc, err := tx.encrypt(m.To)
	if err != nil {
		return false, err
	}
	decision, err := decisionJSON(m.Decision)
	if err != nil {
		return false, err
	}
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	var id int64
	err = tx.get(ctx, "Message", `INSERT INTO messages (borrower_id, case_id, loan_id, channel, to_enc, to_hash, to_masked,
		template_id, lang, subject, body, purpose, by_org, user_id, dedup_key, status, not_before, attempts, last_error,
		decision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
		ON CONFLICT (dedup_key) DO NOTHING RETURNING id`,
		[]any{m.BorrowerID, m.CaseID, m.LoanID, string(m.Channel), enc, tx.hash(m.To), maskAddress(string(m.Channel), m.To),
			m.TemplateID, m.Lang, m.Subject, m.Body, m.Purpose, m.By, m.UserID, m.DedupKey, string(m.Status), ts(m.NotBefore), m.LastError,
			decision, ts(m.CreatedAt), ts(m.UpdatedAt)}, &id)
	switch errs.CodeOf(err) {
	case "":
		m.ID, m.Attempts = id, 0
		m.NotBefore = truncated(m.NotBefore)
		if m.Secret != "" && !m.Status.Final() { // a message born blocked or cancelled never carries its secret
			if err := tx.sealMessageSecret(ctx, m); err != nil {
				return false, err
			}
		}
		return true, nil
	case errs.NotFound: // the key exists: nothing was inserted
		stored, err := tx.messageWhere(ctx, "dedup_key = ?", m.DedupKey)
		if err != nil {
			return false, fmt.Errorf("enqueue message %q: %w", m.DedupKey, err)
		}
		*m = stored
		return false, nil
	default:
		return false, fmt.Errorf("enqueue message: %w", err)
	}
}

// maskAddress masks a phone number or an email address for display:
// "+86 138****8000", "z***@example.cn".
func maskAddress(channel, addr string) string {
	if channel != "email" {
		return pii.MaskPhone(addr)
	}
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" {
		return "***"
	}
	r, _ := utf8.DecodeRuneInString(local)
	return string(r) + "***@" + domain
}

// Message returns outbox message id with its address decrypted. It returns
// a NotFound error if there is none.
func (tx *Tx) Message(ctx context.Context, id int64) (outbox.Message, error) {
	return tx.messageWhere(ctx, "id = ?", id)
}

func (tx *Tx) messageWhere(ctx context.Context, cond string, arg any) (outbox.Message, error) {
	list, err := tx.messages(ctx, " WHERE "+cond+" LIMIT 1", arg)
	if err != nil {
		return outbox.Message{}, err
	}
	if len(list) == 0 {
		return outbox.Message{}, notFound("Message")
	}
	return list[0], nil
}

// MessageFilter selects outbox messages. Pointer fields filter only when
// set.
type MessageFilter struct {
	BorrowerID *int64
	CaseID     *int64
	Status     *outbox.Status
	From, To   *time.Time // created in [From, To)
	Scope      *Scope     // only messages to borrowers in this scope (nil: every message)

	Limit, Offset int
}

// Messages returns a page of the messages f selects, newest first, and how
// many it selects in all.
func (tx *Tx) Messages(ctx context.Context, f MessageFilter) ([]outbox.Message, int, error) {
	var w where
	if f.BorrowerID != nil {
		w.add("borrower_id = ?", *f.BorrowerID)
	}
	if f.CaseID != nil {
		w.add("case_id = ?", *f.CaseID)
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	if f.From != nil {
		w.add("created_at >= ?", ts(*f.From))
	}
	if f.To != nil {
		w.add("created_at < ?", ts(*f.To))
	}
	w.addScope(f.Scope, "messages.borrower_id")
	var total int
	if err := tx.get(ctx, "Messages", "SELECT COUNT(*) FROM messages"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count messages: %w", err)
	}
	list, err := tx.messages(ctx, w.String()+" ORDER BY id DESC"+page(f.Limit, f.Offset), w.args...)
	return list, total, err
}

func (tx *Tx) messages(ctx context.Context, tail string, args ...any) ([]outbox.Message, error) {
	rows, err := tx.query(ctx, "SELECT "+messageCols+" FROM messages"+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	defer rows.Close()
	var list []outbox.Message
	for rows.Next() {
		m, err := tx.scanMessage(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, interpretError(rows.Err())
}

func (tx *Tx) scanMessage(rows *sql.Rows) (outbox.Message, error) {
	var (
		m                         outbox.Message
		enc                       []byte
		channel, status, delivery string
		decision                  string
	)
	err := rows.Scan(&m.ID, &m.BorrowerID, &m.CaseID, &m.LoanID, &channel, &enc, &m.TemplateID, &m.Lang, &m.Subject,
		&m.Body, &m.Purpose, &m.By, &m.UserID, &m.DedupKey, &status, instant{&m.NotBefore}, &m.Attempts, &m.LastError,
		instant{&m.LeaseUntil}, &m.ProviderID, &decision, &delivery, instant{&m.CreatedAt}, instant{&m.UpdatedAt},
		instant{&m.SentAt}, instant{&m.DeliveredAt})
	if err != nil {
		return m, fmt.Errorf("scan message: %w", err)
	}
	m.Channel, m.Status, m.Delivery = outbox.Channel(channel), outbox.Status(status), outbox.Delivery(delivery)
	if m.To, err = tx.decrypt(enc); err != nil {
		return m, fmt.Errorf("message %d address: %w", m.ID, err)
	}
	if err := fromJSON(decision, &m.Decision); err != nil {
		return m, fmt.Errorf("message %d decision: %w", m.ID, err)
	}
	return m, nil
}

// ClaimMessages claims up to limit messages due at now for one sender: those
// queued or held whose NotBefore has passed, and those left sending by a
// sender whose lease ended before now (it crashed, or lost its answer). Each
// becomes sending with LeaseUntil now+lease and one more attempt, and is
// returned as stored. Concurrent senders never claim the same message: on
// PostgreSQL the rows are locked with SKIP LOCKED; SQLite has one writer.
func (tx *Tx) ClaimMessages(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]outbox.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	lock := ""
	if tx.db.d.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var ids []int64
	for _, q := range []string{
		"SELECT id FROM messages WHERE status IN ('queued', 'held') AND not_before <= ? ORDER BY not_before, id LIMIT ?",
		"SELECT id FROM messages WHERE status = 'sending' AND lease_until <= ? ORDER BY lease_until, id LIMIT ?",
	} {
		got, err := tx.ids(ctx, q+lock, ts(now), limit-len(ids))
		if err != nil {
			return nil, fmt.Errorf("claim messages: %w", err)
		}
		if ids = append(ids, got...); len(ids) >= limit {
			break
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := append([]any{ts(now.Add(lease)), ts(tx.now)}, int64Args(ids)...)
	if _, err := tx.exec(ctx, "UPDATE messages SET status = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ? WHERE id IN ("+
		placeholders(len(ids))+")", args...); err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	return tx.messages(ctx, " WHERE id IN ("+placeholders(len(ids))+") ORDER BY not_before, id", int64Args(ids)...)
}

func (tx *Tx) ids(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, interpretError(rows.Err())
}

// UpdateMessage stores the state of m (status, NotBefore, Attempts,
// LastError, LeaseUntil, ProviderID, Decision, Delivery, SentAt,
// DeliveredAt) over message m.ID, but only if the stored message is still
// in status from with attempts attempts: a sender that lost its claim (its
// lease ran out and another sender took the message) cannot overwrite the
// newer state. It returns a Conflict error when the stored message has moved
// on, and a NotFound error when there is none.
func (tx *Tx) UpdateMessage(ctx context.Context, m *outbox.Message, from outbox.Status, attempts int) error {
	decision, err := decisionJSON(m.Decision)
	if err != nil {
		return err
	}
	m.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `UPDATE messages SET status = ?, not_before = ?, attempts = ?, last_error = ?, lease_until = ?,
		provider_id = ?, decision = ?, delivery = ?, sent_at = ?, delivered_at = ?, updated_at = ?
		WHERE id = ? AND status = ? AND attempts = ?`,
		string(m.Status), ts(m.NotBefore), m.Attempts, m.LastError, ts(m.LeaseUntil), m.ProviderID, decision,
		string(m.Delivery), ts(m.SentAt), ts(m.DeliveredAt), ts(m.UpdatedAt), m.ID, string(from), attempts)
	if err != nil {
		return fmt.Errorf("update message %d: %w", m.ID, err)
	}
	if err := affected(res, fmt.Sprintf("Message %d", m.ID)); err != nil {
		if _, lookErr := tx.Message(ctx, m.ID); lookErr != nil {
			return lookErr
		}
		return errs.Errorf(errs.Conflict, "Message %d was changed by someone else.", m.ID)
	}
	if m.Status.Final() {
		return tx.forgetMessageSecret(ctx, m.ID)
	}
	return nil
}

// CancelMessage withdraws message id if it has not been sent or claimed
// (the debt was paid, the case closed) and reports whether it did. A
// message already final or being sent is left alone.
func (tx *Tx) CancelMessage(ctx context.Context, id int64, reason string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE messages SET status = 'cancelled', last_error = ?, updated_at = ?
		WHERE id = ? AND status IN ('queued', 'held')`, reason, ts(tx.now), id)
	if err != nil {
		return false, fmt.Errorf("cancel message %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err == nil && n > 0 {
		err = tx.forgetMessageSecret(ctx, id)
	}
	return n > 0, interpretError(err)
}

// RecordDelivery stores a delivery report for sent message id: delivered or
// failed, at at. It reports whether the message was found in status sent;
// reports for other messages (not ours, or not sent) change nothing. A
// delivered message stays delivered if a late failure report arrives.
func (tx *Tx) RecordDelivery(ctx context.Context, id int64, d outbox.Delivery, at time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE messages SET delivery = ?, delivered_at = ?, updated_at = ?
		WHERE id = ? AND status = 'sent' AND delivery <> 'delivered'`, string(d), ts(at), ts(tx.now), id)
	if err != nil {
		return false, fmt.Errorf("record delivery of message %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, interpretError(err)
}
