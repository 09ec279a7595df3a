package chat

import (
	"context"
	"fmt"

	"accord/internal/bot"
	"accord/internal/compliance"
	"accord/internal/pii"
	"accord/internal/promise"
	"accord/internal/sqlstore"
)

// The kinds of task the bot gives people.
const (
	TaskHandover     = "chat_handover"      // the borrower asked for a person, or the bot could not help
	TaskVulnerable   = "chat_vulnerable"    // a vulnerable borrower: a person at once
	TaskDispute      = "chat_dispute"       // a dispute to look into
	TaskComplaint    = "chat_complaint"     // a complaint to handle
	TaskPaymentCheck = "chat_payment_check" // a payment the borrower says they made, with its reference
)

// decide parses the message, runs the dialogue and works out what the bot
// does and says: the ledger for a balance, the payments for "I already
// paid", the promise policy for a confirmed promise.
func (s *Service) decide(ctx context.Context, t *turn) error {
	t.parse = bot.Parse(t.msg.Text, t.today)
	lang := t.state.Bot.Lang
	if t.parse.Vulnerable {
		t.results = append(t.results, compliance.ResultVulnerable)
	}
	if t.state.Awaiting == AskReference && takesReference(t.parse) {
		t.state.Awaiting = ""
		t.reference = pii.MaskFreeText(t.msg.Text)
		t.bt = bot.Turn{State: t.state.Bot, Intent: bot.AlreadyPaid}
		t.action, t.service = ActRecordReference, true
		t.reply.Text = say(lang, "reference_taken")
		t.results = append(t.results, compliance.ResultPaid)
		t.task = &sqlstore.Task{Kind: TaskPaymentCheck, Priority: 2, Rule: "chat.already_paid",
			Detail: "借款人称已还款，流水号/凭证：" + t.reference + " · Borrower says they paid; reference: " + t.reference}
		return nil
	}
	t.state.Awaiting = ""
	wasHandedOver := t.state.Bot.Step == bot.StepHandedOver
	t.bt = bot.Reply(t.state.Bot, t.parse, t.today)
	t.state.Bot = t.bt.State
	t.action, t.ask, t.reply.Text = string(t.bt.Action), string(t.bt.Ask), t.bt.Text
	t.service = wasHandedOver || t.bt.Handover
	switch t.bt.Action {
	case bot.ActRecordPromise:
		s.decidePromise(t)
	case bot.ActOpenAffordability:
		return s.decidePlan(ctx, t)
	case bot.ActOpenDispute:
		t.service, t.purpose = true, compliance.PurposeDisputeResponse
		t.results = append(t.results, compliance.ResultDispute)
		t.task = &sqlstore.Task{Kind: TaskDispute, Priority: 1, Rule: "chat.dispute",
			Detail: "借款人在对话中提出异议：" + pii.MaskFreeText(t.msg.Text) + " · Dispute raised in chat"}
	case bot.ActRecordStopContact:
		t.service, t.purpose = true, compliance.PurposeCeaseConfirmation
		t.results = append(t.results, compliance.ResultCease)
	case bot.ActRecordComplaint:
		t.results = append(t.results, compliance.ResultComplaint)
		t.task = &sqlstore.Task{Kind: TaskComplaint, Priority: 1, Rule: "chat.complaint",
			Detail: "借款人在对话中投诉：" + pii.MaskFreeText(t.msg.Text) + " · Complaint made in chat"}
	case bot.ActLookUpPayment:
		t.results = append(t.results, compliance.ResultPaid)
		return s.decidePaid(ctx, t)
	case bot.ActAnswerBalance:
		return s.decideBalance(ctx, t)
	case bot.ActAnswerHowToPay:
		t.reply.Links = append(t.reply.Links, s.link(lang, "pay"))
	case bot.ActHandOver:
		s.decideHandover(t)
	}
	return nil
}

// takesReference reports whether a message answers the bot's request for a
// payment reference, rather than changing the subject.
func takesReference(p bot.Result) bool {
	if p.Vulnerable {
		return false
	}
	switch p.Intent {
	case bot.Dispute, bot.Complaint, bot.StopContact, bot.RequestHuman, bot.RequestPlan, bot.Hardship, bot.PromiseToPay:
		return false
	}
	return true
}

// decidePromise checks a confirmed promise against the case and the
// promise policy before the bot says it is recorded: no case, nothing to
// promise; outside the policy, the bot says why and asks again.
func (s *Service) decidePromise(t *turn) {
	lang := t.state.Bot.Lang
	if t.kase == nil {
		t.action, t.reply.Text = "", say(lang, "promise_no_case")
		return
	}
	pol := s.promisePolicy()
	if err := pol.Validate(t.bt.Amount, t.bt.Date, t.today, t.kase.Balance); err != nil {
		t.action, t.ask = "", string(bot.AskDate)
		t.state.Bot = bot.State{Lang: lang, Step: bot.StepAskDate}
		t.reply.Text = fmt.Sprintf(say(lang, "promise_policy"), pol.MaxDays, t.kase.Balance.String())
		return
	}
	t.promise = true
	t.results = append(t.results, compliance.ResultPromise)
}

func (s *Service) promisePolicy() promise.Policy {
	if s.opts.PromisePolicy != nil {
		return *s.opts.PromisePolicy
	}
	return promise.DefaultPolicy()
}

// decidePlan points to the portal's affordability form, and says how many
// offers the portal could confirm at once when it offers any.
func (s *Service) decidePlan(ctx context.Context, t *turn) error {
	lang := t.state.Bot.Lang
	if t.parse.Intent == bot.Hardship || t.parse.Reason != "" {
		t.results = append(t.results, compliance.ResultHardship)
	}
	t.reply.Links = append(t.reply.Links, s.link(lang, "plan_form"))
	if s.opts.Offers == nil {
		return nil
	}
	n, err := s.opts.Offers.AutoApprovable(ctx, t.key.borrowerID)
	if err != nil {
		return fmt.Errorf("offers of borrower %d: %w", t.key.borrowerID, err)
	}
	if n > 0 {
		t.reply.Text += fmt.Sprintf(say(lang, "plan_offers"), n)
	}
	return nil
}

// decideHandover gives the conversation to a person: a vulnerable borrower
// to the specialist queue at once, with support resources; anyone else to
// the case owner's inbox.
func (s *Service) decideHandover(t *turn) {
	lang := t.state.Bot.Lang
	if t.parse.Vulnerable {
		t.task = &sqlstore.Task{Kind: TaskVulnerable, Priority: 0, Queue: compliance.RouteSpecialist, Rule: "chat.vulnerable",
			Detail: "对话中出现弱势迹象，请立即人工跟进，暂停催收 · Signs of vulnerability in chat: a person now, collection paused"}
		t.reply.Links = append(t.reply.Links, hotlines(lang)...)
		return
	}
	t.task = &sqlstore.Task{Kind: TaskHandover, Priority: 1, Rule: "chat.handover",
		Detail: "借款人在对话中要求人工服务 · The borrower asked for a person in chat"}
}
