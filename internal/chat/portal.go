package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"accord/internal/errs"
	"accord/internal/sqlstore"
)

// PortalChannel is the channel of the portal's chat widget.
const PortalChannel = "portal"

// PortalMessage answers a message the borrower typed in the portal's chat
// widget. borrowerID comes from the borrower's portal session, which the
// portal has checked (signed in with loan number and SMS code); requestID
// is the request's id for the audit chain.
func (s *Service) PortalMessage(ctx context.Context, borrowerID int64, requestID string, m Message) (Answer, error) {
	if borrowerID <= 0 {
		return Answer{}, errs.Errorf(errs.Unauthorized, "Sign in to the portal first.")
	}
	return s.answer(ctx, actor(PortalChannel, requestID), convKey{borrowerID: borrowerID, channel: PortalChannel}, m)
}

// History is a conversation as the chat widget shows it.
type History struct {
	ConversationID int64         `json:"conversation_id"`
	Handover       bool          `json:"handover"`
	Turns          []HistoryTurn `json:"turns"`
}

// HistoryTurn is one message of the borrower (as stored: numbers masked)
// and the bot's answer.
type HistoryTurn struct {
	At       time.Time `json:"at"`
	Borrower string    `json:"borrower"`
	Answer   Answer    `json:"answer"`
}

// PortalHistory returns the last limit turns of the borrower's portal
// conversation (empty when they have not written yet).
func (s *Service) PortalHistory(ctx context.Context, borrowerID int64, limit int) (History, error) {
	if borrowerID <= 0 {
		return History{}, errs.Errorf(errs.Unauthorized, "Sign in to the portal first.")
	}
	return s.history(ctx, convKey{borrowerID: borrowerID, channel: PortalChannel}, limit)
}

func (s *Service) history(ctx context.Context, k convKey, limit int) (History, error) {
	var h History
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		list, err := tx.ConversationsOf(ctx, k.borrowerID)
		if err != nil {
			return err
		}
		for _, c := range list {
			if c.Channel != k.channel || c.Ref != k.ref {
				continue
			}
			h.ConversationID, h.Handover = c.ID, c.Status == sqlstore.ChatHandedOver
			turns, err := tx.ChatTurns(ctx, c.ID, limit)
			if err != nil {
				return err
			}
			for _, t := range turns {
				ht := HistoryTurn{At: t.CreatedAt}
				if err := json.Unmarshal(t.Reply, &ht.Answer); err != nil {
					return fmt.Errorf("turn %d: %w", t.ID, err)
				}
				if t.InboundID != 0 {
					in, err := tx.ContactAttempt(ctx, t.InboundID)
					if err != nil && errs.CodeOf(err) != errs.NotFound {
						return err
					}
					ht.Borrower = in.Content
				}
				h.Turns = append(h.Turns, ht)
			}
		}
		return nil
	})
	if err != nil {
		return History{}, fmt.Errorf("conversation of borrower %d: %w", k.borrowerID, err)
	}
	return h, nil
}
