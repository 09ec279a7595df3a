package web

import (
	"net/http"
	"strconv"

	"accord/internal/chat"
)

// The console's view of the chatbot's conversations (chat/staff.go):
// a list with filters — with the bot, handed over (the handover inbox of
// the cases one works), vulnerable — and one conversation with the
// messages, what the bot understood and did, and its tasks for people.
// borrower:read, and collect's object scope: collectors see their cases,
// agencies their placements, supervisors everything.

// handleConversationIndex handles "GET /conversations".
func (s *Server) handleConversationIndex(w http.ResponseWriter, r *http.Request) {
	f := r.URL.Query().Get("filter")
	q := chat.ConversationQuery{Limit: 50}
	switch f {
	case "open":
		q.Status = "open"
	case "handed_over":
		q.Status = "handed_over"
	case "vulnerable":
		q.Vulnerable = true
	default:
		f = ""
	}
	if p, err := strconv.Atoi(r.URL.Query().Get("offset")); err == nil && p > 0 {
		q.Offset = p
	}
	list, total, err := s.bot.Conversations(r.Context(), actorOf(r), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "conversation_index.html", map[string]any{"Filter": f, "Items": list, "Total": total,
		"Filters": []string{"", "open", "handed_over", "vulnerable"}})
}

// handleConversationShow handles "GET /conversations/{id}".
func (s *Server) handleConversationShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.error(w, r, err)
		return
	}
	d, err := s.bot.Conversation(r.Context(), actorOf(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	step := d.Step
	if step == "" {
		step = "none"
	}
	s.render(w, r, http.StatusOK, "conversation_show.html", map[string]any{"C": d, "Step": step})
}
