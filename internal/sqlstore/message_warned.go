package sqlstore

import (
	"context"
	"fmt"

	"accord/internal/compliance"
	"accord/internal/outbox"
)

// warnedQueued selects the messages not sent yet (queued, or held for the
// borrower's window) whose latest governor decision was a warning. The
// decision is stored as JSON with "decision" as its first key (see
// decisionJSON), on both engines.
const warnedQueued = ` WHERE status IN ('queued', 'held') AND decision LIKE ?`

var warnedDecision = `{"decision":"` + string(compliance.Warn) + `"%`

// WarnedQueuedMessages returns a page of the outbox messages that are
// waiting to be sent although the governor warned about them, oldest
// first (the next to go out first), and how many there are.
func (tx *Tx) WarnedQueuedMessages(ctx context.Context, limit, offset int) ([]outbox.Message, int, error) {
	var total int
	if err := tx.get(ctx, "Messages", "SELECT COUNT(*) FROM messages"+warnedQueued, []any{warnedDecision}, &total); err != nil {
		return nil, 0, fmt.Errorf("count warned messages: %w", err)
	}
	list, err := tx.messages(ctx, warnedQueued+" ORDER BY not_before, id"+page(limit, offset), warnedDecision)
	if err != nil {
		return nil, 0, fmt.Errorf("warned messages: %w", err)
	}
	return list, total, nil
}
