package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/outbox"
)

// A message's one-time secret (outbox.Message.Secret: a sign-in or an
// acceptance code) is kept in messages.secret_enc, encrypted with the PII
// key, never in the body, and cleared once the message is final
// (migration 00021).

// sealMessageSecret stores the secret of new message m.
func (tx *Tx) sealMessageSecret(ctx context.Context, m *outbox.Message) error {
	enc, err := tx.encrypt(m.Secret)
	if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE messages SET secret_enc = ? WHERE id = ?`, enc, m.ID); err != nil {
		return fmt.Errorf("seal secret of message %d: %w", m.ID, err)
	}
	return nil
}

// RenderMessageSecret puts message m's secret into its Body where Body
// names it (outbox.SecretMark), for the sender only: call it on a claimed
// message just before it goes to the provider, and keep the result out of
// every record (m.Secret is set too, so that a record made from m can
// mask it: outbox.Message.StoredBody). A message without a secret is left as
// it is. A message
// whose secret was cleared (final) keeps the mark.
func (tx *Tx) RenderMessageSecret(ctx context.Context, m *outbox.Message) error {
	if !strings.Contains(m.Body, outbox.SecretMark) {
		return nil
	}
	var enc []byte
	if err := tx.get(ctx, fmt.Sprintf("Message %d", m.ID), `SELECT secret_enc FROM messages WHERE id = ?`,
		[]any{m.ID}, &enc); err != nil {
		return err
	}
	secret, err := tx.decrypt(enc)
	if err != nil {
		return fmt.Errorf("secret of message %d: %w", m.ID, err)
	}
	if secret == "" {
		return nil
	}
	m.Body, m.Secret = strings.ReplaceAll(m.Body, outbox.SecretMark, secret), secret
	return nil
}

// forgetMessageSecret clears the secret of message id once it is final.
func (tx *Tx) forgetMessageSecret(ctx context.Context, id int64) error {
	if _, err := tx.exec(ctx, `UPDATE messages SET secret_enc = NULL WHERE id = ? AND secret_enc IS NOT NULL
		AND status IN ('sent', 'failed', 'blocked', 'cancelled')`, id); err != nil {
		return fmt.Errorf("clear secret of message %d: %w", id, err)
	}
	return nil
}
