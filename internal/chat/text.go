package chat

import (
	"fmt"

	"accord/internal/bot"
	"accord/internal/date"
)

// texts are what the bot says beyond the dialogue's own replies
// (internal/bot/reply_text.go), by key: zh, en. Like those, they never
// threaten or pressure and point only to the lender's official channels;
// govern screens every reply before it goes out.
var texts = map[string][2]string{
	"promise_no_case": {"您目前没有逾期欠款，无需登记还款承诺。如需查询账单，请回复“查询欠款”。",
		"You have nothing overdue now, so there is no promise to record. To see your bill, reply \"balance\"."},
	"promise_policy": {"抱歉，这个承诺暂时无法登记：还款日期需在今天起%d天以内，金额不能超过欠款%s元。请重新告诉我您哪一天还款。",
		"Sorry, we cannot record this promise: the date must be within %d days from today and the amount at most the %s yuan owed. On which date will you pay?"},
	"balance_none":      {"您目前没有逾期欠款。", "Nothing is overdue now."},
	"balance_line":      {"逾期应还%s元（本金%s元，利息%s元，罚息%s元，费用%s元）。", "Overdue now: %s yuan (principal %s, interest %s, penalty interest %s, fees %s)."},
	"balance_principal": {"尚未到期的本金共%s元。", " Principal not yet due: %s yuan."},
	"paid_found": {"我们已查到您%s的还款%s元，已经入账。谢谢您！",
		"We found your payment of %[2]s yuan on %[1]s; it has been posted. Thank you!"},
	"paid_ask_reference": {"我们暂时没有查到这笔还款。请把还款凭证上的交易流水号（或转账截图中的单号）发给我，我们会尽快核实。",
		"We have not found this payment yet. Please send the transaction reference from your receipt and we will check it."},
	"reference_taken": {"收到，我们会根据您提供的信息核实还款，核实后通知您。",
		"Thank you. We will check the payment with the details you sent and let you know."},
	"plan_offers": {"填写后，有%d个方案可以在线直接确认。", " Once you have filled it in, %d plans can be confirmed online at once."},
	"withheld":    {"您的消息已收到，工作人员会尽快回复您。", "We have your message; a member of staff will reply to you shortly."},
	"sms_promise": {"【还款承诺确认】您已承诺于%s前还款%s元。请通过官方渠道还款，我们不会要求您转账到任何个人账户。",
		"Promise confirmed: you will pay %[2]s yuan by %[1]s. Please pay through our official channels; we never ask you to pay into a personal account."},
	"link.plan_form": {"填写收支情况表", "Income and expenses form"},
	"link.pay":       {"官方还款页面", "Official payment page"},
	"link.12356":     {"心理援助热线 12356", "Mental health support line 12356"},
	"link.120":       {"急救电话 120", "Ambulance 120"},
	"link.110":       {"报警电话 110", "Police 110"},
}

// say returns text key in lang.
func say(lang bot.Lang, key string) string {
	pair, ok := texts[key]
	if !ok {
		panic("chat: no text " + key)
	}
	if lang == bot.En {
		return pair[1]
	}
	return pair[0]
}

// link returns the portal link of kind (plan_form, pay).
func (s *Service) link(lang bot.Lang, kind string) Link {
	path := map[string]string{"plan_form": "/plan", "pay": "/pay"}[kind]
	return Link{Kind: kind, Label: say(lang, "link."+kind), URL: s.opts.PortalURL + path}
}

// hotlines are the support resources shown to a vulnerable borrower. The
// numbers are China's public ones (12356 national mental health line, 120
// ambulance, 110 police); a lender should have compliance review them.
func hotlines(lang bot.Lang) []Link {
	return []Link{
		{Kind: "hotline", Label: say(lang, "link.12356"), URL: "tel:12356"},
		{Kind: "hotline", Label: say(lang, "link.120"), URL: "tel:120"},
		{Kind: "hotline", Label: say(lang, "link.110"), URL: "tel:110"},
	}
}

func dateText(lang bot.Lang, d date.Date) string {
	y, m, dd := d.Parts()
	if lang == bot.En {
		return fmt.Sprintf("%d %s %d", dd, m, y)
	}
	return fmt.Sprintf("%d年%d月%d日", y, int(m), dd)
}
