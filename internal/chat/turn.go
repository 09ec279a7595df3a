package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"accord/internal/bot"
	"accord/internal/casework"
	"accord/internal/collect"
	"accord/internal/compliance"
	"accord/internal/date"
	"accord/internal/errs"
	"accord/internal/pii"
	"accord/internal/sqlstore"
)

// convKey names a conversation: a borrower on a channel ("portal", or an
// integration's channel with the borrower's reference there).
type convKey struct {
	borrowerID int64
	channel    string
	ref        string
}

// convState is what a conversation remembers between messages: the
// dialogue's state, and whether the bot waits for a payment reference
// (after "I already paid" when the payment was not found).
type convState struct {
	Bot      bot.State `json:"bot"`
	Awaiting string    `json:"awaiting,omitempty"` // "reference" or ""
}

// AskReference is what Answer.Ask says while the bot waits for a payment
// reference.
const AskReference = "reference"

// ActRecordReference is the action of a turn that took a payment reference.
const ActRecordReference = "record_reference"

// turn is one message on its way through: what was read, what the bot
// decided, what it will say.
type turn struct {
	key   convKey
	msg   Message
	by    collect.Actor
	now   time.Time
	today date.Date

	conv  sqlstore.ChatConversation
	state convState
	kase  *sqlstore.Case // the borrower's open case, if any

	parse  bot.Result
	bt     bot.Turn
	action string
	ask    string
	reply  Reply
	// service marks a reply that carries no collection content (a
	// handover, a notice that a request was recorded): see govern.
	service bool
	// purpose is the reply's purpose for the governor: collection, or
	// the response to a dispute or a request to stop (which the UK and US
	// profiles let through where they suspend collection).
	purpose string
	results []string
	// task is the task a person gets, if any.
	task *sqlstore.Task
	// promise to record (after the borrower confirmed date and amount).
	promise bool
	// reference is the payment reference the borrower gave.
	reference string
}

// answer runs one message of the conversation k through the bot: it
// stores the message and the reply as contact records, acts on what the
// borrower asked through the same rules as people, and saves the dialogue.
func (s *Service) answer(ctx context.Context, by collect.Actor, k convKey, m Message) (Answer, error) {
	now := s.now().UTC()
	if err := m.validate(now); err != nil {
		return Answer{}, err
	}
	t := &turn{key: k, msg: m, by: by, now: now, today: date.FromTime(m.SentAt.In(s.collect.Zone()))}
	if done, err := s.open(ctx, t); err != nil || done != nil {
		if done != nil {
			return *done, nil
		}
		return Answer{}, err
	}
	t.state.Bot.Lang = m.lang(t.state.Bot.Lang)
	if err := s.decide(ctx, t); err != nil {
		return Answer{}, err
	}
	var inbound int64
	if _, flags := compliance.FlagsAfter(nil, t.results, compliance.Bot); len(flags) > 0 {
		// Results that set flags go through the contact log's own use
		// case, which applies and audits them (its transaction commits
		// first: the reply is then checked with the flags set).
		var err error
		if inbound, err = s.logInbound(ctx, t); err != nil {
			return Answer{}, err
		}
	}
	out, err := s.govern(ctx, t)
	if err != nil {
		return Answer{}, err
	}
	var a Answer
	err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
		in := inbound
		if in == 0 {
			var err error
			if in, err = s.recordInbound(ctx, tx, t); err != nil {
				return err
			}
		}
		var err error
		a, err = s.commit(ctx, tx, t, in, out)
		return err
	})
	if err != nil {
		return Answer{}, fmt.Errorf("chat with borrower %d: %w", k.borrowerID, err)
	}
	return a, nil
}

// open loads (or starts) the conversation, its state and the borrower's
// open case. A message already answered returns that answer.
func (s *Service) open(ctx context.Context, t *turn) (*Answer, error) {
	var done *Answer
	// A conversation that exists is read without taking the writer.
	err := s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		var err error
		t.conv, err = tx.ConversationOf(ctx, t.key.borrowerID, t.key.channel, t.key.ref)
		return err
	})
	if errs.CodeOf(err) == errs.NotFound {
		err = s.db.InTx(ctx, func(tx *sqlstore.Tx) error {
			var err error
			t.conv, err = tx.OpenConversation(ctx, t.key.borrowerID, t.key.channel, t.key.ref, t.msg.Lang)
			return err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("open conversation of borrower %d: %w", t.key.borrowerID, err)
	}
	err = s.db.Read(ctx, func(tx *sqlstore.Tx) error {
		prev, err := tx.ChatTurnByKey(ctx, t.conv.ID, t.msg.ID)
		switch {
		case err == nil:
			var a Answer
			if err := json.Unmarshal(prev.Reply, &a); err != nil {
				return fmt.Errorf("stored answer of turn %d: %w", prev.ID, err)
			}
			a.Repeated = true
			done = &a
			return nil
		case errs.CodeOf(err) != errs.NotFound:
			return err
		}
		if err := json.Unmarshal(t.conv.State, &t.state); err != nil {
			return fmt.Errorf("state of conversation %d: %w", t.conv.ID, err)
		}
		if t.state.Bot.Lang == "" {
			t.state.Bot.Lang = bot.Lang(t.conv.Lang)
		}
		if t.state.Bot.Step == bot.StepHandedOver && !t.conv.LastInAt.IsZero() &&
			t.msg.SentAt.Sub(t.conv.LastInAt) > s.opts.HandoverExpiry {
			t.state = convState{Bot: bot.State{Lang: t.state.Bot.Lang}} // back to the bot
		}
		open := casework.Open
		cases, _, err := tx.Cases(ctx, sqlstore.CaseFilter{BorrowerID: &t.key.borrowerID, Status: &open, Limit: 1})
		if err != nil {
			return err
		}
		if len(cases) > 0 {
			t.kase = &cases[0]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open conversation of borrower %d: %w", t.key.borrowerID, err)
	}
	return done, nil
}

// logInbound records the borrower's message in the contact log through the
// contact governor (an inbound contact is recorded as it is), with the
// results that set the borrower's flags: a dispute, a request to stop
// contact, a complaint, hardship, vulnerability.
func (s *Service) logInbound(ctx context.Context, t *turn) (int64, error) {
	req := collect.ContactRequest{BorrowerID: t.key.borrowerID, Channel: compliance.Bot, Direction: "inbound",
		Party: compliance.ToBorrower, Text: pii.MaskFreeText(t.msg.Text), StartedAt: t.msg.SentAt,
		Outcome: compliance.Connected, Results: t.results, Notes: "chat:" + t.key.channel}
	if t.kase != nil {
		req.CaseID = t.kase.ID
	}
	res, err := s.collect.LogContact(ctx, t.by, req)
	if err != nil {
		return 0, fmt.Errorf("log message of borrower %d: %w", t.key.borrowerID, err)
	}
	return res.Attempt.ID, nil
}

// inboundDecision is what the contact log records for a message the
// borrower wrote: the governor judges what the lender does, not what the
// borrower does (as collect records any inbound contact).
var inboundDecision = compliance.Decision{Action: compliance.Allow, Rules: []string{}, Details: []compliance.Detail{},
	Reasons: compliance.Text{ZH: "借款人在对话中发来的消息，无需预先审查。", EN: "A message the borrower wrote in a chat; nothing to check beforehand."}}

// recordInbound records the borrower's message in the contact log in tx,
// with its audit event, when its results set no flag (the common case: a
// question, a promise, a greeting), saving the contact log's own
// transaction; logInbound takes the others.
func (s *Service) recordInbound(ctx context.Context, tx *sqlstore.Tx, t *turn) (int64, error) {
	a := sqlstore.ContactAttempt{BorrowerID: t.key.borrowerID, Channel: compliance.Bot, Direction: "inbound",
		Party: compliance.ToBorrower, By: "lender", Username: t.by.User.Username, StartedAt: t.msg.SentAt, EndedAt: t.msg.SentAt,
		Outcome: compliance.Connected, Results: t.results, Content: pii.MaskFreeText(t.msg.Text), Notes: "chat:" + t.key.channel,
		Performed: true, Decision: inboundDecision}
	if t.kase != nil {
		a.CaseID = t.kase.ID
	}
	if a.Results == nil {
		a.Results = []string{}
	}
	if err := tx.CreateContactAttempt(ctx, &a); err != nil {
		return 0, err
	}
	return a.ID, tx.AppendAudit(ctx, s.collect.Event(t.by, "contact.log", "contact_attempt", strconv.FormatInt(a.ID, 10),
		map[string]any{"borrower_id": a.BorrowerID, "case_id": a.CaseID, "channel": a.Channel, "direction": a.Direction,
			"party": a.Party, "by": a.By, "performed": a.Performed, "decision": a.Action, "rules": a.Rules,
			"outcome": a.Outcome, "results": a.Results}))
}

// outbound is the governor's answer about the bot's reply.
type outbound struct {
	decision  compliance.Decision
	performed bool
}

// commit writes the turn: the actions, the reply's contact record, the
// dialogue state, the turn and its audit event, in one transaction.
func (s *Service) commit(ctx context.Context, tx *sqlstore.Tx, t *turn, inboundID int64, out outbound) (Answer, error) {
	a := Answer{ConversationID: t.conv.ID, MessageID: t.msg.ID, Intent: string(t.bt.Intent), Action: t.action,
		Ask: t.ask, Handover: t.state.Bot.Step == bot.StepHandedOver, Replies: []Reply{t.reply}}
	var err error
	if a.PromiseID, err = s.recordPromise(ctx, tx, t, inboundID); err != nil {
		return a, err
	}
	if a.TaskID, err = s.createTask(ctx, tx, t); err != nil {
		return a, err
	}
	if err := s.caseEvent(ctx, tx, t); err != nil {
		return a, err
	}
	if t.promise {
		if err := s.confirmBySMS(ctx, tx, t, a.PromiseID); err != nil {
			return a, err
		}
	}
	att := sqlstore.ContactAttempt{BorrowerID: t.key.borrowerID, Channel: compliance.Bot, Direction: "outbound",
		Party: compliance.ToBorrower, By: "system", Username: t.by.User.Username, Automated: true,
		Purpose: t.purpose, StartedAt: t.now, Content: t.reply.Text, Performed: out.performed,
		Decision: out.decision, Notes: "chat:" + t.key.channel}
	if out.performed {
		att.Outcome, att.EndedAt = compliance.Connected, t.now
	}
	if t.kase != nil {
		att.CaseID = t.kase.ID
	}
	if err := tx.CreateContactAttempt(ctx, &att); err != nil {
		return a, err
	}
	state, err := json.Marshal(t.state)
	if err != nil {
		return a, err
	}
	t.conv.State, t.conv.Lang, t.conv.LastInAt = state, string(t.state.Bot.Lang), t.msg.SentAt
	t.conv.Status = sqlstore.ChatOpen
	if a.Handover {
		t.conv.Status = sqlstore.ChatHandedOver
	}
	if err := tx.SaveConversation(ctx, &t.conv); err != nil {
		return a, err
	}
	reply, err := json.Marshal(a)
	if err != nil {
		return a, err
	}
	row := sqlstore.ChatTurn{BorrowerID: t.key.borrowerID, ConversationID: t.conv.ID, MessageKey: t.msg.ID,
		Intent: a.Intent, Action: a.Action, InboundID: inboundID, OutboundID: att.ID, Reply: reply}
	if err := tx.AddChatTurn(ctx, &row); err != nil {
		if errs.CodeOf(err) == errs.Conflict {
			return a, errs.Errorf(errs.Conflict, "Message %s is being answered already.", t.msg.ID)
		}
		return a, err
	}
	return a, tx.AppendAudit(ctx, s.collect.Event(t.by, "chat.turn", "chat_conversation", strconv.FormatInt(t.conv.ID, 10),
		map[string]any{"borrower_id": t.key.borrowerID, "channel": t.key.channel, "turn": row.Seq, "intent": a.Intent,
			"action": a.Action, "ask": a.Ask, "handover": a.Handover, "promise_id": a.PromiseID, "task_id": a.TaskID,
			"inbound_id": inboundID, "outbound_id": att.ID, "sent": out.performed, "results": t.results}))
}

// recordPromise takes the confirmed promise into the promise book (the
// same book and rules as a collector's), made in the borrower's message.
func (s *Service) recordPromise(ctx context.Context, tx *sqlstore.Tx, t *turn, inboundID int64) (int64, error) {
	if !t.promise {
		return 0, nil
	}
	book := s.collect.PromiseBook()
	if book == nil {
		return 0, collect.ErrNoPromiseBook
	}
	id, err := book.TakeInContact(ctx, tx, *t.kase, collect.ContactPromise{Amount: t.bt.Amount, Due: t.bt.Date,
		Channel: promiseChannel(t.key.channel), TakenBy: t.by.User.Username, ContactID: inboundID,
		Note: "chat:" + t.key.channel, On: t.today, At: t.now})
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Code == errs.Invalid {
			return 0, errs.Errorf(errs.Conflict, "The promise is no longer within policy: %s", e.Message)
		}
		return 0, err
	}
	return id, nil
}

// promiseChannel is the promise book's channel of a chat channel.
func promiseChannel(channel string) string {
	if channel == PortalChannel {
		return "portal"
	}
	return "bot"
}
