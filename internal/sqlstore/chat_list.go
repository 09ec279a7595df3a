package sqlstore

import (
	"context"
	"fmt"
)

// ChatConversationFilter selects conversations for the staff console.
// Empty fields select everything.
type ChatConversationFilter struct {
	Status     string // ChatOpen or ChatHandedOver
	Vulnerable bool   // only borrowers flagged vulnerable
	BorrowerID int64
	// Scope keeps the conversations of borrowers whose open case the
	// viewer reaches (their cases, their agency's placements); nil: all.
	Scope         *Scope
	Limit, Offset int
}

// ChatConversationRow is a conversation as the staff list shows it.
type ChatConversationRow struct {
	ChatConversation
	Turns      int  `json:"turns"`
	Vulnerable bool `json:"vulnerable"` // the borrower is flagged vulnerable
}

// Conversations returns a page of the conversations f selects, the most
// recent message first, and how many it selects in all.
func (tx *Tx) Conversations(ctx context.Context, f ChatConversationFilter) ([]ChatConversationRow, int, error) {
	var w where
	if f.Status != "" {
		w.add("cc.status = ?", f.Status)
	}
	if f.BorrowerID != 0 {
		w.add("cc.borrower_id = ?", f.BorrowerID)
	}
	// Flags are a JSON array of strings; the bot and people set
	// "vulnerable" (any cause of vulnerability adds it).
	vuln := `EXISTS (SELECT 1 FROM borrowers vb WHERE vb.id = cc.borrower_id AND vb.flags LIKE '%"vulnerable"%')`
	if f.Vulnerable {
		w.add(vuln)
	}
	w.addScope(f.Scope, "cc.borrower_id")
	var total int
	if err := tx.get(ctx, "Conversations", "SELECT COUNT(*) FROM chat_conversations cc"+w.String(), w.args, &total); err != nil {
		return nil, 0, fmt.Errorf("count conversations: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	q := "SELECT " + prefixed(chatConvCols, "cc") + `, (SELECT COUNT(*) FROM chat_turns ct WHERE ct.conversation_id = cc.id),
		CASE WHEN ` + vuln + ` THEN 1 ELSE 0 END FROM chat_conversations cc` + w.String() +
		" ORDER BY COALESCE(cc.last_in_at, cc.created_at) DESC, cc.id DESC LIMIT ? OFFSET ?"
	rows, err := tx.query(ctx, q, append(w.args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	var out []ChatConversationRow
	for rows.Next() {
		var r ChatConversationRow
		var vulnerable int64
		dest := append(chatConvDest(&r.ChatConversation), num(&r.Turns), num(&vulnerable))
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, interpretError(err)
		}
		r.Vulnerable = vulnerable != 0
		out = append(out, r)
	}
	return out, total, interpretError(rows.Err())
}
