package web

import (
	"accord/internal/chat"
)

// registerBot wires the chatbot (the one in Options, or one over the
// service's database with the promise book's policy) and registers its
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
	s.registerBotAPI()
}
