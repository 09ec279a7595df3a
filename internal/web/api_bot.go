package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"accord/internal/auth"
	"accord/internal/chat"
)

// botMessageInput is a borrower's message passed on by a messaging-channel
// integration.
type botMessageInput struct {
	Body struct {
		Channel    string    `json:"channel" minLength:"1" maxLength:"32" doc:"The integration's channel name: lower-case letters, digits, _ or - (wechat, whatsapp …); not portal"`
		Ref        string    `json:"borrower_ref" minLength:"1" maxLength:"128" doc:"The channel's id of the borrower; bound to a borrower once, with loan_number and phone"`
		LoanNumber string    `json:"loan_number,omitempty" maxLength:"64" doc:"The borrower's loan number: needed, with phone, the first time a borrower_ref is used"`
		Phone      string    `json:"phone,omitempty" maxLength:"32" doc:"The mobile number registered for that loan (13800138000 or +8613800138000)"`
		Text       string    `json:"text" minLength:"1" maxLength:"4000" doc:"What the borrower wrote, at most 1000 characters"`
		MessageID  string    `json:"message_id,omitempty" maxLength:"128" doc:"The channel's id of the message: the same id sent again gets the first answer and nothing is done twice"`
		Lang       string    `json:"lang,omitempty" enum:"zh,en," doc:"The language to answer in; detected from the text when empty"`
		SentAt     time.Time `json:"sent_at,omitzero" doc:"When the borrower wrote it (now when absent); a reply later than 5 minutes after it is a push and follows the hours rules"`
	}
}

// botMessageOutput is the bot's answer to that message.
type botMessageOutput struct {
	Body chat.Answer
}

// botBodyLimit caps a message's request body.
const botBodyLimit = 16 << 10

// registerBotAPI registers the chatbot's endpoint for messaging-channel
// integrations: an API token of a user with the bot_channel role
// (bot:channel); the use case reaches only the borrowers bound to the
// integration's own references.
func (s *Server) registerBotAPI() {
	limit := newBotLimiter(s.opts.BotLimits)
	register(s, auth.PermBotChannel, huma.Operation{OperationID: "postBotMessage", Method: http.MethodPost, Path: "/api/v1/bot/messages",
		Summary: "Pass a borrower's message from a messaging channel to the chatbot and get its replies",
		Description: "The message is stored in the contact log, the bot acts on it through the contact governor, the promise " +
			"book and people's tasks, and its replies come back to be delivered (held replies at not_before). " +
			"Rate-limited per integration and per borrower_ref: 429 with Retry-After (seconds). docs/BOT.md.",
		Tags: []string{"bot"}, MaxBodyBytes: botBodyLimit},
		func(ctx context.Context, in *botMessageInput) (*botMessageOutput, error) {
			b := in.Body
			var uid int64
			if p := principalOf(ctx); p != nil {
				uid = p.User.ID
			}
			if err := limit.allow(uid, b.Channel, b.Ref, s.svc.Now()); err != nil {
				return nil, err
			}
			a, err := s.bot.ChannelMessage(ctx, apiActor(ctx), chat.ChannelMessage{Channel: b.Channel, Ref: b.Ref,
				LoanNumber: b.LoanNumber, Phone: b.Phone,
				Message: chat.Message{Text: b.Text, ID: b.MessageID, Lang: b.Lang, SentAt: b.SentAt}})
			if err != nil {
				return nil, s.apiErr(ctx, err)
			}
			return &botMessageOutput{Body: a}, nil
		})
}
