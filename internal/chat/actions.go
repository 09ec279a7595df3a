package chat

import (
	"context"
	"fmt"
	"strings"

	"accord/internal/audit"
	"accord/internal/bot"
	"accord/internal/compliance"
	"accord/internal/outbox"
	"accord/internal/sqlstore"
)

// withheldTask is the handover of a conversation whose reply the governor
// refused.
func withheldTask(d compliance.Decision) *sqlstore.Task {
	return &sqlstore.Task{Kind: TaskHandover, Priority: 1, Rule: "chat.withheld",
		Detail: "机器人回复被合规规则拒绝（" + strings.Join(d.Rules, ", ") + "），请人工回复 · The bot's reply was refused (" +
			strings.Join(d.Rules, ", ") + "); a person must answer"}
}

// createTask gives the turn's task to a person on the borrower's open case:
// the case owner's inbox, or the specialist queue for a vulnerable
// borrower. It returns the task's id (0 without a task or a case: the
// conversation is still marked handed over).
func (s *Service) createTask(ctx context.Context, tx *sqlstore.Tx, t *turn) (int64, error) {
	if t.task == nil || t.kase == nil {
		return 0, nil
	}
	k := *t.task
	k.CaseID, k.BorrowerID, k.DueOn, k.CreatedOn = t.kase.ID, t.key.borrowerID, t.today, t.today
	k.DedupKey = fmt.Sprintf("chat:%d:%s:%s", t.conv.ID, t.msg.ID, k.Kind)
	if k.Queue == "" {
		k.Queue, k.Assignee = t.kase.Queue, t.kase.Owner
	}
	if _, err := tx.InsertTasks(ctx, []sqlstore.Task{k}); err != nil {
		return 0, err
	}
	open := sqlstore.TaskOpen
	list, _, err := tx.Tasks(ctx, sqlstore.TaskFilter{CaseID: &t.kase.ID, Kind: &k.Kind, Status: &open, Limit: 1000})
	if err != nil {
		return 0, err
	}
	for _, x := range list {
		if x.DedupKey == k.DedupKey {
			return x.ID, nil
		}
	}
	return 0, fmt.Errorf("task %s not found after creating it", k.DedupKey)
}

// caseEvents are the timeline entries of the bot's actions on a case.
var caseEvents = map[string][2]string{
	string(bot.ActOpenDispute):       {"机器人对话：借款人提出异议，已标记并转人工核实", "Chatbot: the borrower disputes the debt; flagged, a person to look into it"},
	string(bot.ActRecordStopContact): {"机器人对话：借款人要求停止联系，已记录到合规规则", "Chatbot: the borrower asked us to stop contacting them; recorded for the contact rules"},
	string(bot.ActRecordComplaint):   {"机器人对话：借款人投诉，已转人工处理", "Chatbot: the borrower complained; handed to a person"},
	string(bot.ActHandOver):          {"机器人对话：已转人工", "Chatbot: handed to a person"},
	string(bot.ActOpenAffordability): {"机器人对话：借款人表示有困难或申请分期，已发送收支情况表", "Chatbot: hardship or a plan request; the affordability form was sent"},
	ActRecordReference:               {"机器人对话：借款人称已还款并提供了凭证信息，待核实", "Chatbot: the borrower says they paid and sent a reference; to be checked"},
	"vulnerable":                     {"机器人对话：出现弱势迹象，已立即转人工，暂停自动化催收", "Chatbot: signs of vulnerability; handed to a person at once, automated collection paused"},
}

// caseEvent records the bot's action on the case's timeline.
func (s *Service) caseEvent(ctx context.Context, tx *sqlstore.Tx, t *turn) error {
	code := t.action
	if t.parse.Vulnerable && t.action == string(bot.ActHandOver) {
		code = "vulnerable"
	}
	text, ok := caseEvents[code]
	if !ok || t.kase == nil {
		return nil
	}
	_, err := tx.AddCaseEvents(ctx, []sqlstore.CaseEvent{{CaseID: t.kase.ID, BorrowerID: t.key.borrowerID, On: t.today, At: t.now,
		Kind: sqlstore.EventContact, Code: "chat_" + code, Actor: t.by.User.Username, ZH: text[0], EN: text[1],
		Data:     audit.Summarize(map[string]any{"conversation_id": t.conv.ID, "message_id": t.msg.ID, "results": t.results}),
		DedupKey: fmt.Sprintf("chat:%d:%s", t.conv.ID, t.msg.ID)}})
	return err
}

// confirmBySMS queues the promise's confirmation by SMS to the borrower's
// mobile through the contact governor (collect.QueueMessage): sent now,
// held until the allowed hours, or blocked and recorded, in this
// transaction. A borrower without a mobile number gets none.
func (s *Service) confirmBySMS(ctx context.Context, tx *sqlstore.Tx, t *turn, promiseID int64) error {
	b, err := tx.Borrower(ctx, t.key.borrowerID)
	if err != nil {
		return err
	}
	to := ""
	for _, p := range b.Phones {
		if p.Kind == "mobile" || (p.Kind == "" && strings.HasPrefix(p.Number, "+861")) {
			to = p.Number
			break
		}
	}
	if to == "" {
		return nil
	}
	lang := t.state.Bot.Lang
	m := outbox.Message{BorrowerID: t.key.borrowerID, CaseID: t.kase.ID, Channel: outbox.SMS, To: to, Lang: string(lang),
		Body:    fmt.Sprintf(say(lang, "sms_promise"), dateText(lang, t.bt.Date), t.bt.Amount),
		Purpose: compliance.PurposeReminder, By: "system", DedupKey: fmt.Sprintf("promise:%d:confirm", promiseID)}
	_, err = s.collect.QueueMessage(ctx, tx, &m)
	return err
}
