package chat

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"accord/internal/bot"
	"accord/internal/errs"
)

// Message is one message a borrower wrote.
type Message struct {
	Text string `json:"text"`
	// ID is the channel's id of the message: a message sent again with the
	// same id (a retried delivery) gets the first answer and nothing is
	// done twice. Generated when empty.
	ID string `json:"message_id,omitempty"`
	// Lang is zh or en; detected from the text when empty (Chinese
	// characters: zh; two or more English words: en; otherwise the
	// conversation's, so that "ok" or "500" does not switch it).
	Lang string `json:"lang,omitempty"`
	// SentAt is when the borrower wrote it; now when zero.
	SentAt time.Time `json:"sent_at,omitzero"`
}

// MaxText is the longest message accepted, in characters.
const MaxText = 1000

// validate checks m against now and fills in its defaults.
func (m *Message) validate(now time.Time) error {
	var fe []errs.FieldError
	m.Text = strings.TrimSpace(m.Text)
	switch {
	case m.Text == "":
		fe = append(fe, errs.FieldError{Field: "text", Message: "is required"})
	case !utf8.ValidString(m.Text):
		fe = append(fe, errs.FieldError{Field: "text", Message: "is not valid UTF-8"})
	case utf8.RuneCountInString(m.Text) > MaxText:
		fe = append(fe, errs.FieldError{Field: "text", Message: "is longer than 1000 characters"})
	}
	if len(m.ID) > 128 {
		fe = append(fe, errs.FieldError{Field: "message_id", Message: "is longer than 128 bytes"})
	}
	if m.Lang != "" && m.Lang != string(bot.Zh) && m.Lang != string(bot.En) {
		fe = append(fe, errs.FieldError{Field: "lang", Message: "must be zh or en"})
	}
	if m.SentAt.IsZero() {
		m.SentAt = now
	}
	m.SentAt = m.SentAt.UTC()
	if m.SentAt.After(now.Add(5*time.Minute)) || m.SentAt.Before(now.Add(-7*24*time.Hour)) {
		fe = append(fe, errs.FieldError{Field: "sent_at", Message: "must be within the last 7 days and not in the future"})
	}
	if len(fe) > 0 {
		return errs.Fields("The message is not valid.", fe...)
	}
	if m.ID == "" {
		m.ID = randomID()
	}
	return nil
}

// lang returns the language to answer m in, given the conversation's.
func (m Message) lang(current bot.Lang) bot.Lang {
	if m.Lang != "" {
		return bot.Lang(m.Lang)
	}
	han, words := false, 0
	inWord := false
	for _, r := range m.Text {
		latin := r < unicode.MaxASCII && unicode.IsLetter(r)
		if latin && !inWord {
			words++
		}
		inWord = latin
		if unicode.Is(unicode.Han, r) {
			han = true
		}
	}
	switch {
	case han:
		return bot.Zh
	case words >= 2 || words == 1 && current == "":
		return bot.En
	case current != "":
		return current // "ok", "yes", "500" keep the conversation's language
	}
	return bot.Zh
}

func randomID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return "gen-" + hex.EncodeToString(b[:])
}

// Answer is the bot's answer to one message.
type Answer struct {
	ConversationID int64   `json:"conversation_id"`
	MessageID      string  `json:"message_id"`
	Replies        []Reply `json:"replies"`
	Intent         string  `json:"intent"`
	Action         string  `json:"action,omitempty"` // what the bot did: record_promise, open_dispute …
	// Ask is what the bot waits for now: date, amount, confirm, reference,
	// clarify; "" when nothing.
	Ask string `json:"ask,omitempty"`
	// Handover is set when a person has the conversation now.
	Handover  bool  `json:"handover"`
	PromiseID int64 `json:"promise_id,omitempty"`
	TaskID    int64 `json:"task_id,omitempty"` // the task a person got (handover, dispute, payment to check)
	// Repeated is set when the message id was answered before: this is
	// that answer again and nothing was done.
	Repeated bool `json:"repeated,omitempty"`
}

// Reply is one message of the bot to the borrower.
type Reply struct {
	Text  string `json:"text"`
	Links []Link `json:"links,omitempty"`
	// Held is set when the reply may not go out now (an outbound push
	// outside the allowed hours): deliver it at NotBefore.
	Held      bool      `json:"held,omitempty"`
	NotBefore time.Time `json:"not_before,omitzero"`
	// Withheld is set when the governor refused the bot's own reply for
	// good; Text is then the neutral notice sent instead.
	Withheld bool `json:"withheld,omitempty"`
}

// Link is something the borrower can open: the affordability form, the pay
// page, a support line.
type Link struct {
	Kind  string `json:"kind"` // plan_form, pay, hotline
	Label string `json:"label"`
	URL   string `json:"url"`
}
