package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/errs"
)

// The borrower chatbot's records (migration 00018): conversations with the
// dialogue state, their turns, and messaging-channel bindings. The messages
// themselves are contact attempts (channel bot).

// ChatConversation is one borrower's conversation on one channel.
type ChatConversation struct {
	ID         int64           `json:"id"`
	BorrowerID int64           `json:"borrower_id"`
	Channel    string          `json:"channel"` // "portal" or the integration's channel name
	Ref        string          `json:"ref,omitempty"`
	Lang       string          `json:"lang"`
	State      json.RawMessage `json:"state"`  // bot.State
	Status     string          `json:"status"` // open or handed_over
	Version    int64           `json:"version"`
	LastInAt   time.Time       `json:"last_in_at,omitzero"` // the borrower's last message
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// The conversation statuses.
const (
	ChatOpen        = "open"
	ChatHandedOver  = "handed_over"
	chatConvCols    = `id, borrower_id, channel, ref, lang, state, status, version, last_in_at, created_at, updated_at`
	chatTurnCols    = `id, borrower_id, conversation_id, seq, message_key, intent, action, inbound_id, outbound_id, reply, created_at`
	chatBindingCols = `id, integration_id, channel, ref, borrower_id, loan_id, failures, verified_at, last_failed_at, created_at`
)

func chatConvDest(c *ChatConversation) []any {
	return []any{num(&c.ID), num(&c.BorrowerID), &c.Channel, &c.Ref, &c.Lang, (*rawJSON)(&c.State), &c.Status, num(&c.Version),
		instant{&c.LastInAt}, instant{&c.CreatedAt}, instant{&c.UpdatedAt}}
}

// rawJSON scans a text column holding JSON.
type rawJSON json.RawMessage

func (r *rawJSON) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*r = rawJSON(v)
	case []byte:
		*r = append(rawJSON(nil), v...)
	case nil:
		*r = rawJSON("{}")
	default:
		return fmt.Errorf("scan json: unsupported %T", src)
	}
	return nil
}

// OpenConversation returns the conversation of borrowerID on channel and
// ref, creating it (empty state, language lang) when there is none.
func (tx *Tx) OpenConversation(ctx context.Context, borrowerID int64, channel, ref, lang string) (ChatConversation, error) {
	if lang == "" {
		lang = "zh"
	}
	if _, err := tx.exec(ctx, `INSERT INTO chat_conversations (borrower_id, channel, ref, lang, state, status, version,
		created_at, updated_at) VALUES (?, ?, ?, ?, '{}', 'open', 0, ?, ?) ON CONFLICT (borrower_id, channel, ref) DO NOTHING`,
		borrowerID, channel, ref, lang, ts(tx.now), ts(tx.now)); err != nil {
		return ChatConversation{}, fmt.Errorf("open conversation: %w", err)
	}
	return tx.ConversationOf(ctx, borrowerID, channel, ref)
}

// ConversationOf returns the conversation of borrowerID on channel and
// ref, or NotFound; it writes nothing (OpenConversation creates it).
func (tx *Tx) ConversationOf(ctx context.Context, borrowerID int64, channel, ref string) (ChatConversation, error) {
	var c ChatConversation
	err := tx.get(ctx, "Conversation", "SELECT "+chatConvCols+` FROM chat_conversations
		WHERE borrower_id = ? AND channel = ? AND ref = ?`, []any{borrowerID, channel, ref}, chatConvDest(&c)...)
	return c, err
}

// Conversation returns the conversation with id, or NotFound.
func (tx *Tx) Conversation(ctx context.Context, id int64) (ChatConversation, error) {
	var c ChatConversation
	err := tx.get(ctx, fmt.Sprintf("Conversation %d", id), "SELECT "+chatConvCols+" FROM chat_conversations WHERE id = ?",
		[]any{id}, chatConvDest(&c)...)
	return c, err
}

// ConversationsOf returns borrowerID's conversations, most recent first.
func (tx *Tx) ConversationsOf(ctx context.Context, borrowerID int64) ([]ChatConversation, error) {
	rows, err := tx.query(ctx, "SELECT "+chatConvCols+` FROM chat_conversations WHERE borrower_id = ?
		ORDER BY updated_at DESC, id DESC`, borrowerID)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var out []ChatConversation
	for rows.Next() {
		var c ChatConversation
		if err := rows.Scan(chatConvDest(&c)...); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, c)
	}
	return out, interpretError(rows.Err())
}

// SaveConversation stores c's state, status, language and last inbound
// time if the stored version is still c.Version, and moves c.Version on.
// A conversation saved by someone else in between is a Conflict.
func (tx *Tx) SaveConversation(ctx context.Context, c *ChatConversation) error {
	if len(c.State) == 0 {
		c.State = json.RawMessage("{}")
	}
	res, err := tx.exec(ctx, `UPDATE chat_conversations SET state = ?, status = ?, lang = ?, last_in_at = ?, version = version + 1,
		updated_at = ? WHERE id = ? AND version = ?`, string(c.State), c.Status, c.Lang, ts(c.LastInAt), ts(tx.now), c.ID, c.Version)
	if err != nil {
		return fmt.Errorf("save conversation %d: %w", c.ID, err)
	}
	if err := affected(res, "Conversation"); err != nil {
		if errs.CodeOf(err) == errs.NotFound {
			return errs.Errorf(errs.Conflict, "Conversation %d changed meanwhile; send the message again.", c.ID)
		}
		return err
	}
	c.Version++
	c.UpdatedAt = tx.now
	return nil
}

// ChatTurn is one borrower message and the bot's answer to it.
type ChatTurn struct {
	ID             int64           `json:"id"`
	BorrowerID     int64           `json:"borrower_id"`
	ConversationID int64           `json:"conversation_id"`
	Seq            int64           `json:"seq"`
	MessageKey     string          `json:"message_key"`
	Intent         string          `json:"intent"`
	Action         string          `json:"action"`
	InboundID      int64           `json:"inbound_id"`  // the contact attempt of the borrower's message
	OutboundID     int64           `json:"outbound_id"` // the contact attempt of the bot's reply (0: not sent)
	Reply          json.RawMessage `json:"reply"`       // what the caller got back, for a retry
	CreatedAt      time.Time       `json:"created_at"`
}

func chatTurnDest(t *ChatTurn) []any {
	return []any{num(&t.ID), num(&t.BorrowerID), num(&t.ConversationID), num(&t.Seq), &t.MessageKey, &t.Intent, &t.Action,
		num(&t.InboundID), num(&t.OutboundID), (*rawJSON)(&t.Reply), instant{&t.CreatedAt}}
}

// AddChatTurn stores t as the next turn of its conversation and sets its
// ID and Seq. A turn with the same message key exists already: Conflict.
func (tx *Tx) AddChatTurn(ctx context.Context, t *ChatTurn) error {
	if len(t.Reply) == 0 {
		t.Reply = json.RawMessage("{}")
	}
	var seq int64
	if err := tx.get(ctx, "Turns", `SELECT COALESCE(MAX(seq), 0) FROM chat_turns WHERE conversation_id = ?`,
		[]any{t.ConversationID}, num(&seq)); err != nil {
		return fmt.Errorf("add chat turn: %w", err)
	}
	t.Seq, t.CreatedAt = seq+1, tx.now
	err := tx.get(ctx, "ChatTurn", `INSERT INTO chat_turns (borrower_id, conversation_id, seq, message_key, intent, action,
		inbound_id, outbound_id, reply, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		[]any{t.BorrowerID, t.ConversationID, t.Seq, t.MessageKey, t.Intent, t.Action, t.InboundID, t.OutboundID,
			string(t.Reply), ts(tx.now)}, &t.ID)
	if err != nil {
		return fmt.Errorf("add chat turn: %w", err)
	}
	return nil
}

// ChatTurnByKey returns the turn of conversation id with message key, or
// NotFound.
func (tx *Tx) ChatTurnByKey(ctx context.Context, conversationID int64, key string) (ChatTurn, error) {
	var t ChatTurn
	err := tx.get(ctx, "Chat turn", "SELECT "+chatTurnCols+" FROM chat_turns WHERE conversation_id = ? AND message_key = ?",
		[]any{conversationID, key}, chatTurnDest(&t)...)
	return t, err
}

// ChatTurns returns the last limit turns of conversation id, oldest first.
func (tx *Tx) ChatTurns(ctx context.Context, conversationID int64, limit int) ([]ChatTurn, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := tx.query(ctx, "SELECT "+chatTurnCols+` FROM chat_turns WHERE conversation_id = ?
		ORDER BY seq DESC LIMIT ?`, conversationID, limit)
	if err != nil {
		return nil, fmt.Errorf("list chat turns: %w", err)
	}
	defer rows.Close()
	var out []ChatTurn
	for rows.Next() {
		var t ChatTurn
		if err := rows.Scan(chatTurnDest(&t)...); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, interpretError(err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// ChatBinding ties a messaging channel's reference of a borrower to the
// borrower, once verified (loan number and registered phone).
type ChatBinding struct {
	ID            int64     `json:"id"`
	IntegrationID int64     `json:"integration_id"` // the API user of the integration
	Channel       string    `json:"channel"`
	Ref           string    `json:"ref"`
	BorrowerID    int64     `json:"borrower_id,omitempty"` // 0 until verified
	LoanID        int64     `json:"loan_id,omitempty"`
	Failures      int       `json:"failures"`
	VerifiedAt    time.Time `json:"verified_at,omitzero"`
	LastFailedAt  time.Time `json:"last_failed_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
}

// Verified reports whether b names a borrower.
func (b ChatBinding) Verified() bool { return b.BorrowerID != 0 && !b.VerifiedAt.IsZero() }

func chatBindingDest(b *ChatBinding) []any {
	return []any{num(&b.ID), num(&b.IntegrationID), &b.Channel, &b.Ref, num(&b.BorrowerID), num(&b.LoanID), num(&b.Failures),
		instant{&b.VerifiedAt}, instant{&b.LastFailedAt}, instant{&b.CreatedAt}}
}

// ChatBindingOf returns the binding of ref on the integration's channel,
// creating an unverified one when there is none.
func (tx *Tx) ChatBindingOf(ctx context.Context, integrationID int64, channel, ref string) (ChatBinding, error) {
	if _, err := tx.exec(ctx, `INSERT INTO chat_bindings (integration_id, channel, ref, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (integration_id, channel, ref) DO NOTHING`, integrationID, channel, ref, ts(tx.now)); err != nil {
		return ChatBinding{}, fmt.Errorf("chat binding: %w", err)
	}
	return tx.chatBinding(ctx, integrationID, channel, ref)
}

// FindChatBinding returns the binding of ref on the integration's channel,
// or NotFound; it writes nothing.
func (tx *Tx) FindChatBinding(ctx context.Context, integrationID int64, channel, ref string) (ChatBinding, error) {
	return tx.chatBinding(ctx, integrationID, channel, ref)
}

func (tx *Tx) chatBinding(ctx context.Context, integrationID int64, channel, ref string) (ChatBinding, error) {
	var b ChatBinding
	err := tx.get(ctx, "Chat binding", "SELECT "+chatBindingCols+` FROM chat_bindings
		WHERE integration_id = ? AND channel = ? AND ref = ?`, []any{integrationID, channel, ref}, chatBindingDest(&b)...)
	return b, err
}

// VerifyChatBinding binds binding id to borrowerID and loanID, now, and
// clears its failures.
func (tx *Tx) VerifyChatBinding(ctx context.Context, id, borrowerID, loanID int64) error {
	res, err := tx.exec(ctx, `UPDATE chat_bindings SET borrower_id = ?, loan_id = ?, verified_at = ?, failures = 0
		WHERE id = ?`, borrowerID, loanID, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("verify chat binding %d: %w", id, err)
	}
	return affected(res, "Chat binding")
}

// FailChatBinding counts a failed verification of binding id and returns
// the failures so far.
func (tx *Tx) FailChatBinding(ctx context.Context, id int64) (int, error) {
	var n int
	err := tx.get(ctx, "Chat binding", `UPDATE chat_bindings SET failures = failures + 1, last_failed_at = ?
		WHERE id = ? RETURNING failures`, []any{ts(tx.now), id}, num(&n))
	if err != nil {
		return 0, fmt.Errorf("fail chat binding %d: %w", id, err)
	}
	return n, nil
}
