package collect

import (
	"context"
	"fmt"

	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// WarnedQueued returns a page of the messages waiting in the outbox that
// the governor allowed with a warning (oldest first), addresses masked,
// and how many there are: the compliance console reviews them before they
// go out. It returns Forbidden unless by holds compliance:read.
func (s *Service) WarnedQueued(ctx context.Context, by Actor, limit, offset int) ([]outbox.Message, int, error) {
	if err := mayReadCompliance(by); err != nil {
		return nil, 0, err
	}
	var list []outbox.Message
	var total int
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		list, total, err = tx.WarnedQueuedMessages(ctx, limit, offset)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("warned queued messages: %w", err)
	}
	for i := range list {
		list[i].To = maskTo(list[i].Channel, list[i].To)
	}
	return list, total, nil
}
