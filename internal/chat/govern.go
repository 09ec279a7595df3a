package chat

import (
	"context"
	"fmt"

	"accord/internal/bot"
	"accord/internal/collect"
	"accord/internal/compliance"
)

// govern asks the contact governor about the bot's reply as an outbound,
// automated message on the bot channel now (content screening, hours,
// holidays, vulnerability, every rule of the profile in force) and applies
// the live-chat rule (docs/BOT.md, "Replies and the governor"):
//
//   - allowed: the reply goes out;
//   - a reply within LiveWindow of the borrower's own message answers a
//     conversation the borrower started: rules that only time lifts
//     (quiet hours, holidays, daily counts) do not hold it back, as they
//     do not hold back answering a call the borrower made (R01 governs
//     collection the lender starts; inbound contact is not counted); and a
//     reply with no collection content (a handover, the support resources,
//     a request recorded) goes to a vulnerable borrower although the bot is
//     automated, because it ends automated contact rather than continuing
//     it. Content screening and every other rule still apply;
//   - a later reply is an outbound push: refused only by time, it is held
//     until the governor's next allowed time;
//   - refused for good (abusive or impersonating text, a vulnerable
//     borrower asking the bot for anything with collection content, a rule
//     that fails closed): the reply is withheld, a neutral notice that a
//     person will answer is sent instead, and the conversation goes to a
//     person.
func (s *Service) govern(ctx context.Context, t *turn) (outbound, error) {
	if t.purpose == "" {
		t.purpose = compliance.PurposeCollection
	}
	req := collect.ContactRequest{BorrowerID: t.key.borrowerID, Channel: compliance.Bot, Direction: "outbound",
		Party: compliance.ToBorrower, Purpose: t.purpose, Text: t.reply.Text, StartedAt: t.now}
	if t.kase != nil {
		req.CaseID = t.kase.ID
	}
	res, err := s.collect.CheckContact(ctx, t.by, req)
	if err != nil {
		return outbound{}, fmt.Errorf("check the reply to borrower %d: %w", t.key.borrowerID, err)
	}
	d := res.Decision
	live := t.now.Sub(t.msg.SentAt) <= s.opts.LiveWindow
	switch {
	case d.Allowed():
		return outbound{decision: d, performed: true}, nil
	case live && exempt(d, t.service):
		d.Action = compliance.Allow
		d.Reasons = compliance.Text{ZH: liveReason.ZH + d.Reasons.ZH, EN: liveReason.EN + d.Reasons.EN}
		return outbound{decision: d, performed: true}, nil
	case !live && compliance.Waitable(d) && !res.NextAllowed.IsZero():
		t.reply.Held, t.reply.NotBefore = true, res.NextAllowed
		return outbound{decision: d, performed: false}, nil
	}
	lang := t.state.Bot.Lang
	s.log.Info("chat reply withheld", "borrower_id", t.key.borrowerID, "rules", d.Rules)
	t.reply = Reply{Text: say(lang, "withheld"), Withheld: true}
	t.promise, t.action, t.ask, t.purpose = false, string(bot.ActHandOver), "", compliance.PurposeCollection
	t.state = convState{Bot: bot.State{Lang: lang, Step: bot.StepHandedOver}}
	if t.task == nil {
		t.task = withheldTask(d)
	}
	d.Action = compliance.Allow
	d.Reasons = compliance.Text{ZH: withheldReason.ZH + d.Reasons.ZH, EN: withheldReason.EN + d.Reasons.EN}
	return outbound{decision: d, performed: true}, nil
}

var liveReason = compliance.Text{
	ZH: "实时对话中回复借款人本人发来的消息：时间类规则不限制即时回复，无催收内容的转人工/支持信息不受自动化限制（docs/BOT.md）。内容已审查。治理器原判：",
	EN: "A reply to the borrower's own message in a live chat: rules that only time lifts do not hold back the immediate reply, and a handover or support notice is not held back as automated contact (docs/BOT.md). Content screened. The governor said: ",
}

var withheldReason = compliance.Text{
	ZH: "机器人原回复被拒绝，改为发送“工作人员会回复您”的中性通知并转人工。治理器原判：",
	EN: "The bot's reply was refused; a neutral notice that a person will reply was sent instead and the conversation handed over. The governor said: ",
}

// exempt reports whether every rule that stops d is one the live-chat rule
// lifts: one that only time lifts; a borrower's request to stop contact
// where it is lender policy (CN-STOP-CONTACT, UK-STOP-CONTACT: answering
// the borrower's own message is a reply they asked for, on the allow-list
// of docs/GOVERNOR.md; US-CEASE, the law, is not lifted); or, for a service
// reply, keeping a vulnerable borrower out of automated contact and the
// suspension of collection during a dispute under CN-DISPUTE.
func exempt(d compliance.Decision, service bool) bool {
	for _, dt := range d.Details {
		if dt.Severity != compliance.Block && dt.Severity != compliance.Approval {
			continue
		}
		if compliance.Waitable(compliance.Decision{Details: []compliance.Detail{dt}}) {
			continue
		}
		if service && (dt.Rule == compliance.RuleVulnerableAutomation || dt.Rule == compliance.RuleCNDispute) {
			continue
		}
		if stopRequest(dt.Rule) {
			continue // a reply to the borrower's own message is one they asked for
		}
		return false
	}
	return true
}

// stopRequest reports whether rule is a lender-policy stop-contact rule.
func stopRequest(rule string) bool {
	return rule == compliance.RuleCNStopContact || rule == compliance.RuleUKStopContact
}
