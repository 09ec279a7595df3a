package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"unicode"

	"accord/internal/chat"
	"accord/internal/errs"
)

// The portal's chat (/my/chat) is the chatbot's widget for a signed-in
// borrower: the same engine as POST /api/v1/bot/messages (package chat,
// PortalMessage), with the borrower of the portal session, so no channel
// reference needs binding. It is a plain form that works without script
// (post, then back to the page: PRG); portal.js posts it in place and
// appends the answer when script runs. Each form carries a fresh message
// id, so a form sent twice (a double tap, a resent POST) is answered once.

// portalChatHistory is how many of the last turns the page shows.
const portalChatHistory = 30

// portalChatView is the chat page's data.
type portalChatView struct {
	Turns     []portalChatTurn
	Handover  bool
	MessageID string // the id of the next message the form sends
	Text      string // what the borrower typed, kept when it was refused
}

// portalChatTurn is one message of the borrower and the bot's replies.
type portalChatTurn struct {
	Borrower string           `json:"borrower"`
	Replies  []portalChatLine `json:"replies"`
	Handover bool             `json:"handover"`
}

// portalChatLine is one reply of the bot with its links.
type portalChatLine struct {
	Text  string           `json:"text"`
	Held  bool             `json:"held,omitempty"`
	Links []portalChatLink `json:"links,omitempty"`
}

// portalChatLink is a link in a reply; URL is one the bot made (a portal
// page or a tel: support line), so the template may use it as is.
type portalChatLink struct {
	Kind  string       `json:"kind"`
	Label string       `json:"label"`
	URL   template.URL `json:"url"`
}

// handleMyChatShow handles "GET /my/chat": the conversation so far and the
// message form.
func (s *Server) handleMyChatShow(w http.ResponseWriter, r *http.Request) {
	if s.bot == nil {
		s.portalError(w, r, errChatOff)
		return
	}
	h, err := s.bot.PortalHistory(r.Context(), portalWho(r.Context()).ID, portalChatHistory)
	if err != nil {
		s.portalError(w, r, err)
		return
	}
	v := portalChatView{Handover: h.Handover, MessageID: newChatMessageID()}
	for _, t := range h.Turns {
		v.Turns = append(v.Turns, chatTurnView(t.Borrower, t.Answer))
	}
	s.portalRender(w, r, http.StatusOK, "portal_chat.html", portalView{Data: v})
}

// handleMyChat handles "POST /my/chat": one message to the bot. A form
// post goes back to the page; a script's post (Accept: application/json)
// gets the turn as JSON with the next message id.
func (s *Server) handleMyChat(w http.ResponseWriter, r *http.Request) {
	if s.bot == nil {
		s.portalError(w, r, errChatOff)
		return
	}
	text, id := r.PostFormValue("text"), strings.TrimSpace(r.PostFormValue("message_id"))
	a, err := s.bot.PortalMessage(r.Context(), portalWho(r.Context()).ID, requestID(r.Context()),
		chat.Message{Text: text, ID: id, Lang: chatLang(langOf(r), text)})
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if err != nil {
		if wantJSON {
			s.portalChatJSONError(w, r, err)
			return
		}
		v := portalView{Data: portalChatView{MessageID: id, Text: text}}
		s.portalRender(w, r, s.portalFail(r, &v, err), "portal_chat.html", v)
		return
	}
	if !wantJSON {
		http.Redirect(w, r, "/my/chat#chat-end", http.StatusSeeOther)
		return
	}
	out := struct {
		Turn          portalChatTurn `json:"turn"`
		NextMessageID string         `json:"next_message_id"`
	}{chatTurnView(strings.TrimSpace(text), a), newChatMessageID()}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// portalChatJSONError answers a script's post that the bot refused.
func (s *Server) portalChatJSONError(w http.ResponseWriter, r *http.Request, err error) {
	v := portalView{}
	code := s.portalFail(r, &v, err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": v.Error, "fields": v.Fields})
}

// chatLang is the language the bot answers a portal message in: Chinese
// text is answered in Chinese (package chat detects it); other text on
// the English page in English; otherwise package chat decides from the
// words and the conversation.
func chatLang(pageLang, text string) string {
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return ""
		}
	}
	if pageLang == "en" {
		return "en"
	}
	return ""
}

func chatTurnView(borrower string, a chat.Answer) portalChatTurn {
	t := portalChatTurn{Borrower: borrower, Handover: a.Handover}
	for _, rp := range a.Replies {
		l := portalChatLine{Text: rp.Text, Held: rp.Held}
		for _, k := range rp.Links {
			if u, ok := safeChatURL(k.URL); ok {
				l.Links = append(l.Links, portalChatLink{Kind: k.Kind, Label: k.Label, URL: u})
			}
		}
		t.Replies = append(t.Replies, l)
	}
	return t
}

// safeChatURL admits the links the bot makes: the portal's own pages and
// telephone numbers.
func safeChatURL(u string) (template.URL, bool) {
	switch {
	case strings.HasPrefix(u, "/my") && !strings.HasPrefix(u, "//"):
		return template.URL(u), true
	case strings.HasPrefix(u, "https://"):
		return template.URL(u), true
	case strings.HasPrefix(u, "tel:") && strings.Trim(u[4:], "0123456789+-") == "":
		return template.URL(u), true
	}
	return "", false
}

func newChatMessageID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "portal-" + hex.EncodeToString(b[:])
}

// errChatOff is the answer when the server has no chatbot.
var errChatOff = errs.Errorf(errs.NotFound, "The chat is not available.")
