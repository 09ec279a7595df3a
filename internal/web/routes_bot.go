package web

import (
	"context"

	"accord/internal/auth"
	"accord/internal/chat"
	"accord/internal/selfservice"
)

// registerBot wires the chatbot (the one in Options, or one over the
// service's database with the promise book's policy), lets it count the
// portal's offers a borrower could accept at once, and registers its
// routes.
func (s *Server) registerBot() {
	s.bot = s.opts.Bot
	if s.bot == nil && s.svc != nil {
		o := chat.Options{Log: s.log}
		if s.neg != nil {
			pol := s.neg.Policy()
			o.PromisePolicy = &pol
		}
		s.bot = chat.New(s.svc, o)
	}
	if p := s.opts.Portal; p != nil && s.bot != nil {
		s.bot.UseOffers(chat.OffersFunc(func(ctx context.Context, borrowerID int64) (int, error) {
			list, err := p.Offers(ctx, selfservice.Borrower{ID: borrowerID, Channel: "bot"})
			n := 0
			for _, o := range list {
				if o.Auto {
					n++
				}
			}
			return n, err
		}))
	}
	s.registerBotAPI()
	if s.bot != nil {
		s.handle("GET", "/conversations", auth.PermBorrowerRead, s.handleConversationIndex) // page_conversation.go
		s.handle("GET", "/conversations/{id}", auth.PermBorrowerRead, s.handleConversationShow)
	}
}
